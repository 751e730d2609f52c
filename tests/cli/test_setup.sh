#!/bin/sh
# surat setup, the non-interactive form, against the real Dovecot and
# Postfix of tests/integration: POP3 and IMAP accounts whose logins and
# SMTP AUTH really succeed, a wrong password that saves nothing, and the
# file written 0600 without a clear-text password unless asked.
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
	exec "$top_srcdir/tests/integration/with-servers.sh" sh "$0" "$@"
fi
. "$(dirname "$0")/common.sh"

H=$SURAT_TEST_HOST
common="--email $SURAT_TEST_ADDR --user $SURAT_TEST_USER --ca-file $SURAT_TEST_CA"

s setup $common --password-cmd "echo $SURAT_TEST_PASS" --pop3-host "$H" \
    --port "$SURAT_TEST_POP3S_PORT" --smtp-host "$H" \
    --smtp-port "$SURAT_TEST_SMTPS_PORT" --pop3-policy keep-days:30 \
    --prefetch all --name "Budi Santoso"
expect 0 "POP3 (TLS) + SMTP (TLS) account: both tests pass"
check "incoming tested ok" grep -q "^incoming  pop3s://$H:$SURAT_TEST_POP3S_PORT: ok" "$TMP/out"
check "outgoing tested ok" grep -q "^outgoing  smtps://$H:$SURAT_TEST_SMTPS_PORT: ok" "$TMP/out"
check "the config is mode 0600" [ "$(stat -c %a "$CONF")" = 600 ]
check "the account section is written" grep -q "^\[account $SURAT_TEST_ADDR\]" "$CONF"
check "the POP3 policy is written" grep -q '^pop3_policy = keep-days:30' "$CONF"
check "no clear-text password" sh -c "! grep -q '^password =' '$CONF'"

s --json setup $common --account imap --password "$SURAT_TEST_PASS" \
    --imap-host "$H" --port "$SURAT_TEST_IMAP_PORT" --security starttls \
    --smtp-host "$H" --smtp-port "$SURAT_TEST_SUBMISSION_PORT" \
    --smtp-security starttls
expect 0 "IMAP (STARTTLS) + submission (STARTTLS) with --password"
check "setup --json reports both tests" py 'j["saved"] and j["incoming"]["ok"] and j["outgoing"]["ok"] and j["incoming"]["url"].startswith("imap+starttls://")'
check "a --password for the test is not saved" sh -c "! grep -q '^password =' '$CONF'"
check "it says so" grep -q 'not saved' "$TMP/err"
s --json accounts
check "both accounts are listed" py 'sorted(a["name"] for a in j) == ["'"$SURAT_TEST_ADDR"'", "imap"]'

cp "$CONF" "$TMP/before"
s setup $common --account wrong --password-cmd "echo not-the-password" \
    --imap-host "$H" --port "$SURAT_TEST_IMAPS_PORT"
expect 1 "a wrong password fails"
check "the failure names the login" grep -q 'FAILED at login' "$TMP/out"
check "nothing was saved" cmp -s "$CONF" "$TMP/before"
s setup $common --account nossl --password-cmd "echo $SURAT_TEST_PASS" \
    --pop3-host "$H" --port "$SURAT_TEST_POP3S_PORT" --smtp-host "$H" \
    --smtp-port "$SURAT_TEST_SMTP_NOTLS_PORT" --smtp-security plain \
    --allow-plaintext
expect 1 "SMTP AUTH without TLS is refused"
check "still nothing saved" cmp -s "$CONF" "$TMP/before"

s setup $common --account stored --password "$SURAT_TEST_PASS" \
    --insecure-store-password --pop3-host "$H" --port "$SURAT_TEST_POP3S_PORT"
expect 0 "--insecure-store-password"
check "it warns" grep -q 'clear text' "$TMP/err"
check "the password is in the file only then" grep -q "^password = $SURAT_TEST_PASS" "$CONF"
s setup --email "$SURAT_TEST_ADDR" --account untested --pop3-host "$H" --no-test
expect 0 "--no-test writes without connecting"
check "with the default port" grep -q "^incoming = pop3s://$H:995" "$CONF"

finish
