# Three require problems, each with a fix.
require "fileinto";
require ["envelope", "fileinto"];
if header :contains "subject" "[list]" {
    fileinto :copy "Lists";
}
