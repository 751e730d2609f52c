#!/bin/sh
# Bodies on demand, one part at a time, against the real Dovecot (issue
# 4): a message with a 2 MB attachment synced headers-only (prefetch =
# none), then shown: the text is there, the attachment is listed with its
# size but its bytes never reach the store (it stays small; the JSON says
# the body is not all here); the text is found by the local search; the
# attachment saved on request is byte for byte the original.  The sync
# stores the header fields it uses, not Received or X-Trace-Test; the
# whole header comes with the parts (show --headers), and asking for the
# header of a message never opened fetches it.  Offline, a big message
# never opened says its text is not downloaded, with a size.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
	exec "$here/with-servers.sh" sh "$0" "$@"
fi
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$SURAT_TEST_RUNDIR/parts
mkdir -p "$tmp"
doveadm() { $SURAT_TEST_DOVEADM "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

cat >"$tmp/config" <<CFG
[account t]
email = $SURAT_TEST_ADDR
user = $SURAT_TEST_USER
incoming = imaps://localhost:$SURAT_TEST_IMAPS_PORT
outgoing = smtps://localhost:$SURAT_TEST_SMTPS_PORT
password = $SURAT_TEST_PASS
ca_file = $SURAT_TEST_CA
prefetch = none
CFG
chmod 600 "$tmp/config"
s() { "$surat" --config "$tmp/config" --data-dir "$tmp/data" "$@"; }

# msg SUBJECT WORD ATTACHMENT HOUR: text, then the attachment in base64.
msg() {
	printf 'Received: from relay.example.test by mx.example.test;\n'
	printf '\tMon, 23 Nov 2026 %s:00:00 +0700\n' "$4"
	printf 'X-Trace-Test: jejak-%s\n' "$2"
	printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\n'
	printf 'Subject: %s\nMessage-ID: <%s@example.test>\n' "$1" "$2"
	printf 'Date: Mon, 23 Nov 2026 %s:00:00 +0700\nMIME-Version: 1.0\n' "$4"
	printf 'Content-Type: multipart/mixed; boundary="b-parts"\n\n'
	printf -- '--b-parts\nContent-Type: text/plain; charset=utf-8\n\n'
	printf 'Laporan kuartal terlampir, kata kunci %s.\n\n' "$2"
	printf -- '--b-parts\nContent-Type: application/octet-stream; '
	printf 'name="data.bin"\nContent-Disposition: attachment; '
	printf 'filename="data.bin"\nContent-Transfer-Encoding: base64\n\n'
	base64 -w 76 "$3"
	printf -- '--b-parts--\n'
}
head -c 2000000 /dev/urandom >"$tmp/big.bin"
msg "Laporan besar" "kuncisatu" "$tmp/big.bin" 08 | doveadm save -u budi -m INBOX
msg "Laporan kedua" "kuncidua" "$tmp/big.bin" 07 | doveadm save -u budi -m INBOX
msg "Laporan ketiga" "kuncitiga" "$tmp/big.bin" 09 | doveadm save -u budi -m INBOX
msg "Laporan keempat" "kunciempat" "$tmp/big.bin" 06 | doveadm save -u budi -m INBOX

s sync --quiet >"$tmp/sync.out" 2>&1 || fail "sync: $(cat "$tmp/sync.out")"
s --json list --folder INBOX >"$tmp/list.json" || fail "list"
id_of() {
	python3 -c 'import json,sys
for m in json.load(open(sys.argv[1])):
    if m["subject"] == sys.argv[2]: print(m["id"])' "$tmp/list.json" "$1"
}
id1=$(id_of "Laporan besar")
id2=$(id_of "Laporan kedua")
id4=$(id_of "Laporan keempat")
[ -n "$id1" ] && [ -n "$id2" ] && [ -n "$id4" ] || fail "messages not listed: $(cat "$tmp/list.json")"

# The sync kept the header fields it uses, not the whole header.
python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
h = db.execute("SELECT headers FROM message_meta WHERE msg = ?",
    (int(sys.argv[2]),)).fetchone()[0].decode()
assert "Subject: Laporan besar" in h and "Message-ID: <kuncisatu@" in h, h
assert "X-Trace-Test" not in h and "Received" not in h, h
' "$tmp/data/surat.db" "$id1" || fail "the stored header is not the fields the sync asks for"
echo "ok: the headers-only sync stored the header fields it uses, not Received or X-Trace-Test"

# size of the store, WAL included, in bytes
store_size() { cat "$tmp"/data/surat.db* 2>/dev/null | wc -c; }

s show "$id1" >"$tmp/show.txt" 2>"$tmp/show.err"
rc=$?
[ $rc -eq 0 ] || fail "show exited $rc: $(cat "$tmp/show.err")"
grep -q "Laporan kuartal terlampir, kata kunci kuncisatu." "$tmp/show.txt" ||
    fail "the text is not shown: $(cat "$tmp/show.txt")"
grep -q "data.bin (application/octet-stream): not downloaded (1.9 MB)" \
    "$tmp/show.txt" || fail "the attachment is not listed as not downloaded: $(cat "$tmp/show.txt")"
size=$(store_size)
[ "$size" -lt 1000000 ] ||
    fail "the store grew to $size bytes: the attachment was downloaded"
s --json show "$id1" >"$tmp/show.json" || fail "show --json"
python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
assert j["body_downloaded"] is False, j["body_downloaded"]
assert j["stored"]["body"] == "partial", j["stored"]["body"]
assert "kuncisatu" in j["text"], j["text"]
a = j["attachments"]
assert len(a) == 1 and a[0]["name"] == "data.bin" and a[0]["section"] == "2", a
assert 1900000 < a[0]["size"] < 2100000, a
' "$tmp/show.json" || fail "show --json: $(cat "$tmp/show.json")"
echo "ok: shown with its text, the 2 MB attachment listed but not downloaded (store: $size bytes)"
# The whole header came with the text part.
s show --headers "$id1" >"$tmp/headers.txt" 2>&1 ||
    fail "show --headers exited $?: $(cat "$tmp/headers.txt")"
grep -q "^X-Trace-Test: jejak-kuncisatu" "$tmp/headers.txt" &&
    grep -q "^Received: from relay.example.test" "$tmp/headers.txt" ||
    fail "the whole header did not come with the parts: $(cat "$tmp/headers.txt")"
# One never opened: asking for its header fetches it.
s show --headers "$id4" >"$tmp/headers4.txt" 2>&1 ||
    fail "show --headers (not opened) exited $?: $(cat "$tmp/headers4.txt")"
grep -q "^X-Trace-Test: jejak-kunciempat" "$tmp/headers4.txt" ||
    fail "the whole header was not fetched: $(cat "$tmp/headers4.txt")"
echo "ok: the message read in parts shows its whole header, one never opened fetches it"

# The fetched text went to the search index.
s --json search kuncisatu >"$tmp/found.json" 2>/dev/null
python3 -c 'import json,sys
ids = [m["id"] for m in json.load(open(sys.argv[1]))]
assert ids == [int(sys.argv[2])], ids' "$tmp/found.json" "$id1" ||
    fail "search does not find the fetched text: $(cat "$tmp/found.json")"
echo "ok: the search finds the text of the fetched part"

s show --part 2 --save "$tmp/saved.bin" "$id1" >/dev/null 2>"$tmp/save.err" ||
    fail "saving the attachment: $(cat "$tmp/save.err")"
cmp -s "$tmp/saved.bin" "$tmp/big.bin" || fail "the saved attachment differs"
size2=$(store_size)
[ "$size2" -gt 2000000 ] || fail "the part was not kept in the store ($size2 bytes)"
# The reader in tmux: the newest message opens with its text; its
# attachment is fetched when asked for, then saved.
if command -v tmux >/dev/null 2>&1; then
	sock="surat-parts-$$"
	screen() { tmux -L "$sock" capture-pane -p -t u 2>/dev/null; }
	keys() { tmux -L "$sock" send-keys -t u "$@"; }
	uifail() {
		echo "---- screen ----"; screen; echo "----------------"
		tmux -L "$sock" kill-server 2>/dev/null
		fail "$@"
	}
	wait_for() {
		i=0
		while [ $i -lt $(( ${2:-10} * 10 )) ]; do
			screen | grep -qF -- "$1" && return 0
			sleep 0.1
			i=$((i + 1))
		done
		uifail "the screen never showed '$1'"
	}
	trap 'tmux -L "$sock" kill-server 2>/dev/null' EXIT
	tmux -L "$sock" new-session -d -s u -x 120 -y 30 \
	    "env TERM=tmux-256color LANG=C.UTF-8 '$surat' --config \
	    '$tmp/config' --data-dir '$tmp/data'; echo SURAT-EXIT=\$?; sleep 30"
	before=$(store_size)
	wait_for "Laporan ketiga" 20
	keys Enter
	wait_for "kata kunci kuncitiga" 15
	wait_for "not downloaded (1.9 MB)"
	grew=$(( $(store_size) - before ))
	[ "$grew" -lt 1000000 ] ||
	    uifail "the reader downloaded the attachment: the store grew by $grew bytes"
	keys v
	wait_for "(not downloaded)"
	keys s
	wait_for "Downloading data.bin"
	wait_for "data.bin is here." 15
	keys s
	wait_for "Save to file:"
	keys C-u
	tmux -L "$sock" send-keys -t u -l "$tmp/ui-saved.bin"
	keys Enter
	wait_for "Saved"
	cmp -s "$tmp/ui-saved.bin" "$tmp/big.bin" ||
	    uifail "the attachment saved in the reader differs"
	keys q q q
	wait_for "SURAT-EXIT=0"
	tmux -L "$sock" kill-server 2>/dev/null
	echo "ok: the reader shows the text, fetches the attachment when asked, saves it"
fi

# Offline from now on: the saved part is in the store.
"$SURAT_TEST_SERVERS" stop-imap "$SURAT_TEST_RUNDIR" >/dev/null 2>&1
rm -f "$tmp/saved2.bin"
s show --part 2 --save "$tmp/saved2.bin" "$id1" >/dev/null 2>&1 ||
    fail "saving again offline"
cmp -s "$tmp/saved2.bin" "$tmp/big.bin" || fail "the stored attachment differs"
echo "ok: the attachment fetched alone on request, byte for byte, and kept"

# Offline, a big message never opened: its text says it is not here.
s show "$id2" >"$tmp/show2.txt" 2>"$tmp/show2.err"
rc=$?
[ $rc -eq 3 ] || fail "show offline exited $rc, not 3 (partial)"
grep -q "Subject: Laporan kedua" "$tmp/show2.txt" || fail "no headers offline"
grep -q "text/plain.*not downloaded (" "$tmp/show2.txt" ||
    fail "offline: the missing text is not said: $(cat "$tmp/show2.txt")"
grep -q "data.bin.*not downloaded (1.9 MB)" "$tmp/show2.txt" ||
    fail "offline: the attachment line: $(cat "$tmp/show2.txt")"
echo "ok: offline, a message never opened says what is not downloaded"
exit 0
