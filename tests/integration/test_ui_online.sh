#!/bin/sh
# The reader in tmux against the real Dovecot and Postfix (issue 6's
# acceptance, online half): open folders, read a message whose body comes
# from the server on demand, flag it and see \Flagged on the server, reply
# with a file attached and send it (alice's own surat, a second client,
# syncs it over IMAP: the text and the attachment's bytes arrive), save an
# attachment of a received message byte for byte, search with the
# server's help (it finds a word in a body the store never downloaded),
# and survive resizing down to a tiny terminal and back.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	command -v tmux >/dev/null 2>&1 || { echo "SKIP: no tmux"; exit 77; }
	command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
	exec "$here/with-servers.sh" sh "$0" "$@"
fi
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$SURAT_TEST_RUNDIR/ui-online
mkdir -p "$tmp"
. "$here/../ui/lib.sh"
. "$here/lib.sh"
{
	it_account budi "$SURAT_TEST_USER" "$SURAT_TEST_PASS"
	echo "name = budi"
	echo "prefetch = none"
} >"$tmp/config"
{
	it_account alice "$SURAT_TEST_USER2" "$SURAT_TEST_PASS2"
	echo "name = alice"
} >"$tmp/alice.config"
chmod 600 "$tmp/config" "$tmp/alice.config"

# Mail to read: the newest on top, one with an attachment, one whose
# body holds a word to search for.
head -c 4000 /dev/urandom >"$tmp/received.bin"
head -c 2500 /dev/urandom >"$tmp/to-send.bin"
msg() {	# SUBJECT DATE BODY [ATTACHMENT]
	printf 'From: Alice <alice@example.test>\nTo: budi@example.test\n'
	printf 'Subject: %s\nDate: %s\nMessage-ID: <%s@example.test>\n' \
	    "$1" "$2" "$(echo "$1" | tr -c 'a-zA-Z0-9\n' '-')"
	printf 'MIME-Version: 1.0\n'
	if [ -n "${4:-}" ]; then
		printf 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
		printf 'Content-Type: text/plain; charset=utf-8\n\n%s\n--b\n' "$3"
		printf 'Content-Type: application/octet-stream; name="data.bin"\n'
		printf 'Content-Disposition: attachment; filename="data.bin"\n'
		printf 'Content-Transfer-Encoding: base64\n\n'
		base64 -w 76 "$4"
		printf -- '--b--\n'
	else
		printf 'Content-Type: text/plain; charset=utf-8\n\n%s\n' "$3"
	fi
}
msg "Rapat anggaran" "Mon, 23 Nov 2026 09:00:00 +0700" \
    "Mari bahas anggaran besok pagi." | doveadm save -u budi -m INBOX
msg "Laporan bulanan" "Sun, 22 Nov 2026 09:00:00 +0700" \
    "Laporan terlampir." "$tmp/received.bin" | doveadm save -u budi -m INBOX
msg "Catatan lama" "Sat, 21 Nov 2026 09:00:00 +0700" \
    "Kata sandi wifi kantor: durianmontong42." | doveadm save -u budi -m INBOX
msg "Arsip proyek" "Fri, 20 Nov 2026 09:00:00 +0700" \
    "Sudah selesai." | doveadm save -u budi -m Archive

cat >"$tmp/editor" <<'ED'
#!/bin/sh
{ echo "Setuju, sampai besok. UI-REPLY-MARK"; cat "$1"; } >"$1.new" && mv "$1.new" "$1"
ED
chmod +x "$tmp/editor"

t0=$(date +%s)
tm new-session -d -s ui -x 110 -y 32 \
    "env TERM=tmux-256color LANG=C.UTF-8 EDITOR=$tmp/editor \
    '$surat' --config '$tmp/config' --data-dir '$tmp/data'; \
    echo SURAT-EXIT=\$?; sleep 60"
wait_for "Rapat anggaran" 20
wait_for "Catatan lama"
wait_for "online"

# Open another folder and come back.
keys c
wait_for "Open folder"
text "Archive"; keys Enter
wait_for "Arsip proyek"
keys c
wait_for "Open folder"
text "INBOX"; keys Enter
wait_for "Rapat anggaran"
echo "ok: folders open"

