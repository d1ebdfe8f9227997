#!/usr/bin/env bash
# Proves the LDAP list source (issue 16) against a real server: OpenLDAP's
# slapd (Debian packages slapd, ldap-utils; installed with apt-get when
# missing and possible), on 127.0.0.1, with a throw-away configuration.
# Not part of `cargo test`: it needs slapd.
#
#   scripts/test-ldap.sh            (SIEVE_LINT=path/to/binary to pick one)
#   BENCH=1 scripts/test-ldap.sh    (the benchmark: see below)
#
# In a temporary folder: slapd.conf (mdb backend, suffix dc=example,dc=com,
# rootdn cn=admin with a password; anonymous searches stop after 250
# entries, as directories commonly limit them), a throw-away CA and a
# certificate for 127.0.0.1 (openssl), slapd started on free ports for
# ldap: and ldaps:, N generated people (N=${ENTRIES:-300}; every tenth has
# no mail, every seventh two) under ou=staff, loaded with slapadd. Then:
#   - a dry run whose `:list` tests hit (exact case, other case, second
#     value) and miss as expected (checked with --expect), anonymous: the
#     server's size limit makes it ask per lookup;
#   - the same bound as the rootdn (fetched whole), and with
#     --list-fetch-max 50 (asked per lookup by choice);
#   - a narrower filter, anonymous, under the size limit: fetched whole;
#   - the LDAP URL written as the list name in the script;
#   - ldaps: and StartTLS with the test CA trusted (SSL_CERT_FILE), and
#     ldaps: with it not trusted (exit 2, a certificate error);
#   - --trace names the LDAP source;
#   - a bindname with a wrong password fails with exit 2;
#   - a base DN that does not exist fails with exit 2 (noSuchObject);
#   - with slapd stopped (by its PID): a fetch fails with exit 2 naming the
#     list, and so does a per-lookup run whose server goes away mid-run.
# The folder is removed. When slapd cannot be had, it says so and exits 0.
#
# BENCH=1: ENTRIES (default 100000) people, MESSAGES (default 10000)
# messages in one mbox (senders drawn from 2,000 members and from
# strangers), a release build, no size limit; times a run asking per
# lookup (the default past 10,000 entries), a run fetching the book whole,
# and a run with the same members from a CSV file, and prints the
# lookups and searches made.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bench="${BENCH:-0}"
if [ "$bench" = 1 ]; then
    bin="${SIEVE_LINT:-$here/target/release/sieve-lint}"
    [ -n "${SIEVE_LINT:-}" ] || (cd "$here" && cargo build --release --quiet)
    entries="${ENTRIES:-100000}"
    messages="${MESSAGES:-10000}"
else
    bin="${SIEVE_LINT:-$here/target/debug/sieve-lint}"
    [ -x "$bin" ] || (cd "$here" && cargo build --quiet)
    entries="${ENTRIES:-300}"
fi
if ! command -v slapd >/dev/null 2>&1 && [ ! -x /usr/sbin/slapd ]; then
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q slapd ldap-utils >/dev/null 2>&1; then
        echo "test-ldap: SKIP: slapd is not installed and apt-get cannot install it"
        exit 0
    fi
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "test-ldap: SKIP: openssl (for the test certificates) is not installed"
    exit 0
fi
slapd="$(command -v slapd || echo /usr/sbin/slapd)"
slapadd="$(command -v slapadd || echo /usr/sbin/slapadd)"
tmp="$(mktemp -d)"
pid=""
# shellcheck source=scripts/lib-lists.sh
. "$here/scripts/lib-lists.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
schema=/etc/ldap/schema
mkdir -p "$tmp/db"
# A throw-away CA, and a certificate for 127.0.0.1 signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=sieve-lint test CA" \
    -keyout "$tmp/ca.key" -out "$tmp/ca.pem" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$tmp/server.key" -out "$tmp/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tmp/ext.cnf"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
    -days 2 -extfile "$tmp/ext.cnf" -out "$tmp/server.pem" >/dev/null 2>&1
