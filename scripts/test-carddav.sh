#!/usr/bin/env bash
# Proves the CardDAV list source (issue 16) against a real server: Radicale
# from PyPI, on 127.0.0.1, in a temporary virtualenv. Not part of `cargo
# test`: it needs PyPI.
#
#   scripts/test-carddav.sh            (SIEVE_LINT=path/to/binary to pick one)
#
# In a temporary folder: a Radicale storage holding the address book
# me/contacts of N generated vCards (N=${CARDS:-500}; every tenth has no
# EMAIL, every seventh two), a user `me` with a password (htpasswd, plain),
# Radicale started in the background on a free port. Then:
#   - a dry run whose `:list` tests hit (exact case and other case) and miss
#     as expected (checked with --expect), the password given in
#     SIEVE_LISTS_PASSWORD, --trace naming the CardDAV source;
#   - a wrong password fails with exit 2 and "401";
#   - --offline fails with exit 2 and names the list;
#   - --cache-dir keeps the book, and a second run answers from the kept
#     copy (Radicale's sync-token unchanged; --trace says "cache");
#   - with Radicale stopped, the run fails with exit 2 and a clear error.
# BENCH_MESSAGES=10000 CARDS=100000 also times a run of that many messages
# against the book (fetched, from the cache) and against a CSV file of the
# same members (use a release build: SIEVE_LINT=target/release/sieve-lint;
# BENCH_ONLY=1 skips the checks above, LIST_TIMEOUT=900 by default).
# Radicale is stopped by its PID; the folder is removed. When Radicale
# cannot be installed (offline), it says so and exits 0.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SIEVE_LINT:-$here/target/debug/sieve-lint}"
if [ ! -x "$bin" ]; then
    (cd "$here" && cargo build --quiet)
fi
cards="${CARDS:-500}"

tmp="$(mktemp -d)"
pid=""
# shellcheck source=scripts/lib-lists.sh
. "$here/scripts/lib-lists.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python="${PYTHON:-python3}"
if ! "$python" -m venv "$tmp/venv" >/dev/null 2>&1; then
    echo "test-carddav: SKIP: cannot make a Python virtualenv with $python"
    exit 0
fi
if ! "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check radicale \
    >"$tmp/pip.log" 2>&1; then
    echo "test-carddav: SKIP: cannot install Radicale from PyPI (offline?):"
    tail -n 3 "$tmp/pip.log" | sed 's/^/  /'
    exit 0
fi
py="$tmp/venv/bin/python"
echo "test-carddav: Radicale $("$py" -c 'import radicale; print(radicale.VERSION)'), sieve-lint $("$bin" --version)"

# The address book, laid out as Radicale's filesystem storage keeps it.
book="$tmp/storage/collection-root/me/contacts"
mkdir -p "$book"
printf '{"tag": "VADDRESSBOOK", "D:displayname": "Contacts"}' >"$book/.Radicale.props"
"$py" "$here/scripts/people.py" vcards "$cards" "$book"
echo "me:s3cret-pw" >"$tmp/users"
port="$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$tmp/radicale.conf" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $tmp/users
htpasswd_encryption = plain
[storage]
filesystem_folder = $tmp/storage
[logging]
level = warning
EOF
"$tmp/venv/bin/radicale" --config "$tmp/radicale.conf" >"$tmp/radicale.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    if "$py" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
echo "test-carddav: Radicale (PID $pid) on 127.0.0.1:$port, $cards cards in me/contacts"

# The project: settings, script, messages, expectations.
work="$tmp/work"
mkdir -p "$work/mail"
cat >"$work/sieve-lint.toml" <<EOF
[addrbooks]
default = "http://me@127.0.0.1:$port/me/contacts/"
EOF
cat >"$work/filter.sieve" <<'EOF'
require ["extlists", "fileinto"];
if address :list "from" ":addrbook:default" {
    fileinto "Known";
}
EOF
secrets='s3cret-pw'
list_mail "$work" Known
export NETRC="$tmp/no-netrc"
# A big book takes Radicale minutes to send.
export_timeout="${LIST_TIMEOUT:-900}"
if [ -z "${BENCH_ONLY:-}" ]; then
start=$(date +%s.%N)
SIEVE_LISTS_PASSWORD=s3cret-pw check "hits and misses" 0 "5 messages" \
    "$bin" run -q --expect expected.json filter.sieve mail
