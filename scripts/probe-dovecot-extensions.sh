#!/bin/sh
# Probes the installed Pigeonhole (Dovecot's Sieve) for which of the
# capabilities sieve-lint knows (src/ext/known.rs) `sievec` accepts in
# `require`: by default, only once enabled in sieve_extensions, only with a
# sieve plugin loaded (sievec -P: sieve_imapsieve, sieve_extprograms), or
# never; then its default limits (nesting of blocks
# and tests, script size, actions and redirects per message). Evidence for
# src/profiles/dovecot_2_3.rs. Skips when sievec is absent.
#
# Usage: scripts/probe-dovecot-extensions.sh [path/to/known.rs]
set -u

if ! command -v sievec >/dev/null 2>&1; then
    echo "sievec not found: skipping the Dovecot/Pigeonhole probe"
    exit 0
fi

here=$(dirname "$0")
known=${1:-$here/../src/ext/known.rs}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 777 "$tmp"
# An empty config: Pigeonhole's built-in defaults, nothing enabled or
# disabled by a local dovecot.conf.
conf=/dev/null
plugins="-P sieve_imapsieve -P sieve_extprograms"

echo "== $(sievec -c $conf -D "$tmp/none" 2>&1 | grep -o 'Pigeonhole version [^ ]* ([^)]*)' | head -1)"
dpkg-query -W -f '== package ${Package} ${Version}\n' dovecot-sieve 2>/dev/null

# compile <script-file> [sievec arguments]: 0 when accepted
compiles() {
    f=$1
    shift
    sievec -c $conf "$@" "$f" "$tmp/out.svbin" >/dev/null 2>&1
}
# first error of compiling <script-file>
first_error() {
    sievec -c $conf "$1" "$tmp/out.svbin" 2>&1 | grep -m1 -o 'error: .*'
}

# require <cap> (plus the extensions Pigeonhole says it cannot be used
# without, e.g. extracttext needs variables and foreverypart) with
# [sievec arguments]
try_cap() {
    cap=$1
    shift
    reqs="\"$cap\""
    for _ in 1 2 3; do
        printf 'require [%s];\nkeep;\n' "$reqs" >"$tmp/cap.sieve"
        dep=$(sievec -c $conf "$@" "$tmp/cap.sieve" "$tmp/out.svbin" 2>&1 |
            sed -n 's/.*cannot be used without \([^ ]*\) extension.*/\1/p' | head -1)
        [ -z "$dep" ] && break
        reqs="\"$dep\", $reqs"
    done
    compiles "$tmp/cap.sieve" "$@"
}

probe_cap() {
    cap=$1
    if try_cap "$cap"; then
        echo "default  $cap"
    elif try_cap "$cap" -x "+$cap"; then
        echo "enabled  $cap    (disabled by default; sieve_extensions = +$cap)"
    elif try_cap "$cap" $plugins; then
        echo "plugin   $cap    (needs its plugin in sieve_plugins)"
    elif try_cap "$cap" $plugins -x "+$cap"; then
        echo "plugin+  $cap    (needs its plugin in sieve_plugins and +$cap)"
    else
        echo "never    $cap"
    fi
}

echo "== capabilities sieve-lint knows"
caps=$(sed -n 's/^ *("\([^"]*\)", ".*/\1/p' "$known")
for cap in $caps; do
    probe_cap "$cap"
done

echo "== server-specific capabilities (not known to sieve-lint)"
for cap in imapflags notify vnd.dovecot.debug vnd.dovecot.duplicate \
    vnd.dovecot.environment vnd.dovecot.report vnd.dovecot.pipe \
    vnd.dovecot.filter vnd.dovecot.execute vnd.dovecot.imapsieve; do
    probe_cap "$cap"
done

# Features of supported extensions that sieve-lint's catalog has: a
# failure here is a missing feature (MissingFeature in the profile).
echo "== features of supported extensions"
feature() {
    printf '%s\n' "$2" >"$tmp/feature.sieve"
    if compiles "$tmp/feature.sieve"; then
        echo "has      $1"
    else
        echo "lacks    $1: $(first_error "$tmp/feature.sieve")"
    fi
}
feature "set :quoteregex (regex)" 'require ["regex", "variables"]; set :quoteregex "a" "b";'
feature "set :encodeurl (enotify)" 'require ["enotify", "variables"]; set :encodeurl "a" "b";'
feature "hasflag :count (imap4flags)" \
    'require ["imap4flags", "relational"]; if hasflag :count "ge" "1" { keep; }'
