# The command `vacation` and its tag `:days` both need "vacation" (RFC 5230
# §4; RFC 5228 §3.2): one mistake, one diagnostic, the tag a label of it.
vacation :days 1 "Out of office.";
