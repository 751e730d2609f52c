#!/bin/sh
# Crash safety, in the spirit of isync's interrupted-sync tests: SIGKILL
# `surat sync` at random points against the real servers, again and again
# on one store, then let one run finish and check that nothing was lost or
# duplicated.
#   IMAP: every server message is in the store exactly once (by UID).
#   POP3 with pop3_policy = delete: after every kill, each message is on
#   the server or in the store (never deleted before it was stored); at the
#   end all are in the store exactly once and the server is empty.
# KILL_POINTS (default 50) kills per engine; each waits a random time
# within the measured length of a whole sync.
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$here/../integration/with-servers.sh" /bin/sh "$0" "$@"
fi
set -u
surat=${top_builddir:-.}/src/surat
[ -x "$surat" ] || { echo "no $surat" >&2; exit 99; }
command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skip"; exit 77; }
points=${KILL_POINTS:-50}
nmsg=${CRASH_MESSAGES:-40}
tmp=$(mktemp -d /tmp/surat-crash.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
DOVEADM=$SURAT_TEST_DOVEADM
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# $1: user, $2: count, $3: subject token.
seed() {
	i=1
	while [ "$i" -le "$2" ]; do
		printf 'From: <a@example.test>\nTo: <%s@example.test>\nMessage-ID: <%s.%d@crash>\nSubject: %s %d\n\nbody %d\n' \
		    "$1" "$3" "$i" "$3" "$i" "$i" |
		    $DOVEADM save -u "$1" -m INBOX || return 1
		i=$((i + 1))
	done
}

# $1: config file; $2: incoming URL; $3: extra line.
write_config() {
	cat >"$1" <<-EOC
	[account t]
	email = $4@example.test
	incoming = $2
	user = $4
	password_cmd = echo $5
	ca_file = $SURAT_TEST_CA
	$3
	EOC
	chmod 600 "$1"
}

# Stored message-ids with token $2 in store $1, one per line, sorted.
stored_ids() {
	"$surat" --config "$conf" --data-dir "$1" --json list --limit 100000 \
	    2>/dev/null | python3 -c '
import json, sys
try:
    rows = json.load(sys.stdin)
except ValueError:
    rows = []
for m in rows:
    if m.get("message_id") and sys.argv[1] in m["message_id"]:
        print(m["message_id"])' "$2" | sort
}

server_count() {
	$DOVEADM search -u "$1" mailbox INBOX header Subject "$2" 2>/dev/null |
	    wc -l
}

# Seconds (as a float) a whole sync takes on a fresh store.
measure() {
	t0=$(date +%s.%N)
	"$surat" --config "$conf" --data-dir "$tmp/measure-$1" sync \
	    >"$tmp/measure.out" 2>&1 || { cat "$tmp/measure.out"; return 1; }
	t1=$(date +%s.%N)
	python3 -c "print(max(0.2, $t1 - $t0))"
}

# Start a sync on store $1 and kill it after a random part of $2 seconds.
kill_once() {
	d=$(python3 -c "import random; print(round(random.uniform(0, $2), 3))")
	"$surat" --config "$conf" --data-dir "$1" sync >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# ---- IMAP
tok=imapcrash$$
seed "$SURAT_TEST_USER" "$nmsg" "$tok" || { echo "seeding failed"; exit 1; }
conf=$tmp/imap.conf
write_config "$conf" "imaps://$SURAT_TEST_HOST:$SURAT_TEST_IMAPS_PORT" "" \
    "$SURAT_TEST_USER" "$SURAT_TEST_PASS"
len=$(measure imap) || { echo "a whole IMAP sync fails"; exit 1; }
k=0
while [ $k -lt "$points" ]; do
	kill_once "$tmp/imap" "$len"
	k=$((k + 1))
done
"$surat" --config "$conf" --data-dir "$tmp/imap" sync >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "IMAP: the sync after $points kills fails"; }
stored_ids "$tmp/imap" "$tok" >"$tmp/ids"
[ "$(wc -l <"$tmp/ids")" -eq "$nmsg" ] ||
    fail "IMAP: $(wc -l <"$tmp/ids") of $nmsg messages stored"
[ "$(sort -u "$tmp/ids" | wc -l)" -eq "$(wc -l <"$tmp/ids")" ] ||
    fail "IMAP: duplicates: $(sort "$tmp/ids" | uniq -d | head -3)"
"$surat" --config "$conf" --data-dir "$tmp/imap" sync >"$tmp/out" 2>&1 ||
    fail "IMAP: a sync on the recovered store fails"
[ "$(stored_ids "$tmp/imap" "$tok" | wc -l)" -eq "$nmsg" ] ||
    fail "IMAP: another sync changed the count"
echo "IMAP: $points kills (within ${len}s), $nmsg messages once each"

# ---- POP3, pop3_policy = delete (alice's INBOX, so IMAP's mail stays)
tok=popcrash$$
seed "$SURAT_TEST_USER2" "$nmsg" "$tok" || { echo "seeding failed"; exit 1; }
conf=$tmp/pop3.conf
write_config "$conf" "pop3s://$SURAT_TEST_HOST:$SURAT_TEST_POP3S_PORT" \
    "pop3_policy = delete" "$SURAT_TEST_USER2" "$SURAT_TEST_PASS2"
# Measure on a copy of the mailbox's state is impossible (delete empties
# it): take the IMAP figure, a POP3 download is no slower per message.
k=0
while [ $k -lt "$points" ]; do
	kill_once "$tmp/pop3" "$len"
	k=$((k + 1))
	on_server=$(server_count "$SURAT_TEST_USER2" "$tok")
	stored=$(stored_ids "$tmp/pop3" "$tok" | sort -u | wc -l)
	if [ $((on_server + stored)) -lt "$nmsg" ]; then
		fail "POP3: after kill $k only $on_server on the server and" \
		    "$stored stored: deleted before stored"
		break
	fi
done
"$surat" --config "$conf" --data-dir "$tmp/pop3" sync >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "POP3: the sync after the kills fails"; }
stored_ids "$tmp/pop3" "$tok" >"$tmp/ids"
[ "$(wc -l <"$tmp/ids")" -eq "$nmsg" ] ||
    fail "POP3: $(wc -l <"$tmp/ids") of $nmsg messages stored"
[ "$(sort -u "$tmp/ids" | wc -l)" -eq "$(wc -l <"$tmp/ids")" ] ||
    fail "POP3: duplicates: $(sort "$tmp/ids" | uniq -d | head -3)"
[ "$(server_count "$SURAT_TEST_USER2" "$tok")" -eq 0 ] ||
    fail "POP3: $(server_count "$SURAT_TEST_USER2" "$tok") left on the server"
echo "POP3 (delete): $points kills, $nmsg messages once each, server empty"
exit $failed
