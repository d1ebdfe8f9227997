#!/bin/sh
# Compare sieve-lint with Pigeonhole's sievec, script by script and line by line.
#
# Usage: scripts/compare-pigeonhole-suite.sh FOLDER [SIEVE-LINT]
#
# FOLDER holds *.sieve scripts (searched recursively); nothing is fetched. Each
# script is compiled with sievec with every extension Pigeonhole has enabled
# (the vendor ones and the imapsieve and extprograms plugins too) and linted
# with sieve-lint under the default target and under --target dovecot-2.3. For
# every line on which either reports an error one row is printed:
#
#   script:line  PH=<errors from sievec>  SL=<E|W|->  SL23=<E|W|->  verdict
#
# where verdict is "same" (both error), "same-on-target" (sieve-lint errs
# only with the Dovecot target: the RFCs allow it), "PH-only" (sievec refuses the line,
# sieve-lint gives no error; W means it warns), or "SL-only" (sieve-lint
# errors, sievec compiles). A last line per script compares the totals. Read
# each row against the RFC: a difference is a bug on one side or the other.
#
# Without sievec on PATH the script says so and exits 0.
set -u
dir=${1:?usage: $0 FOLDER [SIEVE-LINT]}
lint=${2:-target/debug/sieve-lint}
if ! command -v sievec >/dev/null 2>&1; then
	echo "sievec not found: install Pigeonhole (dovecot-sieve) to compare; skipped"
	exit 0
fi
if [ ! -x "$lint" ]; then
	echo "sieve-lint not found at $lint (build it or pass its path)" >&2
	exit 2
fi
exts="+vnd.dovecot.pipe +vnd.dovecot.filter +vnd.dovecot.execute +vnd.dovecot.debug"
exts="$exts +vnd.dovecot.environment +vnd.dovecot.report +vnd.dovecot.duplicate"
exts="$exts +imapflags +notify +editheader +mboxmetadata +servermetadata +special-use"
exts="$exts +vnd.dovecot.imapsieve +spamtest +spamtestplus +virustest +foreverypart"
exts="$exts +mime +extracttext +vacation-seconds"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 777 "$tmp"

# "LINE SEVERITY" pairs from sieve-lint's short format (file:line:col: sev[code]: …)
lint_lines() {
	"$lint" check --format short --no-config "$@" 2>/dev/null |
		sed -n 's/^.*:\([0-9][0-9]*\):[0-9][0-9]*: \(error\|warning\)\[.*$/\1 \2/p'
}

find "$dir" -name '*.sieve' | sort | while IFS= read -r f; do
	sievec -c /dev/null -P sieve_imapsieve -P sieve_extprograms -x "$exts" \
		"$f" "$tmp/out.svbin" >"$tmp/ph.txt" 2>&1
	# "LINE" per error line reported by sievec (count repeats)
	sed -n 's/^.*: line \([0-9][0-9]*\): error: .*$/\1/p' "$tmp/ph.txt" >"$tmp/ph"
	lint_lines "$f" >"$tmp/sl"
	lint_lines --target dovecot-2.3 "$f" >"$tmp/sl23"
	cut -d' ' -f1 "$tmp/sl" "$tmp/sl23" | cat - "$tmp/ph" | sort -n -u >"$tmp/lines"
	while IFS= read -r n; do
		ph=$(grep -c "^$n\$" "$tmp/ph")
		sl=$(awk -v n="$n" '$1==n{ if ($2=="error") e=1; else w=1 } END{ print e ? "E" : (w ? "W" : "-") }' "$tmp/sl")
		sl23=$(awk -v n="$n" '$1==n{ if ($2=="error") e=1; else w=1 } END{ print e ? "E" : (w ? "W" : "-") }' "$tmp/sl23")
		if [ "$ph" -gt 0 ] && [ "$sl" = E ]; then v=same
		elif [ "$ph" -gt 0 ] && [ "$sl23" = E ]; then v=same-on-target
		elif [ "$ph" -gt 0 ]; then v=PH-only
		elif [ "$sl" = E ] || [ "$sl23" = E ]; then v=SL-only
		else continue
		fi
		printf '%s:%s\tPH=%s\tSL=%s\tSL23=%s\t%s\n' "$f" "$n" "$ph" "$sl" "$sl23" "$v"
	done <"$tmp/lines"
	phn=$(wc -l <"$tmp/ph" | tr -d ' ')
	sln=$(grep -c ' error$' "$tmp/sl")
	printf '%s\ttotal: sievec %s error(s), sieve-lint %s error(s)\n' "$f" "$phn" "$sln"
done
