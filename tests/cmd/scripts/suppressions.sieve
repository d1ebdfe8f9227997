# sieve-lint: allow-file(duplicate-require)
require ["fileinto", "envelope"]; # sieve-lint: allow(unused-require)
require "fileinto";
# sieve-lint: allow(unused-requires)
fileinto "Archive"; # sieve-lint: allow(code-after-stop)
