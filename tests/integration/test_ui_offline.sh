#!/bin/sh
# The reader in tmux against the real servers, offline half of issue 6's
# acceptance: with Dovecot and Postfix stopped, messages synced before
# still open, a flag and a new message wait (pending, outbox), a search
# gives the local answer and says the server is out of reach; with the
# servers back, one sync (or the reconnect) applies the flag on the
# server and sends the message, which arrives in alice's mailbox.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	command -v tmux >/dev/null 2>&1 || { echo "SKIP: no tmux"; exit 77; }
	command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
	exec "$here/with-servers.sh" sh "$0" "$@"
fi
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$SURAT_TEST_RUNDIR/ui-offline
mkdir -p "$tmp"
. "$here/../ui/lib.sh"
. "$here/lib.sh"
servers_up=yes
# with-servers.sh stops what runs; bring back what we stopped so it finds
# the state it started.
ui_cleanup_hook() {
	if [ "$servers_up" = no ]; then
		"$SURAT_TEST_SERVERS" start-imap "$SURAT_TEST_RUNDIR" >/dev/null 2>&1
		"$SURAT_TEST_SERVERS" start-smtp "$SURAT_TEST_RUNDIR" >/dev/null 2>&1
	fi
}

{
	it_account budi "$SURAT_TEST_USER" "$SURAT_TEST_PASS" "$SURAT_TEST_ADDR"
	echo "name = Budi"
} >"$tmp/config"
chmod 600 "$tmp/config"
s() { "$surat" --config "$tmp/config" --data-dir "$tmp/data" "$@"; }

msg() {	# SUBJECT DATE BODY
	printf 'From: Alice <alice@example.test>\nTo: budi@example.test\n'
	printf 'Subject: %s\nDate: %s\nMessage-ID: <off-%s@example.test>\n\n%s\n' \
	    "$1" "$2" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' '-')" "$3"
}
msg "Jadwal piket" "Mon, 23 Nov 2026 09:00:00 +0700" "Piket hari Senin." |
    doveadm save -u budi -m INBOX
msg "Resep rendang" "Sun, 22 Nov 2026 09:00:00 +0700" \
    "Daging, santan, cabai, dan sabar." | doveadm save -u budi -m INBOX
msg "Tiket kereta" "Sat, 21 Nov 2026 09:00:00 +0700" "Berangkat pukul 7." |
    doveadm save -u budi -m INBOX

cat >"$tmp/editor" <<'ED'
#!/bin/sh
echo "Ditulis tanpa sinyal. OFFLINE-MARK" >>"$1"
ED
chmod +x "$tmp/editor"

tm new-session -d -s ui -x 110 -y 30 \
    "env TERM=tmux-256color LANG=C.UTF-8 EDITOR=$tmp/editor \
    '$surat' --config '$tmp/config' --data-dir '$tmp/data'; \
    echo SURAT-EXIT=\$?; sleep 60"
wait_for "Tiket kereta" 20
wait_for "online"
# The first sync prefetches the bodies (recent:30): wait for them.
bodies() {
	s --json list --folder INBOX >"$tmp/list.json" &&
	python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); sys.exit(0 if len(l) == 3 and all(m["body"] == "full" for m in l) else 1)' "$tmp/list.json"
}
poll 20 bodies || fail "the bodies were not prefetched: $(cat "$tmp/list.json")"

# Offline: both servers stop.
servers_up=no
"$SURAT_TEST_SERVERS" stop-imap "$SURAT_TEST_RUNDIR" >/dev/null ||
    fail "stop-imap"
"$SURAT_TEST_SERVERS" stop-smtp "$SURAT_TEST_RUNDIR" >/dev/null ||
    fail "stop-smtp"

# Keep reading: a message never opened before shows its body.
keys j Enter
wait_for "Daging, santan"
echo "ok: offline, a synced message opens"
# Flag it: queued after the \Seen of reading; the server cannot be told.
keys F
wait_for "pending: 2"
wait_for "offline" 15
keys i
wait_for "Jadwal piket"
echo "ok: offline, a flag waits as a pending change"

# Compose and send: the message waits in the outbox.
keys m
wait_for "To:"
text "alice@example.test"; keys Enter
wait_for "Subject:"
text "Dari kereta"; keys Enter
wait_for "OFFLINE-MARK"
keys y
wait_for "outbox: 1" 15
echo "ok: offline, a new message waits in the outbox"

# Search: the local answer, and a note that the server is out of reach.
keys /
wait_for "Search:"
text "santan"; keys Enter
wait_for "cannot be reached" 15
wait_for "Resep rendang"
keys q
wait_for "Jadwal piket"
echo "ok: offline, search gives the local results with a note"

# Online again: one sync applies the flag and sends the message.
"$SURAT_TEST_SERVERS" start-imap "$SURAT_TEST_RUNDIR" >/dev/null ||
    fail "start-imap"
"$SURAT_TEST_SERVERS" start-smtp "$SURAT_TEST_RUNDIR" >/dev/null ||
    fail "start-smtp"
servers_up=yes
keys '$'
uid=$(doveadm search -u budi mailbox INBOX header Subject "Resep rendang" | awk '{print $2}')
flagged() { doveadm fetch -u budi flags mailbox INBOX uid "$uid" | grep -q Flagged; }
poll 20 flagged || fail "the flag made offline never reached the server"
echo "ok: back online, the flag is on the server"
arrived() { doveadm search -u alice mailbox INBOX header Subject "Dari kereta" | grep -q .; }
poll 20 arrived || fail "the message written offline never arrived"
doveadm fetch -u alice body mailbox INBOX header Subject "Dari kereta" |
    grep -q OFFLINE-MARK || fail "the message arrived without its text"
echo "ok: back online, the outbox message arrived at alice"
i=0
while screen | grep -q "outbox: \|pending: "; do
	[ $i -lt 100 ] || fail "the status line still counts queued work"
	sleep 0.1
	i=$((i + 1))
done
wait_for "online"
keys q
wait_for "SURAT-EXIT=0"
exit 0
