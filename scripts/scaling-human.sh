#!/usr/bin/env bash
# Scaling check of the human report (not part of `cargo test`): for each
# family of input it runs size N and 2N and prints the times and their
# ratio, which must stay near 2 (linear). Families: many diagnostics on many
# lines, many diagnostics on one line, 100 diagnostics at the end of a long
# file, one diagnostic with many secondary locations, one diagnostic far
# out on a long line
# (past miette's 65,535 columns), and the dry run of a message whose Subject
# is one long line.
#   scripts/scaling-human.sh [N]      (default N = 20000)
# Uses target/release/sieve-lint when it exists, else target/debug.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
BIN=${CARGO_TARGET_DIR:-target}/release/sieve-lint
[ -x "$BIN" ] || BIN=${CARGO_TARGET_DIR:-target}/debug/sieve-lint
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

gen() { # family n file
    python3 - "$1" "$2" "$3" <<'PY'
import sys
family, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if family == "lines":
    text = "".join('fileinto "f%d";\n' % i for i in range(n))
elif family == "one-line":
    text = " ".join('fileinto "f%d";' % i for i in range(n)) + "\n"
elif family == "far-lines":  # n valid lines, then 100 diagnostics at the end
    text = "keep;\n" * n + "".join('fileinto "f%d";\n' % i for i in range(100))
elif family == "many-labels":  # one diagnostic with n secondary locations
    text = 'require "reject";\nreject "x";\n' + 'if exists "x" { keep; }\n' * n
elif family == "far-column":
    text = " " * (n * 50) + "bogus;\n"
else:  # subject: a message whose Subject is n*50 bytes on one line
    text = "From: a@example.com\nSubject: " + "x" * (n * 50) + "\n\nbody\n"
open(path, "w").write(text)
PY
}

seconds() { # command... : the best of three runs (the machine may be busy)
    local s e t best=""
    for _ in 1 2 3; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

printf '%-12s %-6s %10s %10s %7s\n' family format "t(N) s" "t(2N) s" ratio
for family in lines one-line far-lines many-labels far-column; do
    gen "$family" "$N" "$T/a.sieve"
    gen "$family" $((2 * N)) "$T/b.sieve"
    for format in human short; do
        a=$(seconds "$BIN" check --format "$format" "$T/a.sieve")
        b=$(seconds "$BIN" check --format "$format" "$T/b.sieve")
        printf '%-12s %-6s %10.3f %10.3f %7.2f\n' "$family" "$format" "$a" "$b" "$(echo "$b / $a" | bc -l)"
    done
done
gen subject "$N" "$T/a.eml"
gen subject $((2 * N)) "$T/b.eml"
printf 'keep;\n' >"$T/k.sieve"
a=$(seconds "$BIN" run --trace "$T/k.sieve" "$T/a.eml")
b=$(seconds "$BIN" run --trace "$T/k.sieve" "$T/b.eml")
printf '%-12s %-6s %10.3f %10.3f %7.2f\n' subject run "$a" "$b" "$(echo "$b / $a" | bc -l)"
