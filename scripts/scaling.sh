#!/usr/bin/env bash
# Scaling check: every family of pathological input that was once
# quadratic (or worse) is run at size n and 4n; the time and peak-memory
# ratios should stay near 4 (linear) and at most 5. Prints one line per
# family and exits 1 when a ratio passes 5. Not part of `cargo test`
# (timing there would be flaky); run it after changing a rule, the parser,
# a report format or the dry run:
#
#   scripts/scaling.sh            (builds the release binary first)
#   BIN=path/to/sieve-lint scripts/scaling.sh
#
# Small inputs are dominated by start-up, so each n is large enough to take
# tens of milliseconds; a ratio is only judged when the 4n run takes 50 ms
# or more. scripts/scaling-human.sh covers the human report's own families.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=target/release/sieve-lint
fi
BIN=$(realpath "$BIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gen FAMILY N DIR: writes DIR/s.sieve and, for dry-run families, DIR/mail
# and DIR/list.csv; prints the sieve-lint arguments to use.
gen() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys, os, random
family, n, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(d, exist_ok=True)
def script(text):
    with open(os.path.join(d, "s.sieve"), "w") as f:
        f.write(text)
def mail(name, subject="hi", extra=""):
    os.makedirs(os.path.join(d, "mail"), exist_ok=True)
    with open(os.path.join(d, "mail", name), "w") as f:
        f.write(f"From: a@example.org\r\nTo: me@example.org\r\nSubject: {subject}\r\n{extra}\r\nbody\r\n")
args = None
if family == "many-references":
    script('require ["encoded-character", "variables"];\n'
           'if header :is "subject" "' + '${hex:zz' * n + '" { keep; }\n'
           'if header :is "subject" "' + '${a-b}' * n + '" { keep; }\n')
    args = "check --format short s.sieve"
elif family == "many-requires":
    script('require "fileinto";\n' * n + 'fileinto "x";\n')
    args = "check --format short s.sieve"
elif family == "many-capabilities":
    script("".join('require "x-unknown-%d";\n' % i for i in range(n)))
    args = "check --format short s.sieve"
elif family == "many-diagnostics":
    script("".join('fileinto "f%d";\n' % i for i in range(n)))
    args = "check --format short s.sieve"
elif family == "long-line":
    script(" ".join('fileinto "f%d";' % i for i in range(n)) + "\n")
    args = "check s.sieve"
elif family == "deep-legal-nesting":
    block = "if true { " * 30 + "keep;" + " }" * 30 + "\n"
    script(block * n)
    args = "check --format short s.sieve"
elif family == "random-bytes":
    random.seed(7)
    with open(os.path.join(d, "s.sieve"), "wb") as f:
        f.write(bytes(random.getrandbits(8) for _ in range(n)))
    args = "check s.sieve"
elif family == "huge-header":
    script('if header :contains "subject" "needle" { keep; }\n')
    mail("a.eml", subject="x" * n + " needle")
    args = "run --trace s.sieve mail"
elif family == "many-messages":
    script('require "fileinto";\nif header :contains "subject" "news" { fileinto "News"; }\n')
    with open(os.path.join(d, "box.mbox"), "w") as f:
        for i in range(n):
            f.write(f"From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: news {i}\n\nbody\n\n")
    args = "run --quiet s.sieve box.mbox"
elif family == "many-list-members":
    script('require ["extlists"];\nif address :list "from" ":addrbook:big" { keep; }\n')
    mail("a.eml")
    with open(os.path.join(d, "list.csv"), "w") as f:
        f.write("email\n")
        for i in range(n):
            f.write(f"user{i}@example.org\n")
    args = "run --list :addrbook:big=list.csv s.sieve mail"
print(args)
PY
}

# measure DIR ARGS: "seconds kilobytes" (best time of 3, its peak memory)
measure() {
    local dir=$1
    shift
    local best= mem=
    for _ in 1 2 3; do
        local line
        line=$( (cd "$dir" && /usr/bin/time -f "%e %M" "$BIN" "$@" >/dev/null 2>"$tmp/err"; true); tail -1 "$tmp/err")
        local t=${line% *} m=${line#* }
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t mem=$m; fi
    done
    echo "$best $mem"
}

fail=0
check() {
    local family=$1 n=$2
    local a b
    a=$(gen "$family" "$n" "$tmp/$family-a")
    b=$(gen "$family" $((n * 4)) "$tmp/$family-b")
    # shellcheck disable=SC2086
    read -r ta ma <<<"$(measure "$tmp/$family-a" $a)"
    # shellcheck disable=SC2086
    read -r tb mb <<<"$(measure "$tmp/$family-b" $b)"
    local rt rm
    rt=$(echo "scale=2; ($tb + 0.005) / ($ta + 0.005)" | bc)
    rm=$(echo "scale=2; $mb / $ma" | bc)
    printf '%-20s n=%-8s %6.2f s %7d KB   4n: %6.2f s %7d KB   time x%-5s memory x%s\n' \
        "$family" "$n" "$ta" "$ma" "$tb" "$mb" "$rt" "$rm"
    if [ "$(echo "$tb >= 0.05 && $rt > 5" | bc)" = 1 ] || [ "$(echo "$rm > 5" | bc)" = 1 ]; then
        fail=1
    fi
    rm -rf "$tmp/$family-a" "$tmp/$family-b"
}

command -v bc >/dev/null || { echo "scaling.sh needs bc"; exit 2; }
check many-references 30000
check many-requires 50000
check many-capabilities 25000
check many-diagnostics 20000
check long-line 20000
check deep-legal-nesting 2000
check random-bytes 1000000
check huge-header 2000000
check many-messages 20000
check many-list-members 200000
exit $fail
