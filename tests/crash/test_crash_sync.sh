#!/bin/sh
# Crash safety: surat sync is SIGKILLed at many random points during an IMAP
# sync, a POP3 download with pop3_policy = delete and an outbox run, and
# restarted each time; afterwards every server message is in the store
# exactly once, POP3 never deleted what the store did not hold, every
# outgoing message went out once (or is left marked "check"), and the store
# still opens.  Runs against the harness's real Dovecot and Postfix.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$here/../integration/with-servers.sh" /bin/sh "$0" "$@"
fi
crash_dir=crash
. "$here/lib.sh"
KILLS=${SURAT_CRASH_KILLS:-50}
N_IMAP=${SURAT_CRASH_IMAP:-300}
N_POP3=${SURAT_CRASH_POP3:-100}
N_OUT=${SURAT_CRASH_OUTBOX:-20}
now() { date +%s.%N | cut -c1-14; }
t0=$(now)
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# conf NAME INCOMING [EXTRA]: a configuration for budi.
conf() {
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

# run NAME ARGS...: surat on configuration and store NAME.
run() {
	n=$1
	shift
	"$surat" --config "$tmp/$n.conf" --data-dir "$tmp/$n.data" "$@"
}

# seed USER COUNT TAG: COUNT messages into USER's INBOX, written straight
# into the Maildir (one doveadm save each would take too long), then
# made known to Dovecot.
seed() {
	eval md=\$SURAT_TEST_MAILDIR_$1
	owner=$(stat -c %u:%g "$md")
	awk -v n="$2" -v tag="$3" -v dir="$md/new" -v from="$SURAT_TEST_ADDR2" \
	    -v to="$SURAT_TEST_ADDR" -v t="$(date +%s)" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%d.crash%s%d.localhost", dir, t, tag, i)
			printf "From: <%s>\nTo: <%s>\nSubject: %s %d\n", \
			    from, to, tag, i >f
			printf "Date: Mon, 23 Nov 2026 12:00:00 +0000\n" >f
			printf "Message-ID: <crash-%s-%d@example.test>\n\n", \
			    tag, i >f
			printf "body of %s %d\nline line line line\n", tag, i >f
			close(f)
		}
	}'
	chown -R "$owner" "$md/new"
	$DOVEADM force-resync -u "$1" INBOX
}

# server_ids USER: the Message-IDs in USER's INBOX, one a line, sorted.
server_ids() {
	$DOVEADM fetch -u "$1" 'hdr.message-id' mailbox INBOX all 2>/dev/null |
	    sed -n 's/^hdr.message-id: *<*//p' | tr -d '\r' | sed 's/>$//' | sort
}

server_count() {
	$DOVEADM -f flow mailbox status -u "$1" messages INBOX 2>/dev/null |
	    sed -n 's/^.*messages=\([0-9]*\).*$/\1/p'
}

# local_ids NAME: the Message-IDs in store NAME, one a line, sorted (kept
# with duplicates).  Fails if the store does not open.
local_ids() {
	run "$1" list --json --limit 100000 >"$tmp/list.json" 2>"$tmp/list.err" ||
	    return 1
	grep -o '"message_id": *"[^"]*"' "$tmp/list.json" |
	    sed 's/.*: *"//; s/"$//' | sort
}

# kill_loop NAME [CHECK]: start surat sync and SIGKILL it after a random
# delay (more often early: rand squared), until KILLS kills hit a running
# process (at most 3 * KILLS starts).  The delays start within 0.01-0.5 s;
# when a run finishes before its delay, later delays stay below that one,
# so a fast machine still gets its kills inside the (shorter) runs.  After
# each kill run CHECK (a function name) if given.
kill_loop() {
	k=0
	hits=0
	cap=0.5
	while [ "$hits" -lt "$KILLS" ] && [ "$k" -lt $((3 * KILLS)) ]; do
		d=$(awk -v s="$$$k" -v c="$cap" 'BEGIN { srand(s); r = rand()
		    printf "%.3f", 0.01 + r * r * (c - 0.01) }')
		"$surat" --config "$tmp/$1.conf" --data-dir "$tmp/$1.data" \
		    sync >"$tmp/$1.sync.out" 2>&1 &
		pid=$!
		sleep "$d"
		hit=0
		kill -KILL "$pid" 2>/dev/null && hit=1
		wait "$pid" 2>/dev/null
		hits=$((hits + hit))
		k=$((k + 1))
		[ "$hit" = 0 ] && awk -v d="$d" 'BEGIN { exit !(d > 0.03) }' &&
		    cap=$d
		[ "$hit" = 1 ] && [ -n "${2:-}" ] && "$2"
	done
	echo "  $hits kills of a running surat sync in $k starts" \
	    "(delays at last below $cap s)"
	[ "$hits" -ge "$KILLS" ] ||
	    echo "  (fewer than $KILLS: most runs finished within the delay)"
}

