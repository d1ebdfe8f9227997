# Valid (RFC 5429 §2.4: NOT RECOMMENDED, not forbidden): a warning at check
# time; the dry run runs it and fails where both actions run.
require ["reject", "fileinto"];
if header :contains "subject" "report" {
    reject "Not here.";
}
fileinto "Archive";
