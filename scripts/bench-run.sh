#!/usr/bin/env bash
# Benchmark the dry run (`sieve-lint run`) on generated mail
# (examples/gen_mail_bench.rs): 10,000 messages of 2–20 KB, a 50-rule
# script with `:list` tests, a 100,000-member list, and a 1,000,000-member
# CSV list for the loading time. Compares with Dovecot's `sieve-test` when
# it is installed.
#
#   scripts/bench-run.sh              # from anywhere inside the repository
#   KEEP=1 scripts/bench-run.sh       # keep the temp dir (mail, lists, JSON)
#   RUNS=10 scripts/bench-run.sh      # hyperfine runs per case (default 5)
#
# Needs: cargo, python3, hyperfine (apt-get install -y hyperfine), taskset
# (util-linux). Optional: GNU time for peak RSS (apt-get install -y time),
# sieve-test (apt-get install -y dovecot-sieve dovecot-core). Exit 0: all
# targets met; 1: a target missed; 2: a tool is missing or a step failed.
set -euo pipefail

die() { echo "bench-run: $*" >&2; exit 2; }
note() { echo "bench-run: $*" >&2; }

cd "$(dirname "$0")/.."

MESSAGES=10000
SMALL=1000
MEMBERS=100000
BIG=1000000
DOVECOT_MESSAGES=200
RUNS=${RUNS:-5}

command -v hyperfine >/dev/null 2>&1 ||
    die "hyperfine not found; install it with: apt-get install -y hyperfine"
command -v taskset >/dev/null 2>&1 || die "taskset not found (util-linux)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
command -v cargo >/dev/null 2>&1 || die "cargo not found"
GNU_TIME=/usr/bin/time
if ! "$GNU_TIME" -f %M true >/dev/null 2>&1; then
    note "$GNU_TIME -f %M unusable; peak RSS not measured (apt-get install -y time)"
    GNU_TIME=
fi
SIEVE_TEST=${SIEVE_TEST:-sieve-test}
if ! command -v "$SIEVE_TEST" >/dev/null 2>&1; then
    note "sieve-test not found; no Dovecot comparison (apt-get install -y dovecot-sieve dovecot-core)"
    SIEVE_TEST=
fi

