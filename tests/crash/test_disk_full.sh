#!/bin/sh
# Disk full during a sync: an IMAP sync and a POP3 download with
# pop3_policy = delete run out of space part way (a file size limit,
# `ulimit -f` with SIGXFSZ ignored so writes fail with EFBIG; and, when
# running as root, a tiny tmpfs so they fail with ENOSPC).  Each must end
# with a clear error line and a non-zero exit; POP3 must not have deleted
# on the server anything the store did not commit; and once the space is
# back a rerun stores every server message exactly once.
# Runs against the harness's real Dovecot.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$here/../integration/with-servers.sh" /bin/sh "$0" "$@"
fi
crash_dir=full
. "$here/lib.sh"
N=${SURAT_FULL_MESSAGES:-300}
# Bytes per file under the limit: less than a whole sync stores.
FSIZE=${SURAT_FULL_FSIZE:-600000}
mnts=
cleanup() {
	for m in $mnts; do
		umount "$m" 2>/dev/null
	done
}
trap cleanup EXIT

conf() {	# NAME INCOMING [EXTRA]
	cat >"$tmp/$1.conf" <<-EOF
	[account budi]
	email = $SURAT_TEST_ADDR
	user = $SURAT_TEST_USER
	incoming = $2
	outgoing = smtps://$SURAT_TEST_HOST:$SURAT_TEST_SMTPS_PORT
	password = $SURAT_TEST_PASS
	ca_file = $SURAT_TEST_CA
	${3:-}
	EOF
	chmod 600 "$tmp/$1.conf"
}

# seed TAG: N messages of ~8 KB into budi's INBOX (4 MB or so in all).
seed() {
	md=$SURAT_TEST_MAILDIR_budi
	$DOVEADM expunge -u "$SURAT_TEST_USER" mailbox INBOX all
	awk -v n="$N" -v tag="$1" -v dir="$md/new" -v t="$(date +%s)" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%d.full%s%d.localhost", dir, t, tag, i)
			printf "From: <alice@example.test>\n" >f
			printf "To: <budi@example.test>\nSubject: %s %d\n", \
			    tag, i >f
			printf "Message-ID: <full-%s-%d@example.test>\n\n", \
			    tag, i >f
			for (j = 0; j < 100; j++)
				printf "%s %d line %d: %s\n", tag, i, j, \
				    "lorem ipsum dolor sit amet consectetur" >f
			close(f)
		}
	}'
	chown -R "$(stat -c %u:%g "$md")" "$md/new"
	$DOVEADM force-resync -u "$SURAT_TEST_USER" INBOX
	$DOVEADM fetch -u "$SURAT_TEST_USER" 'hdr.message-id' mailbox INBOX \
	    all 2>/dev/null | sed -n 's/^hdr.message-id: *<*//p' |
	    tr -d '\r' | sed 's/>$//' | sort >"$tmp/expect"
	[ "$(wc -l <"$tmp/expect")" -eq "$N" ] ||
	    bad "seeding: the server has $(wc -l <"$tmp/expect") of $N"
}

server_ids() {
	$DOVEADM fetch -u "$SURAT_TEST_USER" 'hdr.message-id' mailbox INBOX \
	    all 2>/dev/null | sed -n 's/^hdr.message-id: *<*//p' |
	    tr -d '\r' | sed 's/>$//' | sort
}

local_ids() {	# CONF DATADIR: Message-IDs in the store, with duplicates
	"$surat" --config "$1" --data-dir "$2" list --json --limit 100000 \
	    2>"$tmp/list.err" | grep -o '"message_id": *"[^"]*"' |
	    sed 's/.*: *"//; s/"$//' | sort
}

# full_sync WHAT CONF DATADIR: a sync that runs out of space must fail
# with one clear line about it.
full_sync() {
	what=$1
	case $what in
	ulimit*) # SIGXFSZ ignored (inherited): writes fail with EFBIG.
		(trap '' XFSZ
		 exec prlimit --fsize="$FSIZE" "$surat" --config "$2" \
		    --data-dir "$3" sync) >"$tmp/sync.out" 2>&1 ;;
	tmpfs*)	"$surat" --config "$2" --data-dir "$3" sync \
		    >"$tmp/sync.out" 2>&1 ;;
	esac
	rc=$?
	errs=$(grep -c '^surat: ' "$tmp/sync.out")
	if [ $rc -eq 0 ] || [ $rc -gt 3 ]; then
		bad "$what: a sync out of space exited $rc:"
		cat "$tmp/sync.out"
	elif ! grep -Eq '^surat: .*cannot write: (File too large|No space left on device); make room' \
	    "$tmp/sync.out" || [ "$errs" -ne 1 ]; then
		bad "$what: not one clear error line ($errs):"
		cat "$tmp/sync.out"
	else
		echo "ok: $what: exit $rc, $(grep '^surat: ' "$tmp/sync.out")"
	fi
}

