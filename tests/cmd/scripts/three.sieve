# three mistakes
if header :contains "subject" "x" {
  fileinto "Junk";
}
kepp;
if size :over {
  keep;
}
