# List names of four schemes, checked with --list-schemes urn,tag.
require "extlists";
if header :list "from" ["ldap://ldap.example.com/cn=vip,dc=example,dc=com",
                        "https://dav.example.com/addressbooks/alice/work/",
                        "TAG:example.com,2024:vip",
                        ":addrbook:default"] {
    redirect :list "https://dav.example.com/addressbooks/alice/team/";
}
if valid_ext_list "ldap://ldap.example.com/cn=team,dc=example,dc=com" { keep; }