feature "header :index :last (index)" 'require "index"; if header :index 2 :last "x" "y" { keep; }'
feature "duplicate :uniqueid :seconds :last" \
    'require "duplicate"; if duplicate :uniqueid "a" :seconds 10 :last { keep; }'
feature "error (ihave)" 'require "ihave"; error "boom";'
feature "extracttext :first (extracttext)" \
    'require ["variables", "foreverypart", "extracttext"]; foreverypart { extracttext :first 10 "v"; }'
feature "header :mime :anychild :param (mime)" \
    'require "mime"; if header :mime :anychild :param "x" "Content-Type" "y" { keep; }'

# deepest n in 1..64 for which `gen n` compiles
deepest() {
    gen=$1
    best=0
    n=1
    while [ $n -le 64 ]; do
        $gen $n >"$tmp/nest.sieve"
        if compiles "$tmp/nest.sieve"; then
            best=$n
        else
            echo "$n rejected: $(first_error "$tmp/nest.sieve")"
            break
        fi
        n=$((n + 1))
    done
    echo "deepest accepted: $best"
}
blocks() {
    i=0
    while [ $i -lt "$1" ]; do echo 'if true {'; i=$((i + 1)); done
    echo 'keep;'
    i=0
    while [ $i -lt "$1" ]; do echo '}'; i=$((i + 1)); done
}
nots() {
    printf 'if '
    i=0
    while [ $i -lt "$1" ]; do printf 'not '; i=$((i + 1)); done
    echo 'true { keep; }'
}
echo "== nesting: nested 'if true {' blocks"
deepest blocks
echo "== nesting: 'not' tests nested in one if"
deepest nots

echo "== script size (default sieve_max_script_size)"
for kib in 1024 1025; do
    {
        echo 'keep;'
        head -c $((kib * 1024)) /dev/zero | tr '\0' 'x' | sed 's/^/#/'
    } | head -c $((kib * 1024)) >"$tmp/big.sieve"
    size=$(wc -c <"$tmp/big.sieve")
    if compiles "$tmp/big.sieve"; then
        echo "size $size: ok"
    else
        echo "size $size: rejected: $(first_error "$tmp/big.sieve")"
    fi
done

if ! command -v sieve-test >/dev/null 2>&1; then
    echo "sieve-test not found: skipping the per-message limits"
    exit 0
fi
# sieve-test refuses mail access as root: run it as nobody then.
as=""
if [ "$(id -u)" = 0 ]; then
    as="runuser -u nobody --"
fi
mkdir "$tmp/mail"
chmod 777 "$tmp/mail"
printf 'From: a@example.org\nTo: b@example.org\nSubject: probe\n\nbody\n' >"$tmp/msg.eml"
chmod 644 "$tmp/msg.eml"
verdict() {
    out=$($as env HOME="$tmp" sieve-test -c $conf -o "mail_location=maildir:$tmp/mail" \
        "$1" "$tmp/msg.eml" 2>&1)
    if echo "$out" | grep -q 'exceeds policy limit'; then
        echo "rejected: $(echo "$out" | grep -m1 -o 'error: .*')"
    elif echo "$out" | grep -q 'final result: success'; then
        echo "ok"
    else
        echo "unclear: $(echo "$out" | tail -1)"
    fi
}
echo "== actions per message (default sieve_max_actions; sieve-test)"
for n in 32 33; do
    {
        echo 'require "fileinto";'
        i=0
        while [ $i -lt $n ]; do echo "fileinto \"box$i\";"; i=$((i + 1)); done
    } >"$tmp/act.sieve"
    chmod 644 "$tmp/act.sieve"
    echo "fileinto x$n: $(verdict "$tmp/act.sieve")"
done
echo "== redirects per message (default sieve_max_redirects; sieve-test)"
for n in 4 5; do
    {
        i=0
        while [ $i -lt $n ]; do echo "redirect \"r$i@example.org\";"; i=$((i + 1)); done
    } >"$tmp/red.sieve"
    chmod 644 "$tmp/red.sieve"
    echo "redirect x$n: $(verdict "$tmp/red.sieve")"
done
