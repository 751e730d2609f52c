#!/bin/sh
# Runs one command with a private Dovecot and Postfix up: makes a run
# directory, starts the servers (servers.sh), exports their settings
# (RUNDIR/env) to the command, and always stops them again.
#
#   with-servers.sh CMD [ARG...]
#
# Exits with CMD's status; 77 (automake's SKIP) when not root or the
# servers are not installed; 99 (automake's ERROR) when they do not start.
# SURAT_TEST_KEEP=1 keeps the run directory for a look afterwards.
set -u

here=$(cd "$(dirname "$0")" && pwd)
prog=${0##*/}

if [ $# -eq 0 ]; then
	echo "usage: $prog CMD [ARG...]" >&2
	exit 2
fi

skip() {
	echo "$prog: SKIP: $*" >&2
	exit 77
}

# CI sets this for make distcheck: the servers were exercised already, and
# the tarball's build is what distcheck is for.
[ -z "${SURAT_TEST_NO_SERVERS:-}" ] || skip "SURAT_TEST_NO_SERVERS is set"
[ "$(id -u)" = 0 ] || skip "the test servers need root"
for f in /usr/sbin/dovecot /usr/bin/doveadm /usr/sbin/postfix \
    /usr/sbin/postconf /usr/lib/postfix/sbin/master; do
	[ -x "$f" ] || skip "$f is missing (install dovecot-imapd," \
	    "dovecot-pop3d, dovecot-lmtpd, postfix)"
done
[ -x /usr/lib/dovecot/lmtp ] || skip "dovecot-lmtpd is not installed"
[ -x /usr/lib/dovecot/pop3 ] || skip "dovecot-pop3d is not installed"
for c in certtool flock bash awk; do
	command -v "$c" >/dev/null 2>&1 || skip "$c is missing"
done

# Short on purpose: Dovecot's sockets live below it, and a Unix socket's
# path must fit in 108 bytes.
rundir=$(mktemp -d "${SURAT_TEST_TMPDIR:-/tmp}/surat-it.XXXXXX") || exit 99

cleanup() {
	bash "$here/servers.sh" stop "$rundir" || echo "$prog: stop failed" >&2
	if [ "${SURAT_TEST_KEEP:-0}" = 1 ]; then
		echo "$prog: kept $rundir" >&2
	else
		rm -rf "$rundir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

SURAT_TEST_QUIET=1 bash "$here/servers.sh" start "$rundir" || {
	echo "$prog: the test servers did not start" >&2
	exit 99
}
# shellcheck disable=SC1091
. "$rundir/env"

"$@"
rc=$?
exit $rc
