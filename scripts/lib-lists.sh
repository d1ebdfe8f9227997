# Shared by the live list-source scripts (test-ldap.sh, test-carddav.sh);
# sourced, not run. Both test the same people (scripts/people.py), so the
# same five messages hit and miss the same way.
#
#   list_mail DIR MAILBOX   writes DIR/mail/*.eml (three hits, two misses)
#                           and DIR/expected.json (hits filed into MAILBOX)
#   check NAME EXIT WORDS COMMAND...
#                           runs COMMAND in $work; passes when it exits
#                           EXIT and WORDS is in its output; fails when
#                           $secrets (a grep pattern) is. Sets fail=1 on
#                           failure. Needs $tmp and $work.
#   cleanup                 the EXIT trap (INT and TERM exit, so it runs
#                           then too): stops the server whose PID is
#                           $pid (if it runs) and removes $tmp

list_mail() {
    local dir="$1" mailbox="$2"
    mkdir -p "$dir/mail"
    local m
    for m in hit-exact:Person7@Example.org hit-case:person123@EXAMPLE.ORG \
        hit-second:p14@work.example miss-no-email:person10@example.org \
        miss-stranger:stranger@example.net; do
        printf 'From: %s\nTo: me@example.org\nSubject: %s\n\nbody\n' "${m#*:}" "${m%%:*}" \
            >"$dir/mail/${m%%:*}.eml"
    done
    cat >"$dir/expected.json" <<JSON
{
  "hit-exact.eml": [{"action": "fileinto", "mailbox": "$mailbox"}],
  "hit-case.eml": [{"action": "fileinto", "mailbox": "$mailbox"}],
  "hit-second.eml": [{"action": "fileinto", "mailbox": "$mailbox"}],
  "miss-no-email.eml": [{"action": "keep"}],
  "miss-stranger.eml": [{"action": "keep"}]
}
JSON
}

fail=0
check() {
    local name="$1" want="$2" words="$3"
    shift 3
    local rc=0
    (cd "$work" && "$@") >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ "$rc" != "$want" ] || ! grep -q -- "$words" "$tmp/out" "$tmp/err"; then
        echo "FAIL $name: exit $rc (want $want), looking for '$words'"
        sed 's/^/  out: /' "$tmp/out" | head -20
        sed 's/^/  err: /' "$tmp/err" | head -20
        fail=1
    else
        echo "ok   $name: exit $rc; $(grep -h -m1 -- "$words" "$tmp/out" "$tmp/err" | cut -c1-160)"
    fi
    if grep -q -- "$secrets" "$tmp/out" "$tmp/err"; then
        echo "FAIL $name: the password was printed"
        fail=1
    fi
}

cleanup() {
    if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
