# :global scripts are found in the first --include-dir; the check looks in
# every one, and a missing :personal script is a warning that does not stop
# the run (RFC 6609 §3.2: it fails at delivery, and only if reached).
require ["include", "fileinto"];
include :global "site";
if false {
    include "absent";
}