# final NAME: an uninterrupted sync that must succeed.
final() {
	run "$1" sync >"$tmp/$1.final" 2>&1 ||
	    { bad "$1: the final sync failed:"; cat "$tmp/$1.final"; }
}

# same_once NAME USER|-: the store holds each expected id exactly once.
# $tmp/expect holds the expected ids, sorted.
same_once() {
	local_ids "$1" >"$tmp/have" ||
	    { bad "$1: the store does not open:"; cat "$tmp/list.err"; return; }
	dups=$(uniq -d "$tmp/have" | wc -l)
	[ "$dups" -eq 0 ] || { bad "$1: $dups messages stored twice:";
	    uniq -d "$tmp/have" | head; }
	sort -u "$tmp/have" >"$tmp/have.u"
	missing=$(comm -23 "$tmp/expect" "$tmp/have.u" | wc -l)
	extra=$(comm -13 "$tmp/expect" "$tmp/have.u" | wc -l)
	[ "$missing" -eq 0 ] || { bad "$1: $missing messages missing:";
	    comm -23 "$tmp/expect" "$tmp/have.u" | head; }
	[ "$extra" -eq 0 ] || { bad "$1: $extra messages not on the server:";
	    comm -13 "$tmp/expect" "$tmp/have.u" | head; }
	echo "  store: $(wc -l <"$tmp/have") messages, $dups twice, $missing missing"
}

# --- 1. IMAP ----------------------------------------------------------------
echo "IMAP: $N_IMAP messages, $KILLS kills"
t=$(now)
seed "$SURAT_TEST_USER" "$N_IMAP" imap
server_ids "$SURAT_TEST_USER" >"$tmp/expect"
[ "$(wc -l <"$tmp/expect")" -eq "$N_IMAP" ] ||
    bad "seeding: the server has $(wc -l <"$tmp/expect") of $N_IMAP"
conf imap "imaps://$SURAT_TEST_HOST:$SURAT_TEST_IMAPS_PORT"
SURAT_SYNC_BATCH=25
export SURAT_SYNC_BATCH
echo "  seeded in $(elapsed "$t") s"
kill_loop imap
echo "  loop done at $(elapsed "$t") s"
unset SURAT_SYNC_BATCH
final imap
echo "  final sync done at $(elapsed "$t") s"
same_once imap
echo "  IMAP took $(elapsed "$t") s"

# --- 2. POP3, pop3_policy = delete -----------------------------------------
# After each kill, every seeded message is still on the server or in the
# store (by Message-ID; stronger than comparing counts, which a message
# both stored and not yet deleted would pad): nothing was deleted on the
# server before it was committed locally.
pop3_check() {
	server_ids "$SURAT_TEST_USER" >"$tmp/on_server"
	if ! local_ids pop3 >"$tmp/local"; then
		# Killed before the store was created: it is made whole
		# under a temporary name and renamed into place, so there
		# is no database yet ("no mail here yet"), never a partly
		# made one.  Sync starts only once the store is open, so
		# nothing is stored and the server must still hold
		# everything.
		if grep -q -e 'no mail here yet' "$tmp/list.err"; then
			unborn=$((unborn + 1))
		else
			bad "pop3: the store does not open after kill $k:"
			cat "$tmp/list.err"
			return
		fi
	fi
	sort -u "$tmp/on_server" "$tmp/local" >"$tmp/either"
	lost=$(comm -23 "$tmp/expect" "$tmp/either" | wc -l)
	[ "$lost" -eq 0 ] || { bad "pop3: kill $k: $lost messages neither" \
	    "on the server nor in the store (deleted too early):";
	    comm -23 "$tmp/expect" "$tmp/either" | head -5; }
	pop3_min=$(wc -l <"$tmp/on_server")
}

echo "POP3 (delete): $N_POP3 messages, $KILLS kills"
t=$(now)
$DOVEADM expunge -u "$SURAT_TEST_USER" mailbox INBOX all
seed "$SURAT_TEST_USER" "$N_POP3" pop3
server_ids "$SURAT_TEST_USER" >"$tmp/expect"
[ "$(wc -l <"$tmp/expect")" -eq "$N_POP3" ] ||
    bad "seeding: the server has $(wc -l <"$tmp/expect") of $N_POP3"
conf pop3 "pop3s://$SURAT_TEST_HOST:$SURAT_TEST_POP3S_PORT" \
    "pop3_policy = delete"