echo "== building (release)"
cargo build --release --quiet --bin sieve-lint --example gen_mail_bench || die "cargo build failed"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
LINT="$TARGET_DIR/release/sieve-lint"
GEN="$TARGET_DIR/release/examples/gen_mail_bench"
[[ -x $LINT && -x $GEN ]] || die "release binaries not found under $TARGET_DIR/release"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sieve-run-bench.XXXXXX")
if [[ -z ${KEEP:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
else
    echo "== keeping $WORK"
fi

echo "== generating $MESSAGES messages, a $MEMBERS-member list, a $BIG-member CSV"
"$GEN" "$WORK" "$MESSAGES" "$MEMBERS" "$BIG" || die "gen_mail_bench failed"
# Message n depends only on n: the first 1,000 are the 1,000-message set.
mkdir "$WORK/mail-$SMALL"
for ((i = 0; i < SMALL; i++)); do
    printf -v f '%05d.eml' "$i"
    ln "$WORK/mail/$f" "$WORK/mail-$SMALL/$f" 2>/dev/null || cp "$WORK/mail/$f" "$WORK/mail-$SMALL/$f"
done
cp "$WORK/mail/00001.eml" "$WORK/one.eml"
echo "   $(du -sh "$WORK/mail" | cut -f1) of mail, lists.json $(du -h "$WORK/lists.json" | cut -f1), big.csv $(du -h "$WORK/big.csv" | cut -f1)"

cd "$WORK"
# The script must lint clean and every message must run without errors.
out=$("$LINT" check --format short filter.sieve --lists lists.json) ||
    die "sieve-lint reports findings on filter.sieve (exit $?):"$'\n'"$out"
[[ -z $out ]] || die "sieve-lint printed findings on filter.sieve:"$'\n'"$out"
"$LINT" run filter.sieve mail --lists lists.json --format json --trace >run.json ||
    die "the dry run failed (exit $?)"
"$LINT" run filter.sieve one.eml --lists big.csv >/dev/null ||
    die "the dry run with big.csv failed (exit $?)"

CORES=$(nproc)
if ((CORES >= 2)); then
    TWO=(taskset -c 0,1)
else
    note "only one core: case (a) runs on it"
    TWO=(taskset -c 0)
fi
ONE=(taskset -c 0)
RUN=("$LINT" run filter.sieve)
# hyperfine discards the commands' output (the `> /dev/null` of a shell).
HF_OPTS=(--warmup 1 --runs "$RUNS" --style basic)
if hyperfine --help 2>&1 | grep -q -- '--shell=none\|-N'; then HF_OPTS+=(-N); fi

echo "== (a) $MESSAGES messages, 2 cores; (b) one core; (c) $SMALL messages, one core"
hyperfine "${HF_OPTS[@]}" --export-json hf-run.json \
    -n two-cores "${TWO[*]} ${RUN[*]} mail --lists lists.json --format json" \
    -n one-core "${ONE[*]} ${RUN[*]} mail --lists lists.json --format json" \
    -n one-core-small "${ONE[*]} ${RUN[*]} mail-$SMALL --lists lists.json --format json" ||
    die "hyperfine failed"

echo "== (d) loading the $BIG-member CSV (one message)"
hyperfine "${HF_OPTS[@]}" --export-json hf-load.json \
    -n big-csv "${RUN[*]} one.eml --lists big.csv" \
    -n small-json "${RUN[*]} one.eml --lists lists.json" ||
    die "hyperfine failed"
rss=""
if [[ -n $GNU_TIME ]]; then
    # The best of 3 runs' maximum resident set size, in KB.
    for _ in 1 2 3; do
        "$GNU_TIME" -f %M -o rss.txt "${RUN[@]}" one.eml --lists big.csv >/dev/null ||
            die "sieve-lint failed under $GNU_TIME"
        r=$(tail -n 1 rss.txt)
        if [[ -z $rss || $r -lt $rss ]]; then rss=$r; fi
    done
fi
echo "$rss" >rss-big

if [[ -n $SIEVE_TEST ]]; then
    echo "== Dovecot sieve-test, one process per message, $DOVECOT_MESSAGES messages"
    # Pigeonhole has no extlists: filter-dovecot.sieve has `:is` on a few
    # addresses where filter.sieve has `:list`. The folder is writable so
    # that sieve-test can keep the compiled script (.svbin) between runs.
    mkdir -p dovecot/md
    cp filter-dovecot.sieve dovecot/
    DV_OPTS=(-c /dev/null -l "maildir:$WORK/dovecot/md")
    if [[ $(id -u) == 0 ]]; then
        DV_OPTS+=(-o mail_uid=nobody -o mail_gid=nogroup)
        chmod 0777 dovecot dovecot/md
        chmod 0755 "$WORK"
    fi
    {
        echo 'set -e'
        for ((i = 0; i < DOVECOT_MESSAGES; i++)); do
            printf '%q ' "$SIEVE_TEST" "${DV_OPTS[@]}" dovecot/filter-dovecot.sieve
            printf 'mail/%05d.eml >/dev/null 2>&1\n' "$i"
        done
    } >dovecot/loop.sh
    if "$SIEVE_TEST" "${DV_OPTS[@]}" dovecot/filter-dovecot.sieve one.eml >dovecot/one.log 2>&1; then
        hyperfine --warmup 1 --runs 3 --style basic --export-json hf-dovecot.json \
            -n sieve-test "bash dovecot/loop.sh" || die "hyperfine failed on sieve-test"
    else
        note "sieve-test failed on one message; no Dovecot comparison:"
        cat dovecot/one.log >&2
    fi
fi

echo
python3 - "$WORK" "$MESSAGES" "$SMALL" "$BIG" "$DOVECOT_MESSAGES" <<'PY'
import json, os, sys

work = sys.argv[1]
messages, small, big, dv_messages = (int(a) for a in sys.argv[2:6])
PER_S_ONE, RUN_S, LOAD_S, PEAK_MB, SCALING = 14000, 1.0, 1.0, 200.0, 11.0
ok = True

def mark(good):
    global ok
    ok = ok and good
    return "ok" if good else "MISS"

def results(name):
    with open(os.path.join(work, name)) as fh:
        return {r["command"]: r for r in json.load(fh)["results"]}

run = results("hf-run.json")
load = results("hf-load.json")
two, one, one_small = (run[k]["mean"] for k in ("two-cores", "one-core", "one-core-small"))
big_s, small_s = load["big-csv"]["mean"], load["small-json"]["mean"]
rss = open(os.path.join(work, "rss-big")).read().strip()
peak = int(rss) / 1024 if rss else None
with open(os.path.join(work, "run.json")) as fh:
    data = json.load(fh)
hits = {}
for m in data["messages"]:
    found = {l["list"] for t in m["trace"] for l in t["lists"] if l.get("member")}
    for name in found:
        hits[name] = hits.get(name, 0) + 1
n = len(data["messages"])

rows = [
    ("(a) 10,000 messages, 2 cores", f"{two:.3f} s", f"{messages / two:,.0f} msg/s", "< 1 s", mark(two < RUN_S)),
    ("(b) 10,000 messages, 1 core", f"{one:.3f} s", f"{messages / one:,.0f} msg/s", ">= 14,000 msg/s", mark(messages / one >= PER_S_ONE)),
    ("(c) 1,000 messages, 1 core", f"{one_small:.3f} s", f"{small / one_small:,.0f} msg/s", "", ""),
    ("(c) time(10,000)/time(1,000)", f"{one / one_small:.2f}x", f"marginal {(messages - small) / max(one - one_small, 1e-9):,.0f} msg/s", f"<= {SCALING:g}x (linear)", mark(one / one_small <= SCALING)),
    (f"(d) run with {big:,}-member CSV", f"{big_s:.3f} s", f"{small_s:.3f} s with lists.json", "< 1 s", mark(big_s < LOAD_S)),
    ("(d) peak RSS, CSV", "n/a" if peak is None else f"{peak:.0f} MB", "", "< 200 MB", "" if peak is None else mark(peak < PEAK_MB)),
]
dv = os.path.join(work, "hf-dovecot.json")
if os.path.exists(dv):
    t = results("hf-dovecot.json")["sieve-test"]["mean"]
    rows.append((f"Dovecot sieve-test, {dv_messages} msgs", f"{t:.3f} s", f"{dv_messages / t:,.0f} msg/s", "(peer)", ""))
else:
    rows.append(("Dovecot sieve-test", "not run", "", "", ""))
w = [max(len(r[i]) for r in rows) for i in range(5)]
for r in rows:
    print("  ".join(c.ljust(w[i]) if i in (0, 3) else c.rjust(w[i]) for i, c in enumerate(r)).rstrip())
print()
for name, h in sorted(hits.items()):
    print(f"list hits: {name}: {h / n:.1%} of {n:,} messages")
print(f"actions: {data['summary']['actions']}, run-time errors: {data['summary']['errors']}")
print()
print("all targets met" if ok else "some targets MISSED")
sys.exit(0 if ok else 1)
PY
