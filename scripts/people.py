#!/usr/bin/env python3
"""The generated people of the address-book test scripts (test-ldap.sh,
test-carddav.sh), in one place so that every form holds the same members.

Person i has the address Person{i}@Example.org unless i is a multiple of
10 (no address at all), and a second one, p{i}@work.example, when i is a
multiple of 7.

  people.py ldif N         LDIF: ou=staff,dc=example,dc=com and N people
  people.py vcards N DIR   one vCard 3.0 file per person in DIR (Radicale's
                           storage layout), the second address in an
                           item1. group as Apple Contacts writes it
  people.py csv N [LIST]   the members as CSV: "list,member" rows for LIST,
                           or one "email" column without LIST
"""
import os
import sys


def addresses(i):
    out = []
    if i % 10 != 0:
        out.append(f"Person{i}@Example.org")
    if i % 7 == 0:
        out.append(f"p{i}@work.example")
    return out


def ldif(n, out):
    out.write("dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\n"
              "dc: example\no: Example\n\n")
    out.write("dn: ou=staff,dc=example,dc=com\nobjectClass: organizationalUnit\nou: staff\n\n")
    for i in range(n):
        out.write(f"dn: uid=p{i},ou=staff,dc=example,dc=com\nobjectClass: inetOrgPerson\n"
                  f"uid: p{i}\ncn: Person {i}\nsn: {i}\n")
        for a in addresses(i):
            out.write(f"mail: {a}\n")
        out.write("\n")


def vcards(n, folder):
    for i in range(n):
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:person-{i}", f"FN:Person {i}",
                 f"N:{i};Person;;;"]
        for a in addresses(i):
            work = a.endswith("@work.example")
            lines.append(f"item1.EMAIL;TYPE=WORK:{a}" if work else f"EMAIL;TYPE=INTERNET:{a}")
        lines.append("END:VCARD")
        with open(os.path.join(folder, f"person-{i}.vcf"), "w", newline="") as f:
            f.write("\r\n".join(lines) + "\r\n")


def csv(n, name, out):
    out.write("list,member\n" if name else "email\n")
    for i in range(n):
        for a in addresses(i):
            out.write(f"{name},{a}\n" if name else f"{a}\n")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    kind, n = argv[1], int(argv[2])
    if kind == "ldif":
        ldif(n, sys.stdout)
    elif kind == "vcards" and len(argv) == 4:
        vcards(n, argv[3])
    elif kind == "csv":
        csv(n, argv[3] if len(argv) > 3 else "", sys.stdout)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