limit="limits anonymous size=250"
if [ "$bench" = 1 ]; then limit="sizelimit unlimited"; fi
cat >"$tmp/slapd.conf" <<EOF
include $schema/core.schema
include $schema/cosine.schema
include $schema/inetorgperson.schema
pidfile $tmp/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile $tmp/ca.pem
TLSCertificateFile $tmp/server.pem
TLSCertificateKeyFile $tmp/server.key
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw adm1n-pw
directory $tmp/db
maxsize 1073741824
index objectClass,mail eq
$limit
access to * by * read
EOF
python3 "$here/scripts/people.py" ldif "$entries" >"$tmp/data.ldif"
if ! "$slapadd" -q -f "$tmp/slapd.conf" -l "$tmp/data.ldif" >"$tmp/slapadd.log" 2>&1; then
    echo "test-ldap: FAIL: slapadd:"; tail -5 "$tmp/slapadd.log"
    exit 1
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"
tport="$(free_port)"
"$slapd" -f "$tmp/slapd.conf" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tport/" -d 0 >"$tmp/slapd.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1; then break; fi
    sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
    echo "test-ldap: FAIL: slapd did not start:"; sed 's/^/  /' "$tmp/slapd.log" | tail -5
    exit 1
fi
echo "test-ldap: slapd (PID $pid) on 127.0.0.1:$port (ldaps :$tport), $entries people in ou=staff; sieve-lint $("$bin" --version)"
work="$tmp/work"
mkdir -p "$work/mail"
base="ou=staff,dc=example,dc=com"
url="ldap://127.0.0.1:$port/$base?mail?sub?(objectClass=person)"
rootdn="bindname=cn=admin%2cdc=example%2cdc=com"
book() { printf '[addrbooks]\nstaff = "%s"\n' "$1" >"$work/sieve-lint.toml"; }
book "$url"
cat >"$work/filter.sieve" <<'EOF'
require ["extlists", "fileinto"];
if address :list "from" ":addrbook:staff" {
    fileinto "Staff";
}
EOF
export NETRC="$tmp/no-netrc"

if [ "$bench" = 1 ]; then
    python3 - "$entries" "$messages" "$work/mail.mbox" <<'PY'
import random, sys
n, m, mbox = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(6134)
pool = rnd.sample(range(n), min(2000, n))
with open(mbox, "w") as f:
    for k in range(m):
        if rnd.random() < 0.7:
            sender = f"person{rnd.choice(pool)}@example.org"
        else:
            sender = f"stranger{k}@example.net"
        f.write(f"From {sender} Thu Dec  3 10:00:00 2026\nFrom: {sender}\nTo: me@example.org\n"
                f"Subject: message {k}\nMessage-ID: <{k}@bench>\n\nbody {k}\n\n")
PY
    python3 "$here/scripts/people.py" csv "$entries" :addrbook:staff >"$work/staff.csv"
    timed() { # label, command...
        local label="$1"; shift
        local s e rc=0
        s=$(date +%s.%N)
        (cd "$work" && /usr/bin/time -f "%M" -o "$tmp/rss" "$@") >"$tmp/out" 2>"$tmp/err" || rc=$?
        e=$(date +%s.%N)
        local secs filed
        secs=$(python3 -c "print(round($e-$s, 2))")
        filed=$(grep -c '"fileinto"' "$tmp/out" || true)
        echo "bench $label: exit $rc, $secs s, $(python3 -c "print(round($messages/($e-$s)))") messages/s, $filed filed, max RSS $(($(tail -n 1 "$tmp/rss") / 1024)) MB"
        grep -h "asked per lookup" "$tmp/err" | sed 's/^/      /' || true
        if [ "$rc" != 0 ]; then grep -v "^sieve-lint: note" "$tmp/err" | sed "s/^/      err: /" | head -5; fi
    }
    echo "bench: $messages messages (mbox $(du -h "$work/mail.mbox" | cut -f1)), one :list lookup each, $entries entries"
    timed "LDAP per lookup" "$bin" run --format json filter.sieve mail.mbox
    timed "LDAP fetched whole" "$bin" run --format json --list-fetch-max 1000000 filter.sieve mail.mbox
    rm "$work/sieve-lint.toml"
    timed "CSV file" "$bin" run --format json --list ":addrbook:staff=staff.csv" filter.sieve mail.mbox
    exit 0
fi

secrets='adm1n-pw\|wr0ng-pw'
list_mail "$work" Staff
# Anonymous: slapd stops the search at 250 entries, so it is asked per lookup.
check "hits and misses (anonymous, size-limited: per lookup)" 0 "asked per lookup" \
    "$bin" run --expect expected.json filter.sieve mail
