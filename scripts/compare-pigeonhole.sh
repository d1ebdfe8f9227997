#!/usr/bin/env bash
# Compare sieve-lint's dry run with Dovecot Pigeonhole's sieve-test on the
# cases of fixtures/run/ (see tests/run_cases.rs for their layout).
#
#   scripts/compare-pigeonhole.sh [CASE...]     (default: every case)
#   RAW=1 scripts/compare-pigeonhole.sh CASE    also print sieve-test's output
#   CASES_DIR=DIR scripts/compare-pigeonhole.sh  cases from another folder
#
# For every case that does not use extlists (Pigeonhole 0.5 has none) and
# every message of it, both engines run the case's script with the case's
# options.txt, and the two action lists are printed side by side with AGREE
# or DIFFER. Lists are compared as multisets of normalized actions:
#
#   keep / keep (implicit)      fileinto into "INBOX" counts as keep, as
#                               Pigeonhole prints both as a store into INBOX
#   fileinto BOX [flags]        flags lower-cased, sorted
#   redirect ADDRESS
#   discard, reject (reject and ereject), notify SCHEME
#   vacation / vacation (not sent)
#   ERROR                       a run-time error (both then keep implicitly)
#   COMPILE-ERROR               Pigeonhole refused the script
#
#   pipe PROGRAM, report ADDRESS  (Dovecot's vendor actions)
#
# addheader/deleteheader are left out: sieve-test does not list them; so are
# the actions that leave no trace in its listing or that sieve-lint reports
# for information only (filter, execute, debug_log, log, denotify).
#
# Dovecot's vendor extensions and the old drafts are enabled (-P
# sieve_imapsieve -P sieve_extprograms, -x +vnd.dovecot.… +imapflags
# +notify). The external programs of pipe/filter/execute are generated into
# throw-away program folders (sieve_pipe_bin_dir, …) for every string of the
# script that could name one: a pipe program reads the message, a filter
# program copies it unchanged (what sieve-lint assumes), an execute program
# prints the case's program-output=NAME=TEXT; each exits 1 when the case says
# program-result=NAME=false, else 0.
# sieve-test only lists the actions; whether a vacation reply would really be
# sent is decided when actions are executed, so for vacation sieve-test runs a
# second time with -e (it never transmits mail: outgoing messages are printed)
# against a throw-away Maildir.
#
# The envelope: options.txt envelope-from/envelope-to are passed as -f and
# -a/-r. Otherwise the sender is the message's Return-Path and the recipient
# its first Delivered-To (what sieve-lint uses) when present; a null
# Return-Path (<>) cannot be given to sieve-test, which then falls back to
# Sender/From (noted in the output). spam-score/virus-score become
# X-Spam-Score/X-Virus-Score fields of a copy of the message, read by
# Pigeonhole's spamtest/virustest settings (max 10 and 5); mailbox=NAME
# creates the mailbox in the throw-away Maildir; max-actions/max-redirects
# set sieve_max_actions/sieve_max_redirects. env=NAME=VALUE cannot be given
# to sieve-test (noted).
#
# Known differences on the vendor cases (Pigeonhole 0.5, checked 2026-12):
# - imapsieve scripts: sieve-test runs at delivery, where Pigeonhole fails
#   any script that requires "imapsieve" ("cannot be used outside IMAP");
#   RFC 6785 defines the items at delivery instead (§4.2), and sieve-lint
#   runs the IMAP event given with --env. With "imapsieve" taken out of the
#   require, the report-spam pipe and the report cases agree.
# - vnd.dovecot.username is the user running sieve-test (root); sieve-lint
#   takes the envelope recipient (--env changes it). duplicate state does not
#   cross sieve-test runs (one message per run); it crosses sieve-lint's.
# - --target is sieve-lint's alone; Pigeonhole has one global script
#   location, sieve-lint searches every --include-dir in order.
#
# Not part of the test suite: it needs Dovecot (apt-get install dovecot-sieve
# dovecot-core) and skips with a message when sieve-test is absent.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v sieve-test >/dev/null 2>&1; then
    echo "compare-pigeonhole: sieve-test not found (apt-get install dovecot-sieve dovecot-core): skipped"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "compare-pigeonhole: python3 not found: skipped"
    exit 0
