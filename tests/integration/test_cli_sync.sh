#!/bin/sh
# The headless commands against the real Dovecot: after surat sync, surat
# list --json holds exactly the server's messages (count, UIDs, flags); a
# flag set with surat flag reaches the server with the next sync; and a
# message the server expunged leaves the list.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
	exec "$here/with-servers.sh" sh "$0" "$@"
fi
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$SURAT_TEST_RUNDIR/cli-sync
mkdir -p "$tmp"
fail=0
. "$here/lib.sh"

it_account t "$SURAT_TEST_USER" "$SURAT_TEST_PASS" "$SURAT_TEST_ADDR" \
    >"$tmp/config"
chmod 600 "$tmp/config"
s() { "$surat" --config "$tmp/config" --data-dir "$tmp/data" "$@"; }

for i in 1 2 3 4 5; do
	printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\nSubject: pesan %d\nMessage-ID: <cli-sync-%d@example.test>\nDate: Mon, 23 Nov 2026 0%d:00:00 +0700\n\nIsi %d.\n' \
	    $i $i $i $i | doveadm save -u budi -m INBOX
done
doveadm flags add -u budi '\Seen \Flagged' mailbox INBOX uid 2
doveadm flags add -u budi '\Seen' mailbox INBOX uid 4

# compare WHAT: the store's INBOX rows against the server's, UID by UID.
compare() {
	doveadm fetch -u budi 'uid flags' mailbox INBOX all >"$tmp/server"
	s --json list --folder INBOX --limit 1000 >"$tmp/list.json" ||
	    { echo "FAIL: $1: surat list failed"; fail=1; return; }
	if python3 - "$tmp/server" "$tmp/list.json" <<'PY'
import json, sys
server = {}
uid = None
for line in open(sys.argv[1]):
    if line.startswith("uid: "):
        uid = int(line.split()[1])
    elif line.startswith("flags:"):
        flags = set(line.split()[1:]) - {"\\Recent"}
        server[uid] = flags
local = {m["uid"]: set(m["flags"]) for m in json.load(open(sys.argv[2]))}
if server != local:
    print("server:", sorted((u, sorted(f)) for u, f in server.items()))
    print("store: ", sorted((u, sorted(f)) for u, f in local.items()))
    sys.exit(1)
PY
	then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		fail=1
	fi
}

s sync --quiet || { echo "FAIL: the first sync"; fail=1; }
compare "after the first sync, list --json equals the server (UIDs, flags)"

# A flag set here reaches the server.
id=$(python3 -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1])) if m["uid"] == 3][0])' "$tmp/list.json")
s flag "$id" +flagged >/dev/null || { echo "FAIL: surat flag"; fail=1; }
s sync --quiet || { echo "FAIL: the second sync"; fail=1; }
doveadm fetch -u budi 'flags' mailbox INBOX uid 3 | grep -q 'Flagged' &&
    echo "ok: surat flag reached the server" ||
    { echo "FAIL: the flag did not reach the server"; fail=1; }
compare "after the flag, still equal"

# Changes on the server come back: a flag removed, a message expunged.
doveadm flags remove -u budi '\Flagged' mailbox INBOX uid 2
doveadm expunge -u budi mailbox INBOX uid 5
s sync --quiet || { echo "FAIL: the third sync"; fail=1; }
compare "server-side flag change and expunge are mirrored"
exit $fail
