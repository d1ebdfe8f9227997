# hasflag is not in the imapflags draft (Pigeonhole's imapflags registers
# no test): it needs "imap4flags" (RFC 5232 §4), which Pigeonhole refuses
# together with "imapflags" — so no fix adds it.
require "imapflags";
if hasflag "\\Seen" { mark; }