fi

lint=${SIEVE_LINT:-}
if [[ -z $lint ]]; then
    (cd "$root" && cargo build -q --bin sieve-lint)
    lint=$root/target/debug/sieve-lint
fi

work=$(mktemp -d /tmp/compare-pigeonhole.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

export ROOT=$root LINT=$lint WORK=$work RAW=${RAW:-} CASES_DIR=${CASES_DIR:-$root/fixtures/run}
python3 - "$@" <<'PY'
import collections, email, email.policy, json, os, re, shutil, subprocess, sys
from email.utils import getaddresses

ROOT, LINT, WORK, RAW = (os.environ[k] for k in ("ROOT", "LINT", "WORK", "RAW"))
CASES = os.environ["CASES_DIR"]
AS_ROOT = os.geteuid() == 0


def options(case):
    opts = collections.defaultdict(list)
    path = os.path.join(case, "options.txt")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                k, v = line.split("=", 1)
                opts[k].append(v)
    return opts


def header_address(raw, name):
    """The first address of a header field; "" for <>; None when absent."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    value = msg.get(name)
    if value is None:
        return None
    if value.strip() == "<>":
        return ""
    addrs = [a for _, a in getaddresses([value]) if a]
    return addrs[0] if addrs else None


# ---- sieve-lint ---------------------------------------------------------

def lint_flags(opts):
    flags = []
    for k, flag in (("envelope-from", "--envelope-from"), ("envelope-to", "--envelope-to"),
                    ("env", "--env"), ("mailbox", "--mailbox"), ("spam-score", "--spam-score"),
                    ("virus-score", "--virus-score"), ("max-actions", "--max-actions"),
                    ("max-redirects", "--max-redirects"), ("max-steps", "--max-steps"),
                    ("max-list-redirects", "--max-list-redirects"), ("target", "--target"),
                    ("include-dir", "--include-dir"), ("program-result", "--program-result"),
                    ("program-output", "--program-output")):
        for v in opts.get(k, []):
            flags += [flag, v]
    return flags


def lint_actions(case, script, msg, opts):
    p = subprocess.run([LINT, "run", "--format", "json", *lint_flags(opts), script, msg],
                       capture_output=True, text=True, cwd=case)
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        return ["TOOL-FAILED: " + (p.stderr.strip().splitlines() or ["?"])[0]]
    m = report["messages"][0]
    out = ["ERROR"] if m.get("errors") else []
    for a in m["actions"]:
        kind = a["action"]
        flags = " ".join(sorted(f.lower() for f in a.get("flags", [])))
        flags = f" [{flags}]" if flags else ""
        if kind == "keep":
            out.append(("keep (implicit)" if a.get("implicit") else "keep") + flags)
        elif kind == "fileinto":
            out.append(("keep" if a["mailbox"] == "INBOX" else f"fileinto {a['mailbox']}") + flags)
        elif kind == "redirect":
            out.append(f"redirect {a['address']}")
        elif kind in ("reject", "ereject"):
            out.append("reject")
        elif kind == "discard":
            out.append("discard")
        elif kind == "vacation":
            out.append("vacation (not sent)" if a.get("suppressed") else "vacation")
        elif kind == "notify":
            out.append("notify " + a["method"].split(":", 1)[0] + ":")
        elif kind == "pipe":
            out.append(f"pipe {a['program']}")
        elif kind == "report":
            out.append(f"report {a['address']}")
        elif kind in ("addheader", "deleteheader", "filter", "execute", "debug_log", "log",
                      "denotify"):
            continue
        else:
            out.append(kind)
    return out


# ---- Pigeonhole ---------------------------------------------------------

def sieve_test_cmd(case, opts, maildir, execute):
    cmd = ["sieve-test", "-c", "/dev/null", "-l", f"maildir:{maildir}:LAYOUT=fs",
           "-x", "+spamtest +spamtestplus +virustest +editheader +vacation-seconds +ereject"
                 " +vnd.dovecot.pipe +vnd.dovecot.filter +vnd.dovecot.execute +vnd.dovecot.debug"
                 " +vnd.dovecot.report +vnd.dovecot.environment +vnd.dovecot.duplicate"
                 " +imapflags +notify +imapsieve +vnd.dovecot.imapsieve",
           "-P", "sieve_imapsieve", "-P", "sieve_extprograms",
           "-o", "plugin/sieve_pipe_bin_dir=" + os.path.join(WORK, "bin", "pipe"),
           "-o", "plugin/sieve_filter_bin_dir=" + os.path.join(WORK, "bin", "filter"),
           "-o", "plugin/sieve_execute_bin_dir=" + os.path.join(WORK, "bin", "execute"),
           "-o", "plugin/sieve_spamtest_status_type=score",
           "-o", "plugin/sieve_spamtest_status_header=X-Spam-Score",
           "-o", "plugin/sieve_spamtest_max_value=10",
           "-o", "plugin/sieve_virustest_status_type=score",
           "-o", "plugin/sieve_virustest_status_header=X-Virus-Score",
           "-o", "plugin/sieve_virustest_max_value=5",
           "-o", "plugin/sieve_max_actions=" + (opts.get("max-actions") or ["32"])[0],
           "-o", "plugin/sieve_max_redirects=" + (opts.get("max-redirects") or ["4"])[0],
           "-o", "lda_mailbox_autocreate=yes"]
    if opts.get("include-dir"):
        # Pigeonhole has one global script location: the first folder.
        cmd += ["-o", "plugin/sieve_global=" + os.path.join(case, opts["include-dir"][0])]
    if AS_ROOT:
        cmd += ["-o", "mail_uid=nobody", "-o", "mail_gid=nogroup"]
    if execute:
        cmd.append("-e")
    return cmd


def envelope_args(raw, opts, notes):
    args = []
    sender = (opts.get("envelope-from") or [None])[0]
    if sender is None:
        sender = header_address(raw, "Return-Path")
    if sender == "":
        notes.add("null Return-Path: sieve-test cannot take -f <>, it falls back to Sender/From")
    elif sender:
        args += ["-f", sender]
    rcpt = (opts.get("envelope-to") or [None])[0]
    if rcpt is None:
        rcpt = header_address(raw, "Delivered-To")
    if rcpt:
        args += ["-a", rcpt, "-r", rcpt]
    return args


def parse_listing(text):
    """Actions from sieve-test's "Performed actions" / "Implicit keep" listing."""
    if "failed to compile" in text or (
            "Performed actions:" not in text and "final result" not in text):
        return ["COMPILE-ERROR"]
    if "Performed actions:" not in text and "Implicit keep:" not in text:
        # A run-time error: Pigeonhole prints it and keeps implicitly.
        return ["ERROR", "keep (implicit)"]
    out = []
    section = None
    current = None

    def flush():
        nonlocal current
        if current:
            kind, arg, flags = current
            f = " ".join(sorted(x.lower() for x in flags))
            f = f" [{f}]" if f else ""
            if kind == "store":
                if section == "implicit":
                    out.append("keep (implicit)" + f)
                else:
                    out.append(("keep" if arg == "INBOX" else f"fileinto {arg}") + f)
            else:
                out.append(arg)
        current = None

    in_body = False
    for line in text.splitlines():
        if line.startswith("START MESSAGE"):
            in_body = True
            continue
        if line.startswith("END MESSAGE"):
            in_body = False
            continue
        if in_body:
            continue
        if line.startswith("Performed actions:"):
            flush(); section = "performed"; continue
        if line.startswith("Implicit keep:"):
            flush(); section = "implicit"; continue
        if section is None:
            continue
        m = re.match(r"^ \* (.*)$", line)
        if m:
            flush()
            act = m.group(1)
            if act.startswith("store message in folder: "):
                current = ["store", act.split(": ", 1)[1], []]
            elif act.startswith("redirect message to: "):
                current = ["other", "redirect " + act.split(": ", 1)[1].strip("<>"), []]
            elif act.startswith("send vacation message"):
                current = ["other", "vacation", []]
            elif "notification with method" in act:
                meth = re.search(r"'([^']*)'", act)
                current = ["other", "notify " + (meth.group(1) if meth else "?").rstrip(":") + ":",
                           []]
            elif act.startswith("track duplicate"):
                current = None
                continue
            elif act.startswith("discard"):
                current = ["other", "discard", []]
            elif act.startswith("reject"):
                current = ["other", "reject", []]
            elif act.startswith("pipe message to external program"):
                prog = re.search(r"'([^']*)'", act)
                current = ["other", "pipe " + (prog.group(1) if prog else "?"), []]
            elif act.startswith("report incoming message"):
                to = re.search(r"<([^>]*)>", act)
                current = ["other", "report " + (to.group(1) if to else "?"), []]
            else:
                current = ["other", act, []]
            continue
        m = re.match(r"^\s+\+ add IMAP flags: (.*)$", line)
        if m and current:
            current[2] += m.group(1).split()
    flush()
    if "resolved with successful implicit keep" in text and "ERROR" not in out:
        out.insert(0, "ERROR")
    return out


def make_programs(source, opts):
    """Programs for every string of the script that could name one."""
    results = dict(v.rsplit("=", 1) for v in opts.get("program-result", []))
    outputs = dict(v.split("=", 1) for v in opts.get("program-output", []))
    names = set(re.findall(r'"([A-Za-z0-9._+-]+)"', source))
    for kind in ("pipe", "filter", "execute"):
        d = os.path.join(WORK, "bin", kind)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for n in names:
            code = 1 if results.get(n) == "false" else 0
            if kind == "filter":
                body = "cat"
            elif kind == "execute":
                text = outputs.get(n, "").replace("'", "'\\''")
                body = f"cat >/dev/null 2>&1; printf '%s' '{text}'"
            else:
                body = "cat >/dev/null"
            path = os.path.join(d, n)
            with open(path, "w") as f:
                f.write(f"#!/bin/sh\n{body}\nexit {code}\n")
            os.chmod(path, 0o755)
        os.chmod(d, 0o755)
    os.chmod(os.path.join(WORK, "bin"), 0o755)


def pigeonhole_actions(case, script, msg, opts, notes):
    raw = open(msg, "rb").read()
    make_programs(open(script, encoding="utf-8").read(), opts)
    tmp = os.path.join(WORK, "run")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    maildir = os.path.join(tmp, "md")
    for box in ["INBOX", *opts.get("mailbox", [])]:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, *([] if box == "INBOX" else box.split("/")), sub),
                        exist_ok=True)
    extra = b""
    if opts.get("spam-score"):
        extra += b"X-Spam-Score: " + opts["spam-score"][0].encode() + b"\n"
    if opts.get("virus-score"):
        extra += b"X-Virus-Score: " + opts["virus-score"][0].encode() + b"\n"
    mcopy = os.path.join(tmp, "message.eml")
    open(mcopy, "wb").write(extra + raw)
    scopy = os.path.join(tmp, "script.sieve")
    shutil.copy(script, scopy)
    for dirpath, dirs, files in os.walk(tmp):
        os.chmod(dirpath, 0o777)
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o666)
    env = dict(os.environ, HOME=tmp)
    args = envelope_args(raw, opts, notes)
    p = subprocess.run(sieve_test_cmd(case, opts, maildir, False) + args + [scopy, mcopy],
                       capture_output=True, text=True, env=env)
    text = p.stdout + p.stderr
    if RAW:
        print("    --- sieve-test output ---")
        print("\n".join("    | " + l for l in text.splitlines()))
    acts = parse_listing(text)
    if acts == ["COMPILE-ERROR"]:
        first = next((l for l in text.splitlines() if "error:" in l), "")
        notes.add("sieve-test: " + first.strip())
    if "pipe message to external program" in text:
        # sieve-test's listing shows the implicit keep beside a pipe: whether
        # it is cancelled is decided when the program runs (spec §5; :try):
        # run it (-e) and take the pipes that ran and whether the message
        # was stored in INBOX from the log.
        e = subprocess.run(sieve_test_cmd(case, opts, maildir, True) + args + [scopy, mcopy],
                           capture_output=True, text=True, env=env)
        etext = e.stdout + e.stderr
        if RAW:
            print("    --- sieve-test -e output ---")
            print("\n".join("    | " + l for l in etext.splitlines()))
        ran = ["pipe " + p for p in
               dict.fromkeys(re.findall(r"piped message to program `([^']*)'", etext))]
        acts = [a for a in acts if not a.startswith("pipe ")]
        if "keep (implicit)" in acts and "stored mail into mailbox 'INBOX'" not in etext:
            acts.remove("keep (implicit)")
        acts = ran + acts
    if "vacation" in acts:
        e = subprocess.run(sieve_test_cmd(case, opts, maildir, True) + args + [scopy, mcopy],
                           capture_output=True, text=True, env=env)
        etext = e.stdout + e.stderr
        if RAW:
            print("    --- sieve-test -e output ---")
            print("\n".join("    | " + l for l in etext.splitlines()))
        if re.search(r"vacation action: (discarding|not sending)", etext):
            acts = ["vacation (not sent)" if a == "vacation" else a for a in acts]
    return acts


