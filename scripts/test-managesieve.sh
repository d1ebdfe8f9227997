#!/bin/sh
# sieve-lint against a real ManageSieve server (RFC 5804): Debian's
# Dovecot 2.3 with Pigeonhole's managesieved, started on 127.0.0.1 with a
# throw-away configuration (a static passdb, a temporary mail home, a
# self-signed certificate). Shows the capabilities read over STARTTLS and
# SASL, a script Dovecot refuses (refused with Dovecot's own message via
# CHECKSCRIPT), a clean one accepted, and the profile sieve-lint built
# compared with `--target dovecot-2.3`, extension by extension.
#
# Installs dovecot-imapd, dovecot-managesieved and dovecot-sieve with
# apt-get when they are missing (root); skips with a message when they
# cannot be installed. Stops the server by its PID and removes what it
# made. Not part of `cargo test`.
#
# Usage: scripts/test-managesieve.sh [path/to/sieve-lint]
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/debug/sieve-lint}
if [ ! -x "$bin" ]; then
    (cd "$here" && cargo build --quiet) || { echo "FAIL: cannot build sieve-lint"; exit 1; }
fi

if ! command -v dovecot >/dev/null 2>&1 || [ ! -e /usr/lib/dovecot/managesieve ]; then
    echo "== installing dovecot-imapd dovecot-managesieved dovecot-sieve"
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "SKIP: Dovecot is not installed and apt-get cannot be run here (needs root on Debian)"
        exit 0
    fi
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        dovecot-imapd dovecot-managesieved dovecot-sieve; } >/dev/null 2>&1; then
        echo "SKIP: the Dovecot packages could not be installed"
        exit 0
    fi
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "SKIP: openssl is needed for the test certificate"
    exit 0
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/state" "$tmp/home"
# The mail user: Debian's dovecot system user (uid below 500, so allowed below).
chown dovecot:dovecot "$tmp/home" 2>/dev/null
user=alice
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))

# A self-signed end-entity certificate (rustls refuses a CA certificate as
# the server's own: CaUsedAsEndEntity).
cat >"$tmp/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
x509_extensions = ext
prompt = no
[dn]
CN = localhost
[ext]
basicConstraints = critical, CA:FALSE
subjectAltName = IP:127.0.0.1, DNS:localhost
CNF
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -config "$tmp/openssl.cnf" \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
    { echo "FAIL: openssl could not make a certificate"; exit 1; }

