# RFC 6609 §3.2: a missing script (without :optional) and a recursive
# include are errors at execution time, never at upload: warnings.
require ["include", "variables"];
include "common";
include :personal "rules";
include :optional "absent";
include "absent";
include :global "site";
include :global "nosite";
include "loop-a";
include "back";
include :once "main";
include "${name}";