unborn=0
kill_loop pop3 pop3_check
[ "$unborn" -eq 0 ] || echo "  $unborn kills came before the store's schema" \
    "was complete (nothing stored yet)"
echo "  loop done at $(elapsed "$t") s; $pop3_min left on the server"
final pop3
same_once pop3
left=$(server_count "$SURAT_TEST_USER")
[ "$left" = 0 ] || bad "pop3: $left messages still on the server"
echo "  POP3 took $(elapsed "$t") s"

# --- 3. Outbox --------------------------------------------------------------
# delivered: how often each queued Subject arrived in alice's INBOX, as
# "COUNT SUBJECT" lines; waits (10 s at most) until at least $1 arrived.
delivered() {
	i=0
	while :; do
		$DOVEADM fetch -u "$SURAT_TEST_USER2" 'hdr.subject' mailbox \
		    INBOX all 2>/dev/null | sed -n 's/^hdr.subject: *//p' |
		    tr -d '\r' | grep '^crash-out-' | sort | uniq -c |
		    awk '{ print $1, $2 }' >"$tmp/delivered"
		[ "$(awk '{ n += $1 } END { print n + 0 }' "$tmp/delivered")" \
		    -ge "$1" ] || [ $i -ge 50 ] && break
		i=$((i + 1))
		sleep 0.2
	done
}

echo "Outbox: $N_OUT messages, $KILLS kills"
t=$(now)
conf outbox "pop3s://$SURAT_TEST_HOST:$SURAT_TEST_POP3S_PORT" \
    "pop3_policy = delete"
i=1
while [ "$i" -le "$N_OUT" ]; do
	fmt='From: <%s>\nTo: <%s>\nSubject: crash-out-%d.\n'
	fmt=$fmt'Message-ID: <crash-out-%d-%s@example.test>\n\nmessage %d\n'
	printf "$fmt" "$SURAT_TEST_ADDR" "$SURAT_TEST_ADDR2" "$i" "$i" "$$" "$i" |
	    run outbox send >/dev/null 2>"$tmp/send.err" ||
	    { bad "send $i:"; cat "$tmp/send.err"; }
	i=$((i + 1))
done
kill_loop outbox
final outbox
sed -n 's/^[^:]*: outbox: /  final run: /p' "$tmp/outbox.final"
db=$(find "$tmp/outbox.data" -name '*.db' | head -1)
if command -v sqlite3 >/dev/null 2>&1 && [ -n "$db" ]; then
	sqlite3 "$db" "SELECT state, substr(CAST(raw AS TEXT),
	    instr(CAST(raw AS TEXT), 'crash-out-'), 14) FROM outbox" |
	    sed 's/|/ /; s/\..*//' >"$tmp/states" ||
	    bad "outbox: the store's outbox cannot be read"
elif [ -z "$db" ]; then
	bad "outbox: no database in the store"
else
	# Without the sqlite3 tool the states are unknown: then only "never
	# delivered twice" is checked below (bootstrap installs sqlite3).
	echo "  no sqlite3: outbox states not read, checking duplicates only"
	i=1
	while [ "$i" -le "$N_OUT" ]; do
		echo "unknown crash-out-$i"
		i=$((i + 1))
	done >"$tmp/states"
fi
sent=$(grep -c '^sent ' "$tmp/states")
delivered "$sent"
i=1
nsent=0 ncheck=0 nqueued=0
while [ "$i" -le "$N_OUT" ]; do
	subj="crash-out-$i"
	st=$(awk -v s="$subj" '$2 == s { print $1 }' "$tmp/states")
	got=$(awk -v s="$subj." '$2 == s { print $1 }' "$tmp/delivered")
	got=${got:-0}
	case "$st" in
	sent)	nsent=$((nsent + 1))
		[ "$got" -eq 1 ] || bad "outbox: $subj sent, delivered $got times" ;;
	check)	ncheck=$((ncheck + 1))
		echo "  $subj marked check (delivered $got times)"
		[ "$got" -le 1 ] || bad "outbox: $subj (check) delivered $got times" ;;
	queued)	nqueued=$((nqueued + 1))
		[ "$got" -eq 0 ] || bad "outbox: $subj still queued, delivered $got times" ;;
	unknown) [ "$got" -le 1 ] || bad "outbox: $subj delivered $got times" ;;
	*)	bad "outbox: $subj in state '$st', delivered $got times" ;;
	esac
	i=$((i + 1))
done
echo "  $nsent sent once, $ncheck to check, $nqueued still queued"
[ "$nsent" -gt 0 ] || grep -q '^unknown' "$tmp/states" ||
    bad "outbox: nothing was sent at all"
echo "  outbox took $(elapsed "$t") s"

echo "total $(elapsed "$t0") s"
exit $fail