# Read the newest: its body comes from the server on demand.
keys Enter
wait_for "Mari bahas anggaran" 15
echo "ok: a message read, its body fetched on demand"

# Flag it; after the undo window the flag reaches the server.
keys F
uid1=$(doveadm search -u budi mailbox INBOX header Subject "Rapat anggaran" | awk '{print $2}')
flagged() { doveadm fetch -u budi flags mailbox INBOX uid "$uid1" | grep -q Flagged; }
poll 15 flagged || fail "the flag did not reach the server"
doveadm fetch -u budi flags mailbox INBOX uid "$uid1" | grep -q Seen ||
    fail "reading did not mark it \\Seen on the server"
echo "ok: flag and \\Seen on the server"

# Reply with a file attached, and send.
keys r
wait_for "Re: Rapat anggaran" 15
wait_for "UI-REPLY-MARK"
keys a
wait_for "Attach file:"
text "$tmp/to-send.bin"; keys Enter
wait_for "to-send.bin"
keys y
wait_for "queued for sending"
keys i
wait_for "Laporan bulanan"

# alice's own surat, a second client over IMAP, gets the reply.
a() { "$surat" --config "$tmp/alice.config" --data-dir "$tmp/alice" "$@"; }
got_reply() {
	a sync --quiet >/dev/null 2>&1
	a --json search "UI-REPLY-MARK" >"$tmp/found.json" 2>/dev/null &&
	    grep -q '"id"' "$tmp/found.json"
}
poll 20 got_reply || fail "alice never got the reply"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$tmp/found.json")
a show "$id" >"$tmp/reply.txt"
grep -q "Subject: Re: Rapat anggaran" "$tmp/reply.txt" ||
    fail "reply subject: $(head -20 "$tmp/reply.txt")"
grep -q "> Mari bahas anggaran" "$tmp/reply.txt" ||
    fail "the reply does not quote the message"
a show --part 2 --save "$tmp/arrived.bin" "$id" >/dev/null ||
    fail "no attachment in the reply"
cmp -s "$tmp/arrived.bin" "$tmp/to-send.bin" ||
    fail "the attachment arrived with other bytes"
echo "ok: reply with attachment sent by SMTP, read back over IMAP by another client"
doveadm fetch -u budi flags mailbox INBOX uid "$uid1" | grep -q Answered ||
    echo "note: \\Answered not on the server yet"

# Save the attachment of a received message.
keys j Enter
wait_for "Laporan terlampir" 15
keys v
wait_for "data.bin" 15
keys s
wait_for "Save to file:"
keys C-u
text "$tmp/saved.bin"; keys Enter
wait_for "Saved"
cmp -s "$tmp/saved.bin" "$tmp/received.bin" || fail "saved attachment differs"
echo "ok: a received attachment saved byte for byte"
keys q
wait_for "Laporan terlampir"
keys i
wait_for "Catatan lama"

# Search: the word is only in a body the store never downloaded.
keys /
wait_for "Search:"
text "durianmontong42"; keys Enter
wait_for "server found 1 more" 15
wait_for "Catatan lama"
echo "ok: search finds, with the server, a word in a body not downloaded"
keys q
wait_for "Rapat anggaran"

# Resize: small, tiny, back; the screen stays sane.
tm resize-window -t ui -x 60 -y 15
wait_for "Rapat anggaran"
screen | grep -q -- "-- surat:" || fail "no status line at 60x15"
tm resize-window -t ui -x 20 -y 5
sleep 0.5
screen >/dev/null
tm resize-window -t ui -x 110 -y 32
wait_for "Rapat anggaran"
wait_for "Archive"
screen | grep -q -- "-- surat: budi/INBOX" || fail "no status after resizing back"
lines=$(screen | wc -l)
[ "$lines" -eq 32 ] || fail "the screen has $lines lines"
echo "ok: resized to 60x15, 20x5 and back"

keys q
wait_for "SURAT-EXIT=0"
echo "ok: quit ($(( $(date +%s) - t0 )) s in the reader)"
exit 0
