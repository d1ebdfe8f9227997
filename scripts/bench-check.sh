#!/usr/bin/env bash
# Benchmark `sieve-lint check` against Dovecot Pigeonhole's `sievec` on
# generated scripts of 100, 1,000 and 10,000 rules (examples/gen_bench.rs).
#
#   scripts/bench-check.sh            # from anywhere inside the repository
#   KEEP=1 scripts/bench-check.sh     # keep the temp dir (scripts, JSON)
#
# Needs: cargo, python3, sievec (apt-get install -y dovecot-sieve),
# hyperfine (apt-get install -y hyperfine), GNU time for peak RSS
# (apt-get install -y time; optional). Exit 0: all targets met;
# 1: a target missed; 2: a tool is missing or a step failed.
set -euo pipefail

die() { echo "bench-check: $*" >&2; exit 2; }

cd "$(dirname "$0")/.."

SIEVEC=${SIEVEC:-sievec}
command -v "$SIEVEC" >/dev/null 2>&1 ||
    die "sievec not found; install it with: apt-get install -y dovecot-sieve"
command -v hyperfine >/dev/null 2>&1 ||
    die "hyperfine not found; install it with: apt-get install -y hyperfine"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
command -v cargo >/dev/null 2>&1 || die "cargo not found"
GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f %M true >/dev/null 2>&1; then
    echo "bench-check: $GNU_TIME -f %M unusable; peak RSS not measured (apt-get install -y time)" >&2
    GNU_TIME=
fi

echo "== building (release)"
cargo build --release --quiet --bin sieve-lint --example gen_bench || die "cargo build failed"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LINT="$TARGET_DIR/release/sieve-lint"
GEN="$TARGET_DIR/release/examples/gen_bench"
[[ -x $LINT && -x $GEN ]] || die "release binaries not found under $TARGET_DIR/release"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sieve-bench.XXXXXX")
if [[ -z ${KEEP:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
else
    echo "== keeping $WORK"
fi

# Dovecot refuses scripts over 1 MiB by default (sieve_max_script_size);
# the 10,000-rule script is 1.6 MB. `-c /dev/null` avoids reading the
# system's dovecot.conf (and its permission checks).
SIEVEC_ARGS=(-c /dev/null -o plugin/sieve_max_script_size=64M)

SIZES=(100 1000 10000)
HF_OPTS=(--warmup 3 --style basic)
if hyperfine --help 2>&1 | grep -q -- '-N'; then HF_OPTS+=(-N); fi

for n in "${SIZES[@]}"; do
    f="$WORK/rules-$n.sieve"
    "$GEN" "$n" >"$f" || die "gen_bench $n failed"

    # Both tools must accept the script before we time them.
    out=$("$LINT" check --format short "$f") ||
        die "sieve-lint reports findings on $f (exit $?):"$'\n'"$out"
    [[ -z $out ]] || die "sieve-lint printed findings on $f:"$'\n'"$out"
    if ! "$SIEVEC" "${SIEVEC_ARGS[@]}" "$f" "$WORK/out-$n.svbin" >"$WORK/sievec-$n.log" 2>&1; then
        cat "$WORK/sievec-$n.log" >&2
        die "sievec failed to compile $f"
    fi
    [[ -s $WORK/out-$n.svbin ]] || die "sievec wrote no binary for $f"

    echo "== $n rules ($(wc -c <"$f") bytes)"
    hyperfine "${HF_OPTS[@]}" --export-json "$WORK/hf-$n.json" \
        -n sieve-lint "$LINT check --format short $f" \
        -n sievec "$SIEVEC ${SIEVEC_ARGS[*]} $f $WORK/out-$n.svbin" ||
        die "hyperfine failed on $f"

    rss=""
    if [[ -n $GNU_TIME ]]; then
        # The best of 5 runs' maximum resident set size, in KB.
        for _ in 1 2 3 4 5; do
            "$GNU_TIME" -f %M -o "$WORK/rss" "$LINT" check --format short "$f" >/dev/null ||
                die "sieve-lint failed under $GNU_TIME"
            r=$(tail -n 1 "$WORK/rss")
            if [[ -z $rss || $r -lt $rss ]]; then rss=$r; fi
        done
    fi
    echo "$rss" >"$WORK/rss-$n"
done

echo
python3 - "$WORK" "${SIZES[@]}" <<'PY'
import json, os, sys

work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
ratio_target = {100: 3.0, 1000: 3.0, 10000: 1.5}
PEAK_MB, SCALING = 50.0, 11.0
rows, med, ok = [], {}, True

def mark(good):
    global ok
    ok = ok and good
    return "ok  " if good else "MISS"

for n in sizes:
    with open(os.path.join(work, f"hf-{n}.json")) as fh:
        res = {r["command"]: r for r in json.load(fh)["results"]}
    lint = res["sieve-lint"]["median"] * 1000
    sievec = res["sievec"]["median"] * 1000
    med[n] = (lint, sievec)
    size = os.path.getsize(os.path.join(work, f"rules-{n}.sieve"))
    rss = open(os.path.join(work, f"rss-{n}")).read().strip()
    peak = int(rss) / 1024 if rss else None
    ratio = sievec / lint
    t = ratio_target.get(n, 1.5)
    rows.append((n, size, lint, sievec, ratio, t, peak))

hdr = f"{'rules':>6} {'size':>9} {'sieve-lint ms':>14} {'sievec ms':>10} {'ratio':>7} {'target':>8} {'':4} {'peak MB':>8} {'target':>7} {'':4}"
print(hdr)
print("-" * len(hdr))
for n, size, lint, sievec, ratio, t, peak in rows:
    size_s = f"{size / 1024:.0f} KB" if size < 1 << 20 else f"{size / 1e6:.2f} MB"
    peak_s, peak_m = ("n/a", "    ") if peak is None else (f"{peak:.1f}", mark(peak < PEAK_MB))
    print(f"{n:>6} {size_s:>9} {lint:>14.2f} {sievec:>10.2f} {ratio:>6.2f}x {'>= ' + format(t, 'g') + 'x':>8} {mark(ratio >= t)} "
          f"{peak_s:>8} {'< ' + format(PEAK_MB, 'g'):>7} {peak_m}")

if 1000 in med and 10000 in med:
    print()
    for i, tool in enumerate(("sieve-lint", "sievec")):
        s = med[10000][i] / med[1000][i]
        print(f"scaling time(10,000)/time(1,000) {tool:<10} {s:6.2f}x  (target <= {SCALING:g}x) {mark(s <= SCALING) if tool == 'sieve-lint' else ''}")

print()
print("all targets met" if ok else "some targets MISSED")
sys.exit(0 if ok else 1)
PY