end=$(date +%s.%N)
echo "     (run with fetch: $("$py" -c "print(round($end-$start, 2))") s)"
SIEVE_LISTS_PASSWORD=s3cret-pw check "trace names the source" 0 "CardDAV http://me@127.0.0.1:$port/me/contacts/" \
    "$bin" run --trace filter.sieve mail/hit-case.eml
SIEVE_LISTS_PASSWORD=wrong check "wrong password" 2 "401" \
    "$bin" run filter.sieve mail
SIEVE_LISTS_PASSWORD=s3cret-pw check "offline" 2 "offline forbids" \
    "$bin" run --offline filter.sieve mail
SIEVE_LISTS_PASSWORD=s3cret-pw check "check --resolve-lists" 0 "" \
    "$bin" check --resolve-lists filter.sieve

SIEVE_LISTS_PASSWORD=s3cret-pw check "cache kept" 0 "5 messages" \
    "$bin" run -q --cache-dir "$tmp/cache" --expect expected.json filter.sieve mail
SIEVE_LISTS_PASSWORD=s3cret-pw check "cache used (sync-token unchanged)" 0 "(cache:" \
    "$bin" run --trace --cache-dir "$tmp/cache" filter.sieve mail/hit-case.eml

fi

if [ -n "${BENCH_MESSAGES:-}" ]; then
    # Benchmark: BENCH_MESSAGES messages (half from members, half not; one
    # :list lookup each) against this book, fetched, from the cache, and
    # from a CSV file of the same members.
    "$py" - "$work" "$BENCH_MESSAGES" "$cards" <<'EOF2'
import sys
work, m, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/bench.mbox", "w") as f:
    for i in range(m):
        j = (i * 7919) % n
        frm = f"Person{j}@Example.org" if i % 2 == 0 and j % 10 != 0 else f"stranger{i}@example.net"
        f.write(f"From x@y Thu Dec  3 00:00:00 2026\nFrom: {frm}\nSubject: m{i}\n\nbody\n\n")
EOF2
    "$py" "$here/scripts/people.py" csv "$cards" >"$work/book.csv"
    bench() { # label, args...
        local label="$1"
        shift
        local t0 t1
        t0=$(date +%s.%N)
        (cd "$work" && SIEVE_LISTS_PASSWORD=s3cret-pw "$bin" run -q "$@" filter.sieve bench.mbox) \
            >"$tmp/bench.out" 2>&1 || { echo "FAIL bench $label"; cat "$tmp/bench.out"; fail=1; }
        t1=$(date +%s.%N)
        "$py" -c "d=$t1-$t0; print(f'bench {\"$label\":<28} {d:7.2f} s  {$BENCH_MESSAGES/d:9.0f} messages/s  (1 lookup a message)')"
        grep -h "Known\|keep" "$tmp/bench.out" | head -2 | sed 's/^/      /'
    }
    bench "CardDAV, fetched" --cache-dir "$tmp/bench-cache" --list-timeout "$export_timeout"
    bench "CardDAV, from the cache" --cache-dir "$tmp/bench-cache" --list-timeout "$export_timeout"
    bench "CSV file, no server" --offline --list ":addrbook:default=book.csv"
fi

kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
SIEVE_LISTS_PASSWORD=s3cret-pw check "server stopped" 2 'list ":addrbook:default"' \
    "$bin" run filter.sieve mail

if [ "$fail" != 0 ]; then
    echo "test-carddav: FAILED (Radicale's log:)"
    tail -n 20 "$tmp/radicale.log" | sed 's/^/  /'
    exit 1
fi
echo "test-carddav: all passed"