check "trace names the source" 0 "LDAP ldap://127.0.0.1:$port" \
    "$bin" run --trace filter.sieve mail/hit-case.eml
check "offline" 2 "offline forbids" "$bin" run --offline filter.sieve mail
book "$url?$rootdn"
SIEVE_LISTS_PASSWORD=wr0ng-pw check "wrong password" 2 "bind as cn=admin" \
    "$bin" run filter.sieve mail
SIEVE_LISTS_PASSWORD=adm1n-pw check "bound as rootdn (fetched whole)" 0 "5 messages" \
    "$bin" run -q --expect expected.json filter.sieve mail
SIEVE_LISTS_PASSWORD=adm1n-pw check "bound, --list-fetch-max 50 (per lookup)" 0 "asked per lookup" \
    "$bin" run --list-fetch-max 50 --expect expected.json filter.sieve mail
if SIEVE_LISTS_PASSWORD=adm1n-pw "$bin" run -q --list-fetch-max 50 filter.sieve mail 2>&1 | grep -q "asked per lookup"; then
    echo "FAIL -q still prints the per-lookup note"; fail=1
fi
# uid=p1* is 111 people, under the anonymous limit: fetched whole.
book "ldap://127.0.0.1:$port/$base?mail?sub?(uid=p1*)"
check "narrow filter, anonymous (fetched whole)" 0 "Staff" \
    "$bin" run --trace filter.sieve mail/hit-second.eml
if grep -q "asked per lookup" "$tmp/err" "$tmp/out"; then
    echo "FAIL a book of 111 entries was asked per lookup"; fail=1
fi
book "$url"
sed "s|:addrbook:staff|$url|" "$work/filter.sieve" >"$work/by-url.sieve"
check "LDAP URL as the list name" 0 "5 messages" \
    "$bin" run -q --expect expected.json by-url.sieve mail
echo "someone@example.org" >"$work/other.txt"
rc=0
(cd "$work" && "$bin" check --list ":addrbook:other=other.txt" by-url.sieve) >"$tmp/out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && ! grep -q "unknown-list\|unknown list" "$tmp/out"; then
    echo "ok   check does not call an LDAP URL an unknown list: exit 0"
else
    echo "FAIL check on an LDAP URL name: exit $rc"; sed 's/^/  /' "$tmp/out" | head; fail=1
fi
book "ldaps://127.0.0.1:$tport/$base?mail?sub?(objectClass=person)"
SSL_CERT_FILE="$tmp/ca.pem" check "ldaps with the CA trusted" 0 "5 messages" \
    "$bin" run -q --expect expected.json filter.sieve mail
SSL_CERT_FILE="$tmp/server.key" check "ldaps, CA not trusted" 2 "certificate" \
    "$bin" run filter.sieve mail
book "$url?!StartTLS"
SSL_CERT_FILE="$tmp/ca.pem" check "StartTLS with the CA trusted" 0 "5 messages" \
    "$bin" run -q --expect expected.json filter.sieve mail
book "ldap://127.0.0.1:$port/ou=nobody,dc=example,dc=com?mail?sub"
check "no such base DN" 2 ":addrbook:staff" "$bin" run filter.sieve mail
# Per lookup, with the server killed after the run started: the lookups
# fail, and the run ends with exit 2 naming the list.
book "$url"
for i in $(seq 1 40); do printf "From: late%s@example.net\nSubject: late\n\nbody\n" "$i" >"$work/mail/late-$i.eml"; done
(cd "$work" && "$bin" run --trace filter.sieve mail >"$tmp/late.out" 2>"$tmp/late.err") &
runner=$!
sleep 0.05
kill "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
rc=0; wait "$runner" || rc=$?
if [ "$rc" = 2 ] && grep -q ":addrbook:staff" "$tmp/late.err"; then
    echo "ok   server gone mid-run: exit 2; $(grep -m1 'addrbook:staff' "$tmp/late.err" | cut -c1-160)"
elif [ "$rc" = 0 ]; then
    echo "note server gone mid-run: the run finished before slapd stopped (exit 0); not a failure"
else
    echo "FAIL server gone mid-run: exit $rc"; sed 's/^/  err: /' "$tmp/late.err" | head; fail=1
fi
check "slapd stopped" 2 ":addrbook:staff" "$bin" run filter.sieve mail
if [ "$fail" = 0 ]; then echo "test-ldap: all passed"; else echo "test-ldap: FAILED"; fi
exit "$fail"
