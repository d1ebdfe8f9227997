#!/usr/bin/env bash
# Proves the pre-commit hook (.pre-commit-hooks.yaml) works as a user would
# use it. Not part of `cargo test`: it needs PyPI (pre-commit) and crates.io
# (pre-commit builds the hook with `cargo install --path .`, a release build,
# which takes minutes).
#
#   scripts/test-pre-commit.sh
#
# In a temporary folder it makes a virtualenv with pre-commit from PyPI, and
# a git repository holding good.sieve (clean) and bad.sieve (an error), whose
# .pre-commit-config.yaml points at THIS repository (its path as `repo:`, its
# HEAD commit as `rev:`: commit the hook definition first). Then:
#   pre-commit run --files good.sieve   must pass;
#   pre-commit run --files bad.sieve    must fail and name the rule code;
#   the same with `args: [--format, short]` must print the short line.
# When pre-commit cannot be installed (offline), it says so and exits 0.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
rev="$(git -C "$here" rev-parse HEAD)"
if ! git -C "$here" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null; then
    echo "test-pre-commit: .pre-commit-hooks.yaml is not in HEAD ($rev): commit it first" >&2
    exit 1
fi
if [ -n "$(git -C "$here" status --porcelain -- .pre-commit-hooks.yaml src Cargo.toml Cargo.lock)" ]; then
    echo "test-pre-commit: note: uncommitted changes are not tested (pre-commit clones $rev)"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python="${PYTHON:-python3}"
if ! "$python" -m venv "$tmp/venv" >/dev/null 2>&1; then
    echo "test-pre-commit: SKIP: cannot make a Python virtualenv with $python"
    exit 0
fi
if ! "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit \
    >"$tmp/pip.log" 2>&1; then
    echo "test-pre-commit: SKIP: cannot install pre-commit from PyPI (offline?):"
    tail -n 3 "$tmp/pip.log" | sed 's/^/  /'
    exit 0
fi
pre_commit="$tmp/venv/bin/pre-commit"
echo "test-pre-commit: $("$pre_commit" --version), hook from $here at $rev"

# pre-commit keeps its hook environments here, not in ~/.cache.
export PRE_COMMIT_HOME="$tmp/cache"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

work="$tmp/repo"
git init --quiet "$work"
cd "$work"
cat >good.sieve <<'SIEVE'
require "fileinto";
if header :contains "subject" "[list]" {
    fileinto "Lists";
}
SIEVE
cat >bad.sieve <<'SIEVE'
if header :contains "subject" "[list]" {
    fileinto "Lists";
}
SIEVE

config() {
    {
        echo "repos:"
        echo "  - repo: $here"
        echo "    rev: $rev"
        echo "    hooks:"
        echo "      - id: sieve-lint"
        if [ -n "${1:-}" ]; then echo "        args: $1"; fi
    } >.pre-commit-config.yaml
    git add good.sieve bad.sieve .pre-commit-config.yaml
}

fail() {
    echo "test-pre-commit: FAIL: $1" >&2
    exit 1
}

config ""
echo "test-pre-commit: installing the hook (cargo install --path . of $rev; takes a while)"
if ! "$pre_commit" install-hooks >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log" >&2
    fail "pre-commit could not install the hook"
fi

echo "--- pre-commit run --files good.sieve"
if ! "$pre_commit" run --files good.sieve 2>&1 | tee "$tmp/good.log"; then
    fail "the hook rejected good.sieve"
fi

echo "--- pre-commit run --files bad.sieve"
set +e
"$pre_commit" run --files bad.sieve >"$tmp/bad.log" 2>&1
status=$?
set -e
cat "$tmp/bad.log"
[ "$status" -ne 0 ] || fail "the hook passed bad.sieve"
grep -q 'SL0203' "$tmp/bad.log" || fail "the output does not name SL0203"

config "[--format, short]"
echo "--- pre-commit run --files bad.sieve  (args: [--format, short])"
set +e
"$pre_commit" run --files bad.sieve >"$tmp/short.log" 2>&1
status=$?
set -e
cat "$tmp/short.log"
[ "$status" -ne 0 ] || fail "the hook passed bad.sieve with --format short"
grep -q '^bad.sieve:2:5: error\[SL0203\]' "$tmp/short.log" ||
    fail "no short-format line for bad.sieve"

echo "test-pre-commit: OK: good.sieve passed, bad.sieve failed with SL0203 (both formats)"
