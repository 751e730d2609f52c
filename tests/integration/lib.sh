# Shared by the shell tests that run against the servers with-servers.sh
# starts (its SURAT_TEST_* variables; see tests/integration/README).
# Sourced, not run.

doveadm() { $SURAT_TEST_DOVEADM "$@"; }

# it_account NAME USER PASSWORD [EMAIL]: an [account] section for the
# harness's IMAP and SMTP (implicit TLS, its CA), on stdout; more
# "key = value" lines for the same account may follow it.
it_account() {
	cat <<CFG
[account $1]
email = ${4:-$2@example.test}
user = $2
incoming = imaps://localhost:$SURAT_TEST_IMAPS_PORT
outgoing = smtps://localhost:$SURAT_TEST_SMTPS_PORT
password = $3
ca_file = $SURAT_TEST_CA
CFG
}
