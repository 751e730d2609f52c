#!/bin/sh
# surat search --server and surat export against the real Dovecot of
# tests/integration, on an account synced headers only (prefetch = none):
# a word only in a body is found with --server and not without; export
# fetches the missing bodies first and writes the server's exact bytes
# (Maildir, and mbox re-imported); with the server down, search gives the
# local results and export what is here, both exit 3 with a warning.
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
	exec "$top_srcdir/tests/integration/with-servers.sh" sh "$0" "$@"
fi
. "$(dirname "$0")/common.sh"
. "$top_srcdir/tests/integration/lib.sh"

{
	it_account t "$SURAT_TEST_USER" "$SURAT_TEST_PASS" "$SURAT_TEST_ADDR"
	echo "prefetch = none"
} >"$CONF"
chmod 600 "$CONF"

for i in 1 2 3; do
	printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\nSubject: laporan %d\nMessage-ID: <cli-server-%d@example.test>\nDate: Mon, 23 Nov 2026 0%d:00:00 +0700\n\nIsi laporan %d.\n' \
	    $i $i $i $i | doveadm save -u budi -m INBOX
done
printf 'From: Sari <sari@example.test>\nTo: budi@example.test\nSubject: rapat\nMessage-ID: <cli-server-body@example.test>\nDate: Mon, 23 Nov 2026 05:00:00 +0700\n\nJangan lupa membawa kudapan ke rapat.\nFrom the desk of Sari\n' |
    doveadm save -u budi -m INBOX
printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\nSubject: arsip\nMessage-ID: <cli-server-arsip@example.test>\nDate: Sun, 22 Nov 2026 05:00:00 +0700\n\nSudah diarsipkan.\n' |
    doveadm save -u budi -m Archive

s sync --quiet
expect 0 "sync headers only"
s --json list --folder INBOX
check "four messages, no body downloaded" py \
    'len(j) == 4 and all(m["body"] == "none" for m in j)'

# ---- search --server
s --json search kudapan
expect 0 "a word only in a body: local search"
check "not found without --server (the body is not here)" py 'j == []'
s --json search --server kudapan
expect 0 "search --server"
check "found with --server" py \
    '[m["subject"] for m in j] == ["rapat"]'
s --json search --server 'laporan'
check "local and server hits, each once" py \
    'sorted(m["subject"] for m in j) == ["laporan 1", "laporan 2", "laporan 3"]'
s --json search --server 'kudapan before:2026-01-01'
check "the server's hits still honour before:" py 'j == []'
s --json search --server --folder Archive kudapan
check "--folder limits the server search too" py 'j == []'
s --json search --server diarsipkan
check "every folder of the account is asked" py \
    '[m["subject"] for m in j] == ["arsip"]'
s list --server
expect 2 "list --server is a usage error"

# ---- export: bodies fetched first, the server's bytes written
python3 - "$SURAT_TEST_HOST" "$SURAT_TEST_IMAP_PORT" "$SURAT_TEST_USER" \
    "$SURAT_TEST_PASS" "$TMP/server" <<'PY'
import imaplib, os, sys
host, port, user, pw, out = sys.argv[1:]
os.makedirs(out)
m = imaplib.IMAP4(host, int(port))
m.login(user, pw)
for box in ("INBOX", "Archive"):
    m.select(box, readonly=True)
    typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[])")
    n = 0
    for part in data:
        if isinstance(part, tuple):
            n += 1
            open(os.path.join(out, "%s.%d" % (box, n)), "wb").write(part[1])
m.logout()
PY
check "the server's messages were read with imaplib" \
    [ "$(ls "$TMP/server" | wc -l)" = 5 ]

# same_as_server DIR WANT: DIR's files are WANT of the server's messages.
same_as_server() {
	same=0
	for f in "$1"/*; do
		for o in "$TMP"/server/*; do
			cmp -s "$f" "$o" && same=$((same + 1))
		done
	done
	[ "$same" = "$2" ]
}

s --json export --folder INBOX --maildir "$TMP/md"
expect 0 "export of headers-only messages"
check "--json: four fetched, none missing" py \
    'j["count"] == 4 and j["fetched"] == 4 and j["missing_bodies"] == 0'
check "the exported files are the server's bytes (4 of 4)" \
    same_as_server "$TMP/md/cur" 4
s --json list --folder INBOX
check "the bodies are kept in the store" py \
    'all(m["body"] == "full" for m in j)'

s --json export --folder Archive --mbox "$TMP/archive.mbox"
expect 0 "export of another folder as mbox"
s import --folder Copy "$TMP/archive.mbox"
expect 0 "the mbox imports again"
s export --folder Copy --maildir "$TMP/copy"
check "through mbox and back: the server's bytes" \
    same_as_server "$TMP/copy/cur" 1

# ---- the server down: local results, what is here, exit 3
printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\nSubject: baru\nMessage-ID: <cli-server-new@example.test>\nDate: Mon, 23 Nov 2026 06:00:00 +0700\n\nPesan baru.\n' |
    doveadm save -u budi -m INBOX
s sync --quiet
"$SURAT_TEST_SERVERS" stop-imap "$SURAT_TEST_RUNDIR" >/dev/null 2>&1
s --json search --server laporan
expect 3 "search --server offline is partial"
check "the local results are there" py 'len(j) == 3'
check "one warning line on stderr" sh -c \
    "[ \$(wc -l < '$TMP/err') = 1 ] && grep -q 'local results only' '$TMP/err'"
s export --folder INBOX --mbox "$TMP/offline.mbox"
expect 3 "export offline is partial"
check "it says how many were left out" \
    grep -q '1 message was left out' "$TMP/err"
check "what is here was exported" \
    [ "$(grep -c '^From ' "$TMP/offline.mbox")" = 4 ]
"$SURAT_TEST_SERVERS" start-imap "$SURAT_TEST_RUNDIR" >/dev/null 2>&1

finish
