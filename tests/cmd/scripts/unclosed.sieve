# The block of `if` is never closed (RFC 5228 §8: block = "{" commands "}").
require "fileinto";
if header :is "x-list" "dev" {
  fileinto "dev";

  keep;
