#!/bin/sh
# Two surat processes on one store: while `surat sync` is in the middle of
# an IMAP sync, a second `surat sync`, a second writer (import) and a
# second mail reader on a terminal (tmux) are each refused with a clear
# message naming the process in the way; a read-only command (list) still
# reads the store.  The first sync then ends normally with every server
# message stored exactly once and a database that passes integrity_check.
# Runs against the harness's real Dovecot.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$here/../integration/with-servers.sh" /bin/sh "$0" "$@"
fi
crash_dir=two
. "$here/lib.sh"
N=${SURAT_TWO_MESSAGES:-1500}
sock="surat-two-$$"
first=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$first" ] && kill "$first" 2>/dev/null
}
trap cleanup EXIT

cat >"$tmp/conf" <<EOF
[account budi]
email = $SURAT_TEST_ADDR
user = $SURAT_TEST_USER
incoming = imaps://$SURAT_TEST_HOST:$SURAT_TEST_IMAPS_PORT
outgoing = smtps://$SURAT_TEST_HOST:$SURAT_TEST_SMTPS_PORT
password = $SURAT_TEST_PASS
ca_file = $SURAT_TEST_CA
EOF
chmod 600 "$tmp/conf"
data=$tmp/data
S() { "$surat" --config "$tmp/conf" --data-dir "$data" "$@"; }

# N messages written straight into budi's Maildir, then made known.
md=$SURAT_TEST_MAILDIR_budi
awk -v n="$N" -v dir="$md/new" -v t="$(date +%s)" 'BEGIN {
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/%d.two%d.localhost", dir, t, i)
		printf "From: <alice@example.test>\nTo: <budi@example.test>\n" >f
		printf "Subject: two %d\nMessage-ID: <two-%d@example.test>\n\n", \
		    i, i >f
		printf "body %d\n", i >f
		close(f)
	}
}'
chown -R "$(stat -c %u:%g "$md")" "$md/new"
$DOVEADM force-resync -u "$SURAT_TEST_USER" INBOX

count() {	# messages in the store's INBOX, or empty
	S list --json --limit 100000 2>/dev/null | grep -c '"message_id"'
}

# The first sync, small batches so it stays busy for a while.
SURAT_SYNC_BATCH=10 "$surat" --config "$tmp/conf" --data-dir "$data" sync \
    >"$tmp/first.out" 2>&1 &
first=$!
# Wait until it has committed some messages, but not all.
i=0
while [ $i -lt 300 ]; do
	n=$(count)
	[ "${n:-0}" -gt 0 ] && break
	kill -0 "$first" 2>/dev/null || break
	sleep 0.05
	i=$((i + 1))
done
if ! kill -0 "$first" 2>/dev/null; then
	bad "the first sync ended before the others could be tried" \
	    "(raise SURAT_TWO_MESSAGES)"
	cat "$tmp/first.out"
	exit 1
fi
echo "first sync (pid $first) running, $n messages stored so far"

# expect WHAT PATTERN CMD...: CMD exits 1 and says PATTERN.
expect() {
	what=$1 pattern=$2
	shift 2
	out=$("$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 1 ] && printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
		echo "ok: $what (exit $rc): $out"
	else
		bad "$what: exit $rc, wanted '$pattern', got: $out"
	fi
}
inuse="surat.lock: store is in use by process $first \(surat sync\)"
expect "a second surat sync" "$inuse" S sync
printf 'From: <x@example.test>\nSubject: i\nMessage-ID: <imp@x>\n\nx\n' \
    >"$tmp/m.eml"
expect "an import" "$inuse" S import "$tmp/m.eml"

# A second mail reader on a terminal.
if command -v tmux >/dev/null 2>&1; then
	tmux -L "$sock" new-session -d -x 120 -y 20 \
	    "LANG=C.UTF-8 '$surat' --config '$tmp/conf' --data-dir '$data'; echo \"EXIT=\$?\"; sleep 30"
	i=0
	while [ $i -lt 100 ] && ! tmux -L "$sock" capture-pane -p |
	    grep -q 'EXIT='; do
		sleep 0.1
		i=$((i + 1))
	done
	screen=$(tmux -L "$sock" capture-pane -p -J | grep -v '^$')
	if printf '%s\n' "$screen" | grep -Eq "$inuse" &&
	    printf '%s\n' "$screen" | grep -q 'EXIT=1'; then
		echo "ok: a second reader: $(printf '%s' "$screen" | head -n 1)"
	else
		bad "a second reader on a terminal showed: $screen"
	fi
	tmux -L "$sock" kill-server 2>/dev/null
else
	echo "note: no tmux; the second reader was not tried"
fi

# Reading needs no lock: a read-only view while the sync writes.
if S list --limit 5 >"$tmp/list.out" 2>&1; then
	echo "ok: list reads the store during the sync"
else
	bad "list during the sync: $(cat "$tmp/list.out")"
fi
kill -0 "$first" 2>/dev/null ||
    echo "note: the first sync ended during the checks"

wait "$first"
rc=$?
first=
[ $rc -eq 0 ] || { bad "the first sync failed (exit $rc):"; cat "$tmp/first.out"; }
n=$(count)
uniq=$(S list --json --limit 100000 2>/dev/null |
    grep -o '"message_id": *"[^"]*"' | sort -u | wc -l)
[ "$n" = "$N" ] && [ "$uniq" = "$N" ] ||
    bad "after the sync: $n messages stored ($uniq distinct), server has $N"
if command -v sqlite3 >/dev/null 2>&1; then
	ic=$(sqlite3 "$data/surat.db" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || bad "integrity_check: $ic"
fi
S sync >"$tmp/again.out" 2>&1 || { bad "a later sync fails:"; cat "$tmp/again.out"; }
[ $fail = 0 ] && echo "ok: $N messages stored once, the store is whole"
exit $fail
