#!/bin/bash
# Smoke test of the integration harness itself: TLS on every port verifies
# against the run's CA for "localhost" (and fails for "127.0.0.1" or the
# wrong CA), STARTTLS is offered where it should be and nowhere else, a
# message submitted over SMTP reaches the Maildir through LMTP, the servers
# can be stopped and restarted for offline tests, and stop leaves nothing.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	exec "$here/with-servers.sh" bash "$0" "$@"
fi

failed=0
n=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

servers() {
	bash "$SURAT_TEST_SERVERS" "$@" "$SURAT_TEST_RUNDIR"
}

# ---------------------------------------------------------------- TLS

# gnutls-cli HOST PORT CAFILE [gnutls-cli options]: the handshake
# completes and the certificate verifies.
tls_ok() {
	local host=$1 port=$2 ca=$3 out
	shift 3
	out=$(timeout 10 gnutls-cli --x509cafile="$ca" -p "$port" "$@" \
	    "$host" </dev/null 2>&1) || {
		echo "$out" | tail -5 | sed 's/^/# /'
		return 1
	}
	echo "$out" | grep -q 'Handshake was completed' &&
	    echo "$out" | grep -q 'The certificate is trusted'
}

tls_refused() {
	! tls_ok "$@" >/dev/null 2>&1
}

for p in IMAPS POP3S SMTPS; do
	eval "port=\$SURAT_TEST_${p}_PORT"
	check "$p verifies for localhost" \
	    tls_ok localhost "$port" "$SURAT_TEST_CA"
	check "$p fails for host 127.0.0.1" \
	    tls_refused 127.0.0.1 "$port" "$SURAT_TEST_CA"
	check "$p fails against the other CA" \
	    tls_refused localhost "$port" "$SURAT_TEST_OTHER_CA"
done
check "IMAP STARTTLS verifies" tls_ok localhost "$SURAT_TEST_IMAP_PORT" \
    "$SURAT_TEST_CA" --starttls-proto=imap
check "POP3 STLS verifies" tls_ok localhost "$SURAT_TEST_POP3_PORT" \
    "$SURAT_TEST_CA" --starttls-proto=pop3
check "submission STARTTLS verifies" tls_ok localhost \
    "$SURAT_TEST_SUBMISSION_PORT" "$SURAT_TEST_CA" --starttls-proto=smtp

# ---------------------------------------------------------------- plain

# plain PORT LINES...: what the server says, CRs removed, to LINES sent in
# the clear one after the other.
plain() {
	local port=$1
	shift
	(
		exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
		printf '%s\r\n' "$@" >&3
		timeout 5 cat <&3
	) | tr -d '\r'
}

out=$(plain "$SURAT_TEST_IMAP_PORT" 'a CAPABILITY' 'b LOGOUT')
check "IMAP offers STARTTLS" grep -q '^\* CAPABILITY .*STARTTLS' <<<"$out"
check "IMAP has the capabilities clients test" \
    grep -q '^\* CAPABILITY .*IDLE.*LITERAL+' <<<"$out"
out=$(plain "$SURAT_TEST_POP3_PORT" CAPA QUIT)
check "POP3 offers STLS" grep -qx STLS <<<"$out"
out=$(plain "$SURAT_TEST_SUBMISSION_PORT" 'EHLO test' QUIT)
check "submission offers STARTTLS" grep -qx '250.STARTTLS' <<<"$out"
check "submission offers no AUTH before TLS" \
    eval '! grep -q "^250.AUTH" <<<"$out"'
out=$(plain "$SURAT_TEST_SMTP_NOTLS_PORT" 'EHLO test' QUIT)
check "plain SMTP port answers EHLO" grep -q '^250 ' <<<"$out"
check "plain SMTP port offers no STARTTLS" \
    eval '! grep -q STARTTLS <<<"$out"'
check "plain SMTP port offers AUTH (a client must not use it)" \
    grep -q '^250.AUTH' <<<"$out"

# ---------------------------------------------------------------- mail

# smtp_send PORT MODE FROM TO SUBJECT: one message through gnutls-cli,
# MODE "starttls" or "implicit", waiting for each reply before the next
# command the way a client does.
smtp_send() {
	local port=$1 mode=$2 from=$3 to=$4 subject=$5 auth opts=()
	[ "$mode" = starttls ] && opts=(--starttls-proto=smtp)
	auth=$(printf '\0%s\0%s' "$SURAT_TEST_USER" "$SURAT_TEST_PASS" |
	    base64 -w0)
	coproc GC {
		timeout 20 gnutls-cli --x509cafile="$SURAT_TEST_CA" \
		    -p "$port" "${opts[@]}" localhost 2>&1
	}
	# bash unsets GC_PID once the coprocess ends: keep it now.
	local in=${GC[0]} outfd=${GC[1]} pid=$GC_PID rc=0
	{
		[ "$mode" = starttls ] || reply "$in" 220
	} &&
	say "$outfd" "EHLO test.example" && reply "$in" 250 &&
	say "$outfd" "AUTH PLAIN $auth" && reply "$in" 235 &&
	say "$outfd" "MAIL FROM:<$from>" && reply "$in" 250 &&
	say "$outfd" "RCPT TO:<$to>" && reply "$in" 250 &&
	say "$outfd" DATA && reply "$in" 354 &&
	say "$outfd" "From: <$from>" "To: <$to>" "Subject: $subject" \
	    "Message-ID: <$subject@example.test>" "" "Hello from the smoke test." . &&
	reply "$in" 250 &&
	say "$outfd" QUIT && reply "$in" 221 || rc=1
	exec {outfd}>&-
	wait "$pid" 2>/dev/null
	return $rc
}

