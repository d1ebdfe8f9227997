keep;
# café
stop;
