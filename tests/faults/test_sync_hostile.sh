#!/bin/sh
# Hostile folder names and unknown message numbers through the real sync
# engine: fakeserver plays sync-hostile.script to `surat sync`.  Its LIST
# names folders "../../evil", "/etc/passwd", "a/b/../../c", one with a bidi
# override and one with an escape sequence; its INBOX answers fetches with
# FETCH and EXPUNGE for message numbers the mailbox does not have (42, 0,
# 7, and a UID 9 never listed).  Asserted: fakeserver's transcript holds
# (no UID outside 1:2 is ever asked for), the folders are stored as names
# only (no file or directory appears anywhere but in the data directory),
# no stored or printed name carries a control character or bidi override,
# and INBOX holds exactly UIDs 1 and 2, unread and not deleted.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
fakeserver=$(cd "${top_builddir:-.}" && pwd)/tests/faults/fakeserver
script=$top_srcdir/tests/faults/sync-hostile.script
command -v certtool >/dev/null 2>&1 || { echo "SKIP: no certtool"; exit 77; }
for p in "$surat" "$fakeserver"; do
	[ -x "$p" ] || { echo "missing $p"; exit 99; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/surat-hostile.XXXXXX") || exit 99
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# A CA and a certificate for localhost.
printf 'cn = "hostile CA"\nca\ncert_signing_key\nexpiration_days = 30\n' \
    >"$tmp/ca.tmpl"
printf 'cn = "localhost"\ndns_name = "localhost"\ntls_www_server\nsigning_key\nencryption_key\nexpiration_days = 30\n' \
    >"$tmp/srv.tmpl"
{
	certtool --generate-privkey --key-type=ecdsa --no-text \
	    --outfile "$tmp/ca.key" &&
	certtool --generate-self-signed --load-privkey "$tmp/ca.key" \
	    --template "$tmp/ca.tmpl" --no-text --outfile "$tmp/ca.pem" &&
	certtool --generate-privkey --key-type=ecdsa --no-text \
	    --outfile "$tmp/srv.key" &&
	certtool --generate-certificate --load-privkey "$tmp/srv.key" \
	    --load-ca-certificate "$tmp/ca.pem" --load-ca-privkey "$tmp/ca.key" \
	    --template "$tmp/srv.tmpl" --no-text --outfile "$tmp/srv.pem"
} >"$tmp/certtool.log" 2>&1 || { cat "$tmp/certtool.log"; exit 99; }

"$fakeserver" -c "$tmp/srv.pem" -k "$tmp/srv.key" -p "$tmp/port" -t 20 \
    "$script" 2>"$tmp/server.err" &
server_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
# The data directory sits deep, so "../../evil" used as a path would land
# inside $tmp, where it would be seen.
data=$tmp/home/a/b/data
mkdir -p "$tmp/home/a/b"
cat >"$tmp/conf" <<EOC
[account budi]
email = budi@example.test
user = budi
incoming = imaps://localhost:$(cat "$tmp/port")
outgoing = smtps://localhost:1
password = secret-pass
ca_file = $tmp/ca.pem
EOC
chmod 600 "$tmp/conf"
: >"$tmp/sync.out"
: >"$tmp/new"
find "$tmp" | sort >"$tmp/before"
(cd "$tmp/home/a/b" && timeout 60 "$surat" --config "$tmp/conf" \
    --data-dir "$data" sync) >"$tmp/sync.out" 2>&1
rc=$?
wait "$server_pid"
src=$?
server_pid=
S() { "$surat" --config "$tmp/conf" --data-dir "$data" "$@"; }
sed 's/^/  sync: /' "$tmp/sync.out"
[ $rc -le 3 ] || bad "surat sync crashed or was killed (exit $rc)"
[ $src -eq 0 ] || bad "fakeserver: $(head -n 3 "$tmp/server.err")"

# Nothing on disk but the store's own files.
find "$tmp" | sort | comm -13 "$tmp/before" - |
    grep -v "^$data\(/surat\.\(db\|db-wal\|db-shm\|lock\)\)\{0,1\}\$" \
    >"$tmp/new"
[ -s "$tmp/new" ] && { bad "files appeared outside the store:"; cat "$tmp/new"; }

# The folders, as names, and clean.
S --json folders >"$tmp/folders.json" 2>&1 || bad "folders --json failed"
for n in '../../evil' '/etc/passwd' 'a/b/../../c' INBOX; do
	grep -qF "\"name\": \"$n\"" "$tmp/folders.json" ||
	    bad "folder '$n' not stored as a name"
done
S folders >"$tmp/folders.txt" 2>&1 || bad "folders failed"
for f in "$tmp/folders.json" "$tmp/folders.txt"; do
	# ESC, BEL, other C0 controls (as bytes or JSON escapes), C1, RLO.
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$f" ||
	    grep -Eq '\\u00(0[0-8bcef]|1[0-9a-f]|7f)|\\u202[a-e]' "$f" ||
	    grep -q "$(printf '\342\200\256')" "$f" ||
	    grep -q "$(printf '\302\233')" "$f"; then
		bad "control characters or a bidi override in $(basename "$f"):"
		cat -v "$f"
	fi
done

# INBOX: UIDs 1 and 2 only, neither seen nor deleted by the FETCH and
# EXPUNGE for unknown message numbers.
S --json list --account budi --folder INBOX --limit 100 >"$tmp/list.json" 2>&1 ||
    bad "list failed: $(cat "$tmp/list.json")"
uids=$(grep -o '"uid": *[0-9]*' "$tmp/list.json" | sed 's/.*: *//' | sort -n |
    tr '\n' ' ')
[ "$uids" = "1 2 " ] || bad "INBOX holds UIDs '$uids', want '1 2 '"
if grep -A3 '"flags"' "$tmp/list.json" | grep -Eqi 'seen|deleted'; then
	bad "an unknown message number changed flags:"
	grep -E -A3 '"(uid|flags)"' "$tmp/list.json"
fi
[ $fail = 0 ] && echo "ok: hostile folder names stored as clean names, nothing on disk, unknown message numbers ignored"
exit $fail