say() {
	local fd=$1
	shift
	printf "%s\r\n" "$@" >&"$fd"
}

# reply FD CODE: reads one SMTP reply (skipping gnutls-cli's own chatter)
# and checks its code.
reply() {
	local fd=$1 want=$2 line
	while IFS= read -r -t 10 line <&"$fd"; do
		line=${line%$'\r'}
		case $line in
		[0-9][0-9][0-9]-*) ;;
		[0-9][0-9][0-9]' '* | [0-9][0-9][0-9])
			[ "${line:0:3}" = "$want" ] && return 0
			echo "# expected $want, got: $line"
			return 1
			;;
		esac
	done
	echo "# no $want reply"
	return 1
}

# arrived USER SUBJECT: polls Dovecot until the message is in USER's INBOX.
arrived() {
	local user=$1 subject=$2 i
	for i in $(seq 50); do
		[ -n "$($SURAT_TEST_DOVEADM search -u "$user" mailbox INBOX \
		    header Message-ID "<$subject@example.test>" 2>/dev/null)" ] &&
		    return 0
		sleep 0.2
	done
	return 1
}

in_maildir() {
	grep -rqs "^Subject: $2" "$1/new" "$1/cur"
}

subj1=smoke-$$-submission
subj2=smoke-$$-smtps
check "send on submission (STARTTLS + AUTH PLAIN)" smtp_send \
    "$SURAT_TEST_SUBMISSION_PORT" starttls "$SURAT_TEST_ADDR" \
    "$SURAT_TEST_ADDR" "$subj1"
check "send on submissions (implicit TLS)" smtp_send \
    "$SURAT_TEST_SMTPS_PORT" implicit "$SURAT_TEST_ADDR" \
    "$SURAT_TEST_ADDR2" "$subj2"
check "budi got the message through LMTP" arrived "$SURAT_TEST_USER" "$subj1"
check "it is in budi's Maildir" in_maildir "$SURAT_TEST_MAILDIR_budi" "$subj1"
check "alice got hers" arrived "$SURAT_TEST_USER2" "$subj2"
check "special-use folders exist" eval \
    '$SURAT_TEST_DOVEADM mailbox list -u budi | grep -qx Archive'

# ---------------------------------------------------------------- offline

listening() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

check "stop-smtp" servers stop-smtp
check "submission port closed" eval '! listening $SURAT_TEST_SUBMISSION_PORT'
check "start-smtp" servers start-smtp
check "submission port open again" listening "$SURAT_TEST_SUBMISSION_PORT"
check "stop-imap" servers stop-imap
check "IMAPS port closed" eval '! listening $SURAT_TEST_IMAPS_PORT'
check "start-imap" servers start-imap
check "IMAPS works again" tls_ok localhost "$SURAT_TEST_IMAPS_PORT" \
    "$SURAT_TEST_CA"
check "the mail is still there" arrived "$SURAT_TEST_USER" "$subj1"

# ---------------------------------------------------------------- stop

pids=$(servers pids)
check "servers.sh pids lists both masters and their children" \
    test "$(wc -w <<<"$pids")" -ge 4
check "stop" servers stop
check "stop again is harmless" servers stop
# A process counts as gone when /proc no longer has it, or it is a zombie
# or dead.  Children of a stopped master may take a moment to exit, so
# this waits up to five seconds before naming what is still running.
running() {
	local state
	state=$(sed -n 's/^[^)]*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
gone() {
	local p tries=0 left
	while :; do
		left=
		for p in $pids; do
			running "$p" && left="$left $p"
		done
		[ -z "$left" ] && return 0
		tries=$((tries + 1))
		if [ $tries -ge 50 ]; then
			for p in $left; do
				echo "# still running: $p $(cat "/proc/$p/comm" 2>/dev/null)"
			done
			return 1
		fi
		sleep 0.1
	done
}
check "no started process is left" gone
check "no port is left open" eval '! listening $SURAT_TEST_IMAP_PORT &&
    ! listening $SURAT_TEST_SMTPS_PORT'

echo "1..$n"
[ "$failed" = 0 ]
