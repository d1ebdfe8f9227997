# The closing quote of "hello is missing (RFC 5228 §2.4.2).
require "fileinto";
if header :is "subject" "hello {
  fileinto "Junk";
}
