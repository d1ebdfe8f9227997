#!/usr/bin/env bash
# Memory of the dry run on big inputs (issue 12 item 17): a multi-GB mbox
# and a 100,000-file Maildir, peak resident memory and time with
# /usr/bin/time -v; and the throughput (messages/s) on the 10,000-message
# folder of examples/gen_mail_bench.rs, against a baseline binary.
#
#   scripts/mem-bench.sh ["MBOX_GB …"] [BASELINE_BINARY]
#
# MBOX_GB (default "1 10") are the sizes of the generated mboxes, one after
# the other (the peak memory must not grow with them); BASELINE_BINARY
# (optional) is an older sieve-lint to compare the throughput with (and
# the Maildir's memory). Not part
# of `cargo test`. Everything is generated under $TMPDIR (default /tmp) and
# deleted at the end: the mbox needs MBOX_GB of free disk, the Maildir is
# made of hard links to the 10,000 generated messages (~125 MB).
#
# Measured 2026-12-02 (2 cores shared with other jobs, load ~7: wall times
# are noisy, memory is not), release build, --format json to /dev/null:
#   10,000-message folder:  peak 15-16 MB (before: 39 MB); user+sys CPU
#                           0.33-0.35 s either way, wall 0.5-1.1 s either way
#   100,000-file Maildir:   peak 37-38 MB (before: 273-279 MB); wall 8.7-10.8 s
#                           (before: 7.8-12.0 s)
#   1 GB mbox (100,000 messages):  peak 52 MB, 3.7 s
#   3 GB mbox (280,000 messages):  peak 50 MB json, 58 MB human
#   10 GB mbox (920,000 messages): peak 34 MB json (96 s, 9,600 messages/s),
#                                  33 MB human (91 s)
#   (before: the mbox was read whole, resident memory twice its size)
set -euo pipefail

SIZES=${1:-1 10}
BASE=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sl-mem-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

die() { echo "mem-bench: $*" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || die "needs /usr/bin/time (GNU time)"

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
# SIEVE_LINT=BINARY measures that binary instead of building one.
if [[ -z ${SIEVE_LINT:-} || ! -x $CARGO_TARGET_DIR/release/examples/gen_mail_bench ]]; then
    (cd "$ROOT" && cargo build --release --quiet --bin sieve-lint --example gen_mail_bench) ||
        die "cargo build failed"
fi
LINT=${SIEVE_LINT:-$CARGO_TARGET_DIR/release/sieve-lint}
"$CARGO_TARGET_DIR/release/examples/gen_mail_bench" "$WORK" 10000 1000 1000 >/dev/null ||
    die "gen_mail_bench failed"
cd "$WORK"

# peak LABEL CMD…: runs CMD under /usr/bin/time -v, prints the peak resident
# memory, the wall time and (with MESSAGES set) messages per second.
peak() {
    local label=$1
    shift
    /usr/bin/time -v "$@" >/dev/null 2>time.log || true
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' time.log)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' time.log)
    printf '%-34s peak RSS %7.1f MB  wall %s' "$label" "$(echo "$rss / 1024" | bc -l)" "$wall"
    if [[ -n ${MESSAGES:-} ]]; then
        local secs
        secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        printf '  %8.0f messages/s' "$(echo "$MESSAGES / $secs" | bc -l)"
    fi
    echo
}

RUN=(run --no-config filter.sieve --lists lists.json)

echo "== throughput: the 10,000-message folder, JSON and human (-q), 3 runs each"
for bin in "$LINT" ${BASE:+"$BASE"}; do
    for i in 1 2 3; do
        MESSAGES=10000 peak "$(basename "$(dirname "$bin")")/$(basename "$bin") json #$i" \
            "$bin" "${RUN[@]}" --format json mail
    done
    MESSAGES=10000 peak "$(basename "$(dirname "$bin")")/$(basename "$bin") -q" \
        "$bin" "${RUN[@]}" -q mail
done

echo "== a 100,000-file Maildir (hard links to the 10,000 messages)"
mkdir -p maildir/cur maildir/new maildir/tmp
python3 - <<'PY'
import os
for r in range(10):
    for n in sorted(os.listdir("mail")):
        os.link(os.path.join("mail", n), f"maildir/cur/17000{r}{n[:-4]}.M1P1.host,S=1:2,S")
PY
for bin in "$LINT" ${BASE:+"$BASE"}; do
    MESSAGES=100000 peak "maildir $(basename "$(dirname "$bin")") json" \
        "$bin" "${RUN[@]}" --format json maildir
done
rm -rf maildir

for GB in $SIZES; do
echo "== a ${GB} GB mbox (the 10,000 messages, mboxrd-quoted, over and over)"
python3 - "$GB" <<'PY'
import os, re, sys
target = int(float(sys.argv[1]) * 1e9)
names = sorted(os.listdir("mail"))
msgs = []
for n in names:
    with open(os.path.join("mail", n), "rb") as fh:
        raw = fh.read()
    raw = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
    if not raw.endswith(b"\n"):
        raw += b"\n"
    msgs.append(b"From bench@example.org Thu Mar  5 10:00:00 2026\n" + raw + b"\n")
chunk = b"".join(msgs)
written = 0
count = 0
with open("big.mbox", "wb", buffering=1 << 22) as out:
    while written < target:
        out.write(chunk)
        written += len(chunk)
        count += len(msgs)
with open("big.count", "w") as fh:
    fh.write(str(count))
print(f"   {written / 1e9:.1f} GB, {count} messages")
PY
COUNT=$(cat big.count)
MESSAGES=$COUNT peak "mbox ${GB} GB json" "$LINT" "${RUN[@]}" --format json big.mbox
MESSAGES=$COUNT peak "mbox ${GB} GB human" "$LINT" "${RUN[@]}" big.mbox
rm -f big.mbox
done
