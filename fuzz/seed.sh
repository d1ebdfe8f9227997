#!/usr/bin/env bash
# Seeds the fuzz corpora from fixtures/: scripts for check and run_script,
# messages for run_message, list files (with the format selector byte that
# fuzz_targets/lists.rs reads first) for lists. Findings kept as regression
# inputs live in fixtures/fuzz/<target>/ and are seeded too.
set -euo pipefail
cd "$(dirname "$0")"
fx=../fixtures
mkdir -p corpus/check corpus/run_script corpus/run_message corpus/lists
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "corpus/check/fixture-$n"
    cp "$f" "corpus/run_script/fixture-$n"
done < <(find "$fx" ../tests/cmd/scripts -type f -name '*.sieve' -print0)
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "corpus/run_message/fixture-$n"
done < <(find "$fx" -type f -name '*.eml' -print0)
n=0
while IFS= read -r -d '' f; do
    n=$((n + 1))
    case "$f" in
        *.json) printf '\000' ;;
        *.csv) printf '\001' ;;
        *) printf '\004' ;;
    esac | cat - "$f" >"corpus/lists/fixture-$n"
    # The same bytes as a one-list file.
    case "$f" in
        *.json) printf '\003' | cat - "$f" >"corpus/lists/fixture-one-$n" ;;
        *.csv) printf '\002' | cat - "$f" >"corpus/lists/fixture-one-$n" ;;
    esac
done < <(find "$fx" ../tests/cmd/scripts -type f \( -name '*.json' -o -name '*.csv' -o -name '*.txt' \) -print0)
# vCard files (read as one address book: selector 5).
while IFS= read -r -d '' f; do
    n=$((n + 1))
    printf '\005' | cat - "$f" >"corpus/lists/vcard-$n"
done < <(find "$fx" ../tests/data/vcard -type f -name '*.vcf' -print0)
for t in check run_script run_message lists; do
    if [[ -d $fx/fuzz/$t ]]; then cp "$fx/fuzz/$t"/* "corpus/$t/" 2>/dev/null || true; fi
    echo "corpus/$t: $(ls "corpus/$t" | wc -l) inputs"
done
