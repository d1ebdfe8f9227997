#!/usr/bin/env bash
# Scaling check: every input shape that was once quadratic (or worse) is
# timed at N and 2N; the ratio should stay near 2 (linear). Prints one line
# per shape and exits 1 when a ratio passes 3.5. Not part of `cargo test`
# (timing there would be flaky); run it after changing a rule, the parser or
# a report format:
#
#   scripts/scaling.sh            (builds the release binary first)
#   BIN=path/to/sieve-lint scripts/scaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=target/release/sieve-lint
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gen SHAPE N > file
gen() {
    python3 - "$1" "$2" <<'PY'
import sys, random
shape, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout
if shape == "encoded-refs":
    out.write('require ["encoded-character", "variables"];\n')
    out.write('if header :is "subject" "' + '${hex:zz' * n + '" { keep; }\n')
    out.write('if header :is "subject" "' + '${a-b}' * n + '" { keep; }\n')
elif shape == "duplicate-requires":
    out.write('require "fileinto";\n' * n)
    out.write('fileinto "x";\n')
elif shape == "unknown-capabilities":
    out.write(''.join('require "x-unknown-%d";\n' % i for i in range(n)))
elif shape == "missing-requires-human":
    out.write(''.join('fileinto "f%d";\n' % i for i in range(n)))
elif shape == "random-bytes":
    random.seed(7)
    sys.stdout.flush()
    sys.stdout.buffer.write(bytes(random.getrandbits(8) for _ in range(n)))
PY
}

# time_of FILE ARGS...: seconds (best of 3)
time_of() {
    local f=$1 best=
    shift
    for _ in 1 2 3; do
        local s e t
        s=$(date +%s.%N)
        "$BIN" "$@" "$f" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

fail=0
check() {
    local shape=$1 n=$2
    shift 2
    gen "$shape" "$n" > "$tmp/a.sieve"
    gen "$shape" $((n * 2)) > "$tmp/b.sieve"
    local ta tb ratio
    ta=$(time_of "$tmp/a.sieve" "$@")
    tb=$(time_of "$tmp/b.sieve" "$@")
    ratio=$(echo "scale=2; $tb / ($ta + 0.001)" | bc)
    printf '%-24s %-22s N=%-8s %6.3f s  2N: %6.3f s  ratio %s\n' "$shape" "$*" "$n" "$ta" "$tb" "$ratio"
    if [ "$(echo "$ratio > 3.5" | bc)" = 1 ]; then fail=1; fi
}

check encoded-refs 60000 check --format short
check duplicate-requires 100000 check --format short
check unknown-capabilities 50000 check --format short
check missing-requires-human 20000 check
check random-bytes 2000000 check
exit $fail
