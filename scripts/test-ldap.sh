#!/usr/bin/env bash
# Proves the LDAP list source (issue 16) against a real server: OpenLDAP's
# slapd (Debian packages slapd, ldap-utils; installed with apt-get when
# missing and possible), on 127.0.0.1, with a throw-away configuration.
# Not part of `cargo test`: it needs slapd.
#
#   scripts/test-ldap.sh            (SIEVE_LINT=path/to/binary to pick one)
#
# In a temporary folder: slapd.conf (mdb backend, suffix dc=example,dc=com,
# rootdn cn=admin with a password), slapd started on a free port, N
# generated people (N=${ENTRIES:-300}; every tenth has no mail, every
# seventh two) under ou=staff loaded with ldapadd. Then:
#   - a dry run whose `:list` tests hit (exact case, other case, second
#     value) and miss as expected (checked with --expect), anonymous;
#   - --trace names the LDAP source;
#   - a bindname with a wrong password fails with exit 2;
#   - a base DN that does not exist fails with exit 2 (noSuchObject);
#   - with slapd stopped (by its PID), the run fails with exit 2 naming
#     the list.
# The folder is removed. When slapd cannot be had, it says so and exits 0.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SIEVE_LINT:-$here/target/debug/sieve-lint}"
if [ ! -x "$bin" ]; then
    (cd "$here" && cargo build --quiet)
fi
entries="${ENTRIES:-300}"
if ! command -v slapd >/dev/null 2>&1 && [ ! -x /usr/sbin/slapd ]; then
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q slapd ldap-utils >/dev/null 2>&1; then
        echo "test-ldap: SKIP: slapd is not installed and apt-get cannot install it"
        exit 0
    fi
fi
slapd="$(command -v slapd || echo /usr/sbin/slapd)"
tmp="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
schema=/etc/ldap/schema
mkdir -p "$tmp/db"
cat >"$tmp/slapd.conf" <<EOF
include $schema/core.schema
include $schema/cosine.schema
include $schema/inetorgperson.schema
pidfile $tmp/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw adm1n-pw
directory $tmp/db
maxsize 104857600
access to * by * read
EOF
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$slapd" -f "$tmp/slapd.conf" -h "ldap://127.0.0.1:$port/" -d 0 >"$tmp/slapd.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1; then break; fi
    sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
    echo "test-ldap: FAIL: slapd did not start:"; sed 's/^/  /' "$tmp/slapd.log" | tail -5
    exit 1
fi
python3 - "$entries" >"$tmp/data.ldif" <<'EOF'
import sys
n = int(sys.argv[1])
print("dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n")
print("dn: ou=staff,dc=example,dc=com\nobjectClass: organizationalUnit\nou: staff\n")
for i in range(n):
    print(f"dn: uid=p{i},ou=staff,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: p{i}\ncn: Person {i}\nsn: {i}")
    if i % 10 != 0:
        print(f"mail: Person{i}@Example.org")
    if i % 7 == 0:
        print(f"mail: p{i}@work.example")
    print()
EOF
ldapadd -x -H "ldap://127.0.0.1:$port" -D "cn=admin,dc=example,dc=com" -w adm1n-pw -f "$tmp/data.ldif" >/dev/null
echo "test-ldap: slapd (PID $pid) on 127.0.0.1:$port, $entries people in ou=staff; sieve-lint $("$bin" --version)"
work="$tmp/work"
mkdir -p "$work/mail"
url="ldap://127.0.0.1:$port/ou=staff,dc=example,dc=com?mail?sub?(objectClass=person)"
printf '[addrbooks]\nstaff = "%s"\n' "$url" >"$work/sieve-lint.toml"
cat >"$work/filter.sieve" <<'EOF'
require ["extlists", "fileinto"];
if address :list "from" ":addrbook:staff" {
    fileinto "Staff";
}
EOF
mail() { printf 'From: %s\nTo: me@example.org\nSubject: %s\n\nbody\n' "$2" "$1" >"$work/mail/$1.eml"; }
mail hit-exact Person7@Example.org
mail hit-case person123@EXAMPLE.ORG
mail hit-second p14@work.example
mail miss-no-mail person10@example.org
mail miss-stranger stranger@example.net
cat >"$work/expected.json" <<'EOF'
{
  "hit-exact.eml": [{"action": "fileinto", "mailbox": "Staff"}],
  "hit-case.eml": [{"action": "fileinto", "mailbox": "Staff"}],
  "hit-second.eml": [{"action": "fileinto", "mailbox": "Staff"}],
  "miss-no-mail.eml": [{"action": "keep"}],
  "miss-stranger.eml": [{"action": "keep"}]
}
EOF
fail=0
check() { # name, expected exit, words, command...
    local name="$1" want="$2" words="$3"
    shift 3
    local rc=0
    (cd "$work" && "$@") >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ "$rc" != "$want" ] || ! grep -q -- "$words" "$tmp/out" "$tmp/err"; then
        echo "FAIL $name: exit $rc (want $want), looking for '$words'"
        sed 's/^/  out: /' "$tmp/out" | head -20
        sed 's/^/  err: /' "$tmp/err" | head -20
        fail=1
    else
        echo "ok   $name: exit $rc; $(grep -h -m1 -- "$words" "$tmp/out" "$tmp/err" | cut -c1-160)"
    fi
    if grep -q "adm1n-pw\|wr0ng-pw" "$tmp/out" "$tmp/err"; then
        echo "FAIL $name: the password was printed"
        fail=1
    fi
}
export NETRC="$tmp/no-netrc"
start=$(date +%s.%N)
check "hits and misses" 0 "5 messages" "$bin" run -q --expect expected.json filter.sieve mail
end=$(date +%s.%N)
echo "     (run with fetch: $(python3 -c "print(round($end-$start, 2))") s)"
check "trace names the source" 0 "LDAP ldap://127.0.0.1:$port" \
    "$bin" run --trace filter.sieve mail/hit-case.eml
check "offline" 2 "offline forbids" "$bin" run --offline filter.sieve mail
bad="ldap://127.0.0.1:$port/ou=staff,dc=example,dc=com?mail?sub?(objectClass=person)?bindname=cn=admin%2cdc=example%2cdc=com"
printf '[addrbooks]\nstaff = "%s"\n' "$bad" >"$work/sieve-lint.toml"
SIEVE_LISTS_PASSWORD=wr0ng-pw check "wrong password" 2 "bind as cn=admin" \
    "$bin" run filter.sieve mail
SIEVE_LISTS_PASSWORD=adm1n-pw check "bound as rootdn" 0 "5 messages" \
    "$bin" run -q --expect expected.json filter.sieve mail
printf '[addrbooks]\nstaff = "ldap://127.0.0.1:%s/ou=nobody,dc=example,dc=com?mail?sub"\n' "$port" >"$work/sieve-lint.toml"
check "no such base DN" 2 ":addrbook:staff" "$bin" run filter.sieve mail
printf '[addrbooks]\nstaff = "%s"\n' "$url" >"$work/sieve-lint.toml"
kill "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "slapd stopped" 2 ":addrbook:staff" "$bin" run filter.sieve mail
if [ "$fail" = 0 ]; then echo "test-ldap: all passed"; else echo "test-ldap: FAILED"; fi
exit "$fail"
