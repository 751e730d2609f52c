#!/bin/sh
# Hostile folder names and unknown message numbers through the real sync
# engine: fakeserver plays sync-hostile.script to `surat sync`.  Its LIST
# names folders "../../evil", "/etc/passwd", "a/b/../../c", one with a bidi
# override and one with an escape sequence; its INBOX answers fetches with
# FETCH and EXPUNGE for message numbers the mailbox does not have (42, 0,
# 7, and a UID 9 never listed).  Asserted: fakeserver's transcript holds
# (no UID outside 1:2 is ever asked for; the two hostile names are asked
# for exactly as listed), the folders are stored as names only (no file or
# directory appears anywhere but in the data directory), the messages of
# the hostile names are synced, nothing printed (folders, folders --json,
# sync, list) carries a control character or bidi override, and INBOX
# holds exactly UIDs 1 and 2, unread and not deleted.  Then a store that
# kept those two under their sanitized names (as surat did before 0.2) is
# synced again (sync-hostile-again.script): the rows are renamed to the
# exact names, not made anew, and their mail stays.
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

# The data directory sits deep, so "../../evil" used as a path would land
# inside $tmp, where it would be seen.
data=$tmp/home/a/b/data
mkdir -p "$tmp/home/a/b"
S() { "$surat" --config "$tmp/conf" --data-dir "$data" "$@"; }

# sync SCRIPT OUT: fakeserver plays SCRIPT to one `surat sync`.
sync() {
	rm -f "$tmp/port"
	"$fakeserver" -c "$tmp/srv.pem" -k "$tmp/srv.key" -p "$tmp/port" \
	    -t 20 "$1" 2>"$tmp/server.err" &
	server_pid=$!
	i=0
	while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
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
	(cd "$tmp/home/a/b" && timeout 60 "$surat" --config "$tmp/conf" \
	    --data-dir "$data" sync) >"$2" 2>&1
	rc=$?
	wait "$server_pid"
	src=$?
	server_pid=
	sed 's/^/  sync: /' "$2"
	[ $rc -le 3 ] || bad "surat sync crashed or was killed (exit $rc)"
	[ $src -eq 0 ] || bad "fakeserver: $(head -n 3 "$tmp/server.err")"
}

# clean FILE...: no ESC, BEL, other C0 controls (as bytes or JSON
# escapes), C1 or bidi override in what was printed.
clean() {
	for f in "$@"; do
		if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$f" ||
		    grep -Eq '\\u00(0[0-8bcef]|1[0-9a-f]|7f)|\\u202[a-e]' "$f" ||
		    grep -q "$(printf '\342\200[\252-\256]')" "$f" ||
		    grep -q "$(printf '\302[\200-\237]')" "$f"; then
			bad "control characters or a bidi override in $(basename "$f"):"
			cat -v "$f"
		fi
	done
}

: >"$tmp/sync.out"
: >"$tmp/new"
: >"$tmp/conf"
: >"$tmp/before"
find "$tmp" | sort >"$tmp/before"
sync "$script" "$tmp/sync.out"

# Nothing on disk but the store's own files.
find "$tmp" | sort | comm -13 "$tmp/before" - |
    grep -v "^$data\(/surat\.\(db\|db-wal\|db-shm\|lock\)\)\{0,1\}\$" |
    grep -v "^$tmp/\(port\|server.err\)\$" >"$tmp/new"
[ -s "$tmp/new" ] && { bad "files appeared outside the store:"; cat "$tmp/new"; }

# The folders, as names, shown clean; the hostile two hold their mail.
S --json folders >"$tmp/folders.json" 2>&1 || bad "folders --json failed"
for n in '../../evil' '/etc/passwd' 'a/b/../../c' INBOX biditxt ctl; do
	grep -qF "\"name\": \"$n\"" "$tmp/folders.json" ||
	    bad "folder '$n' not stored as a name (or not shown clean)"
done
S folders >"$tmp/folders.txt" 2>&1 || bad "folders failed"
# id and total of the folder shown as $1
folder_row() {
	tr -d '\n' <"$tmp/folders.json" | sed 's/}/}\n/g' |
	    grep -F "\"name\": \"$1\"" | sed 's/.*"id": *\([0-9]*\).*"total": *\([0-9]*\).*/\1 \2/'
}
for n in biditxt ctl; do
	row=$(folder_row $n)
	[ "${row#* }" = 1 ] || bad "folder '$n': total '${row#* }', want 1"
	S --json list --account budi --folder $n --limit 100 \
	    >"$tmp/list-$n.json" 2>&1 || bad "list $n failed: $(cat "$tmp/list-$n.json")"
	grep -q "\"subject\": \"in ${n%txt}\"" "$tmp/list-$n.json" ||
	    bad "the message in '$n' is not synced: $(cat "$tmp/list-$n.json")"
	S list --account budi --folder $n >"$tmp/list-$n.txt" 2>&1 ||
	    bad "list $n failed"
done
clean "$tmp/folders.json" "$tmp/folders.txt" "$tmp/sync.out" \
    "$tmp/list-biditxt.json" "$tmp/list-ctl.json" "$tmp/list-biditxt.txt" \
    "$tmp/list-ctl.txt"
bidi_row=$(folder_row biditxt)
ctl_row=$(folder_row ctl)

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

# A store from before names were kept exact: the two under their
# sanitized names.  The next sync gives the same rows their names back.
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$data/surat.db" "UPDATE folders SET name = 'biditxt',
	    wire = NULL WHERE id = ${bidi_row% *};
	    UPDATE folders SET name = 'ctl', wire = NULL
	    WHERE id = ${ctl_row% *};" || bad "sqlite3 failed"
	sync "$top_srcdir/tests/faults/sync-hostile-again.script" \
	    "$tmp/sync2.out"
	S --json folders >"$tmp/folders.json" 2>&1 || bad "folders --json failed"
	[ "$(folder_row biditxt)" = "$bidi_row" ] ||
	    bad "biditxt: '$(folder_row biditxt)' after the second sync, want '$bidi_row'"
	[ "$(folder_row ctl)" = "$ctl_row" ] ||
	    bad "ctl: '$(folder_row ctl)' after the second sync, want '$ctl_row'"
	n=$(grep -c '"name"' "$tmp/folders.json")
	[ "$n" = 6 ] || bad "$n folders after the second sync, want 6"
	clean "$tmp/sync2.out" "$tmp/folders.json"
else
	echo "note: no sqlite3; a store with sanitized names not tried"
fi
[ $fail = 0 ] && echo "ok: hostile folder names kept exact and synced, shown clean, nothing on disk, unknown message numbers ignored"
exit $fail
