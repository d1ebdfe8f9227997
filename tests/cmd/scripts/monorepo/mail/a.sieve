require ["extlists", "fileinto", "envelope"];
if address :list "from" ":addrbook:default" { fileinto "Known"; }