# ---- the comparison ----------------------------------------------------

def main(argv):
    names = argv or sorted(d for d in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, d)))
    agree = differ = skipped = 0
    differing = []
    for name in names:
        case = os.path.join(CASES, name)
        script = os.path.join(case, "script.sieve")
        source = open(script, encoding="utf-8").read()
        if re.search(r'"extlists"', source):
            print(f"== {name}: skipped (extlists: Pigeonhole 0.5 has no extlists)")
            skipped += 1
            continue
        opts = options(case)
        msgs = sorted(f for f in os.listdir(case) if f.endswith(".eml"))
        for m in msgs:
            notes = set()
            if opts.get("env"):
                notes.add("env items cannot be given to sieve-test")
            if opts.get("target"):
                notes.add("sieve-test has every extension enabled here: --target "
                          + opts["target"][0] + " is sieve-lint's alone")
            if len(opts.get("include-dir", [])) > 1:
                notes.add("Pigeonhole has one global script location (sieve_global): the first")
            ours = lint_actions(case, script, os.path.join(case, m), opts)
            theirs = pigeonhole_actions(case, script, os.path.join(case, m), opts, notes)
            same = collections.Counter(ours) == collections.Counter(theirs)
            agree += same
            differ += not same
            if not same:
                differing.append(f"{name}/{m}")
            print(f"== {name}/{m}: {'AGREE' if same else 'DIFFER'}")
            width = max([len("sieve-lint")] + [len(x) for x in ours])
            print(f"   {'sieve-lint'.ljust(width)} | sieve-test (Pigeonhole)")
            for i in range(max(len(ours), len(theirs))):
                a = ours[i] if i < len(ours) else ""
                b = theirs[i] if i < len(theirs) else ""
                print(f"   {a.ljust(width)} | {b}")
            for n in sorted(notes):
                print(f"   note: {n}")
    print()
    print(f"{agree} messages agree, {differ} differ, {skipped} cases skipped (extlists)")
    for d in differing:
        print(f"  DIFFER {d}")


main(sys.argv[1:])
PY
