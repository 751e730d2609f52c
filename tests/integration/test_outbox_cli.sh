#!/bin/sh
# surat send against the harness's Postfix: a message from stdin is queued
# and sent with --now exactly once, Bcc recipients get it without seeing
# the Bcc line, and a message queued without --now goes out with the next.
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$here/with-servers.sh" /bin/sh "$0" "$@"
fi
set -u
surat=${top_builddir:-.}/src/surat
[ -x "$surat" ] || { echo "no $surat" >&2; exit 99; }
tmp=$(mktemp -d /tmp/surat-send.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$tmp/config" <<EOC
[account t]
email = $SURAT_TEST_ADDR
incoming = pop3s://$SURAT_TEST_HOST:$SURAT_TEST_POP3S_PORT
outgoing = smtp+starttls://$SURAT_TEST_HOST:$SURAT_TEST_SUBMISSION_PORT
user = $SURAT_TEST_USER
password_cmd = echo $SURAT_TEST_PASS
ca_file = $SURAT_TEST_CA
EOC
chmod 600 "$tmp/config"
export SURAT_CONFIG="$tmp/config" SURAT_DATA_DIR="$tmp/data"
DOVEADM=$SURAT_TEST_DOVEADM

# How many messages of user $1 carry token $2 in their Subject, waiting
# (up to 20 s) for at least $3 of them.
count() {
	i=0
	while :; do
		n=$($DOVEADM search -u "$1" mailbox INBOX header Subject "$2" \
		    2>/dev/null | wc -l)
		[ "$n" -ge "$3" ] || [ $i -ge 100 ] && break
		i=$((i + 1))
		sleep 0.2
	done
	echo "$n"
}

tok=surat-cli-$$-$(date +%s)
printf 'From: <%s>\nTo: <%s>\nBcc: <%s>\nSubject: %s one\n\nhello\n.\n' \
    "$SURAT_TEST_ADDR" "$SURAT_TEST_ADDR" "$SURAT_TEST_ADDR2" "$tok" |
    "$surat" send --now >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "send --now"; }
grep -q "sent 1," "$tmp/out" || { cat "$tmp/out"; fail "not sent"; }
[ "$(count "$SURAT_TEST_USER" "$tok one" 1)" = 1 ] || fail "To did not get it once"
[ "$(count "$SURAT_TEST_USER2" "$tok one" 1)" = 1 ] || fail "Bcc did not get it once"
$DOVEADM fetch -u "$SURAT_TEST_USER2" hdr mailbox INBOX header Subject "$tok one" \
    >"$tmp/hdr" || fail "fetch"
grep -qi '^Bcc:' "$tmp/hdr" && fail "the Bcc line went out"
grep -qi '^Message-ID:' "$tmp/hdr" || fail "no Message-ID"

# Queued only, then sent together with the next one.
printf 'To: %s\nSubject: %s two\n\nx\n' "$SURAT_TEST_ADDR" "$tok" |
    "$surat" send >"$tmp/out" 2>&1 || fail "send"
grep -q "queued as outbox message" "$tmp/out" || fail "not queued"
printf 'To: %s\nSubject: %s three\n\nx\n' "$SURAT_TEST_ADDR" "$tok" \
    >"$tmp/msg"
"$surat" send --now "$tmp/msg" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "send file"; }
grep -q "sent 2," "$tmp/out" || { cat "$tmp/out"; fail "not both sent"; }
[ "$(count "$SURAT_TEST_USER" "$tok two" 1)" = 1 ] || fail "two"
[ "$(count "$SURAT_TEST_USER" "$tok three" 1)" = 1 ] || fail "three"
# Nothing left: another run sends nothing, so nothing arrives twice.
printf 'Subject: none\n\nno recipient\n' | "$surat" send >/dev/null 2>&1 &&
    fail "a message without recipients was queued"
sleep 1
[ "$(count "$SURAT_TEST_USER" "$tok one" 1)" = 1 ] || fail "one arrived twice"
[ "$(count "$SURAT_TEST_USER" "$tok two" 1)" = 1 ] || fail "two arrived twice"

# Killed (SIGKILL) after the server's final 250 and before the store heard
# of it: after the restart the message is "check", not sent again.
printf 'To: %s\nSubject: %s four\n\nx\n' "$SURAT_TEST_ADDR" "$tok" |
    SURAT_CRASH_AT=smtp-250 "$surat" send --now >"$tmp/out" 2>&1 &&
    fail "SURAT_CRASH_AT did not kill surat"
[ "$(count "$SURAT_TEST_USER" "$tok four" 1)" = 1 ] || fail "four"
printf 'To: %s\nSubject: %s five\n\nx\n' "$SURAT_TEST_ADDR" "$tok" |
    "$surat" send --now >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "five"; }
grep -q "sent 1," "$tmp/out" || { cat "$tmp/out"; fail "four was resent"; }
[ "$(count "$SURAT_TEST_USER" "$tok five" 1)" = 1 ] || fail "five"
sleep 1
[ "$(count "$SURAT_TEST_USER" "$tok four" 1)" = 1 ] || fail "four twice"

# sync --outbox sends what is queued and downloads nothing.
printf 'To: %s\nSubject: %s six\n\nx\n' "$SURAT_TEST_ADDR" "$tok" |
    "$surat" send >/dev/null 2>&1 || fail "six not queued"
"$surat" sync --outbox >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "sync --outbox"; }
grep -q "outbox: 1 sent" "$tmp/out" || { cat "$tmp/out"; fail "six not sent"; }
[ "$(count "$SURAT_TEST_USER" "$tok six" 1)" = 1 ] || fail "six"
"$surat" list >"$tmp/list" 2>&1
grep -q "$tok" "$tmp/list" && fail "sync --outbox downloaded mail"
"$surat" sync --outbox --folder INBOX >/dev/null 2>&1
[ $? = 2 ] || fail "--outbox with --folder is not a usage error"
echo "ok"
