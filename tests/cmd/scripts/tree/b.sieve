require ["fileinto", "fileinto"];
fileinto "Archive";
stop;
keep;