# same_once WHAT CONF DATADIR: after a sync with space, every server
# message is stored exactly once.
same_once() {
	"$surat" --config "$2" --data-dir "$3" sync >"$tmp/rerun.out" 2>&1 ||
	    { bad "$1: the rerun with space failed:"; cat "$tmp/rerun.out"; }
	local_ids "$2" "$3" >"$tmp/have"
	dups=$(uniq -d "$tmp/have" | wc -l)
	missing=$(sort -u "$tmp/have" | comm -23 "$tmp/expect" - | wc -l)
	extra=$(sort -u "$tmp/have" | comm -13 "$tmp/expect" - | wc -l)
	if [ "$dups" -eq 0 ] && [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ]; then
		echo "ok: $1: after the rerun all $N stored once"
	else
		bad "$1: after the rerun $dups twice, $missing missing, $extra extra"
	fi
}

# pop3_none_lost WHAT CONF DATADIR: each message still on the server or
# committed in the store.
pop3_none_lost() {
	server_ids >"$tmp/on_server"
	local_ids "$2" "$3" >"$tmp/local"
	lost=$(sort -u "$tmp/on_server" "$tmp/local" |
	    comm -23 "$tmp/expect" - | wc -l)
	[ "$lost" -eq 0 ] ||
	    bad "$1: $lost messages deleted on the server, not in the store"
	echo "   $(wc -l <"$tmp/local") stored, $(wc -l <"$tmp/on_server")" \
	    "still on the server"
}

# space_back HOW DIR: give the sync its space back.
space_back() {
	[ "$1" = tmpfs ] || return 0
	mount -o remount,size=64m "$2" ||
	    bad "tmpfs: cannot grow $2 again"
}

# tiny DIR: a 1 MB tmpfs on DIR (root only); 1 if it cannot be had.
tiny() {
	mkdir -p "$1" && mount -t tmpfs -o size=1m,mode=0700 tmpfs "$1" ||
	    return 1
	mnts="$mnts $1"
}

run_case() {	# HOW DATADIR (ulimit: limited files; tmpfs: a 1 MB disk)
	how=$1 d=$2
	echo "== $how: IMAP"
	seed imap
	conf imap "imaps://$SURAT_TEST_HOST:$SURAT_TEST_IMAPS_PORT"
	full_sync "$how IMAP" "$tmp/imap.conf" "$d/imap"
	space_back "$how" "$d/imap"
	same_once "$how IMAP" "$tmp/imap.conf" "$d/imap"
	echo "== $how: POP3, pop3_policy = delete"
	seed pop3
	conf pop3 "pop3s://$SURAT_TEST_HOST:$SURAT_TEST_POP3S_PORT" \
	    "pop3_policy = delete"
	full_sync "$how POP3" "$tmp/pop3.conf" "$d/pop3"
	pop3_none_lost "$how POP3" "$tmp/pop3.conf" "$d/pop3"
	space_back "$how" "$d/pop3"
	same_once "$how POP3" "$tmp/pop3.conf" "$d/pop3"
	left=$($DOVEADM -f flow mailbox status -u "$SURAT_TEST_USER" \
	    messages INBOX | sed -n 's/.*messages=\([0-9]*\).*/\1/p')
	[ "$left" = 0 ] || bad "$how POP3: $left messages left on the server"
}

ran=0
if command -v prlimit >/dev/null 2>&1; then
	run_case ulimit "$tmp/ulimit"
	ran=1
else
	echo "note: no prlimit (util-linux): the file size limit case was skipped"
fi
if [ "$(id -u)" = 0 ] && tiny "$tmp/tmpfs/imap" && tiny "$tmp/tmpfs/pop3"; then
	run_case tmpfs "$tmp/tmpfs"
	ran=1
else
	echo "note: not root or no tmpfs mount: the full-disk (ENOSPC) case was skipped"
fi
[ "$ran" = 1 ] || exit 77
exit $fail
