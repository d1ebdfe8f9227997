# The list given with --list NAME=FILE, whose LDAP name contains '='.
require "extlists";
if header :list "from" "ldap://ldap.example.com/cn=staff,ou=groups,dc=example,dc=com" { keep; }
if header :list "from" "ldap://ldap.example.com/cn=staf,ou=groups,dc=example,dc=com" { keep; }
