# Never reached: g1 comes first.
keep;
