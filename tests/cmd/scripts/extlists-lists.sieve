# Names checked against lists.json and lists.csv.
require ["extlists", "envelope", "variables"];
# Known: other spellings of the default address book and of an LDAP list.
if address :list "from" ["urn:ietf:params:sieve:addrbook:DEFAULT", ":AddrBook:%44%65%66ault"] { keep; }
if header :list "from" "LDAP://ldap.example.com/cn=staff,ou=groups,dc=example,dc=com" { keep; }
if header :list "from" "tag:example.com,2024:blocked" { discard; }
if envelope :list "from" ":addrbook:family" { keep; }
# Unknown: a typo, and a book whose case differs ("family" is not "Family").
if header :list "from" "tag:example.com,2024:vips" { keep; }
if envelope :list "from" ":addrbook:Family" { keep; }
# Built from a variable: checked at run time only.
set "book" "friends";
if address :list "from" ":addrbook:${book}" { keep; }
