#!/bin/sh
# surat (no command) with an account whose server cannot be reached: the
# reader opens at once, says offline and why, and quits promptly; with no
# configuration at all it still opens on the store.
. "${top_srcdir:-.}/tests/ui/lib.sh"

mkdir -p "$T/cfg"
cat >"$T/cfg/config" <<CFG
[account unreachable]
name = Test User
email = test@example.org
incoming = imaps://127.0.0.1:1
outgoing = smtps://127.0.0.1:1
password_cmd = echo secret
CFG
chmod 600 "$T/cfg/config"

start 100 20 -c "$T/cfg/config" -d "$T/data"
wait_for "offline"
wait_for "cannot connect"
keys q
wait_for "SURAT-EXIT=0" 15
tm kill-server

# Without a terminal: a short note, exit 0, no hang.
"$SURAT" -c "$T/cfg/config" -d "$T/data" </dev/null >"$T/out" 2>&1 ||
    fail "surat without a terminal: $(cat "$T/out")"

# No configuration: the setup wizard comes first; leaving it opens the
# store alone.
start 100 20 -c "$T/none" -d "$T/data2"
wait_for "who you are"
keys Escape
wait_for "Leave the setup"
keys y
wait_for "surat:"
keys q
wait_for "SURAT-EXIT=0" 15
exit 0