cat >"$tmp/dovecot.conf" <<CONF
base_dir = $tmp/run
state_dir = $tmp/state
log_path = $tmp/dovecot.log
protocols = sieve
listen = 127.0.0.1
ssl = required
ssl_cert = <$tmp/cert.pem
ssl_key = <$tmp/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain scram-sha-1 scram-sha-256
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
passdb {
  driver = static
  args = password=$password
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$tmp/home/%u
}
mail_location = maildir:~/Maildir
service managesieve-login {
  inet_listener sieve {
    address = 127.0.0.1
    port = $port
  }
}
service anvil {
  chroot =
}
plugin {
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
CONF

echo "== $(dovecot --version 2>/dev/null | head -1) ($(dpkg-query -W -f '${Package} ${Version}' dovecot-managesieved 2>/dev/null))"
if ! dovecot -c "$tmp/dovecot.conf"; then
    echo "FAIL: dovecot did not start"; cat "$tmp/dovecot.log" 2>/dev/null; exit 1
fi
i=0
while [ ! -s "$tmp/run/master.pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(cat "$tmp/run/master.pid" 2>/dev/null)
i=0
while ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
echo "== dovecot PID $pid, ManageSieve on 127.0.0.1:$port"

: >"$tmp/netrc"
chmod 600 "$tmp/netrc"
export SIEVE_PASSWORD="$password" SSL_CERT_FILE="$tmp/cert.pem" NETRC="$tmp/netrc" NO_COLOR=1
url="sieve://$user@127.0.0.1:$port"
fail=0
cd "$tmp" || exit 1

echo
echo "== sieve-lint targets --server $url"
if ! "$bin" targets --server "$url" --save-profile "$tmp/dovecot.toml" >"$tmp/targets.out" 2>&1; then
    cat "$tmp/targets.out"; echo "FAIL: could not read the server's capabilities"; tail -5 "$tmp/dovecot.log"; exit 1
fi
cat "$tmp/targets.out"
if grep -q "$password" "$tmp/targets.out" "$tmp/dovecot.toml"; then
    echo "FAIL: the password appears in the output"; fail=1
fi

echo
echo "== a script Dovecot refuses (sieve-lint check --server-check)"
printf 'require ["fileinto", "vnd.cyrus.log"];\nlog "hello";\nfileinto "INBOX.x";\n' >refused.sieve
cat refused.sieve
"$bin" check --server "$url" --server-check --format short refused.sieve
rc=$?
echo "exit $rc"
if [ $rc -ne 1 ] || ! "$bin" check --server "$url" --server-check --format short refused.sieve | grep -q 'SL0250'; then
    echo "FAIL: expected server-error (SL0250) and exit 1"; fail=1
fi

echo
echo "== a script sieve-lint passes and Dovecot refuses (the verdicts differ): 32 nested blocks"
{ i=0; while [ $i -lt 32 ]; do printf 'if true {\n'; i=$((i + 1)); done
  printf 'keep;\n'; i=0; while [ $i -lt 32 ]; do printf '}\n'; i=$((i + 1)); done; } >differs.sieve
echo "(if true { … 32 levels … keep; })"
"$bin" check --server "$url" --server-check --format short differs.sieve
echo "exit $?"
"$bin" check --server "$url" --server-check --format short differs.sieve | grep -q 'SL0252' ||
    { echo "FAIL: expected a server-disagrees note (SL0252)"; fail=1; }

echo
echo "== a clean script, accepted"
printf 'require ["fileinto", "envelope"];\nif envelope :is "from" "a@example.org" { fileinto "A"; }\n' >clean.sieve
cat clean.sieve
"$bin" check --server "$url" --server-check --format short clean.sieve
rc=$?
echo "exit $rc"
[ $rc -eq 0 ] || { echo "FAIL: the clean script should pass"; fail=1; }

echo
echo "== read-only: no command that changes the server in its log, no file stored"
if grep -Eiq 'putscript|setactive|deletescript|renamescript' "$tmp/dovecot.log"; then
    echo "FAIL: a command that changes the server was logged"; fail=1
fi
# Pigeonhole makes an empty sieve/tmp folder while checking; no file may appear.
stored=$(find "$tmp/home" -type f 2>/dev/null)
if [ -n "$stored" ]; then
    echo "FAIL: files were stored on the server:"; echo "$stored"; fail=1
else
    echo "no file stored in the mail home ($(find "$tmp/home" -type d | wc -l) empty folders made by Pigeonhole)"
fi

echo
echo "== the profile read from the server vs --target dovecot-2.3 (enabled by default)"
live=$(sed -n 's/^extensions  *//p' "$tmp/targets.out" | tr ' ' '\n' | sort -u)
"$bin" targets dovecot-2.3 >"$tmp/static.out"
all=$(sed -n 's/^extensions  *//p' "$tmp/static.out" | tr ' ' '\n' | sort -u)
off=$(sed -n 's/^disabled  *//p' "$tmp/static.out" | tr ' ' '\n' | sort -u)
enabled=$(printf '%s\n' "$all" | grep -vxF "$off")
only_live=$(printf '%s\n' "$live" | grep -vxF "$enabled")
only_static=$(printf '%s\n' "$enabled" | grep -vxF "$live")
echo "read from the server: $(echo $live)"
echo "only on the server:   ${only_live:-(none)}" | tr '\n' ' '; echo
echo "only in dovecot-2.3:  ${only_static:-(none)}" | tr '\n' ' '; echo
if [ -n "$only_live$only_static" ]; then
    echo "NOTE: the sets differ; what the server's CHECKSCRIPT says of each difference:"
    for c in $only_live $only_static; do
        printf 'require "%s";\n' "$c" >one.sieve
        verdict=$("$bin" check --server "$url" --server-check --format short one.sieve | sed -n 's/.*SL0250\]: //p' | head -1)
        echo "  $c: ${verdict:-accepted by the server}"
    done
else
    echo "every extension matches"
fi

echo
echo "== linting offline with the saved profile (--target dovecot.toml)"
"$bin" check --target "$tmp/dovecot.toml" --format short refused.sieve
echo "exit $?"

echo
if [ $fail -eq 0 ]; then echo "PASS"; else echo "FAIL"; fi
exit $fail
