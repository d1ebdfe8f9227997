# A list named by its LDAP URL, on a server no supplied list is on: `run`
# searches it, so `check` does not call it unknown. The tag: list is.
require "extlists";
if address :list "from" "ldap://directory.corp.example/ou=staff,dc=example,dc=com?mail?sub?(objectClass=person)" { keep; }
if address :list "from" "tag:example.com,2024:vips" { keep; }
