#!/bin/bash
# Start and stop a private Dovecot (IMAP, POP3, LMTP, auth) and Postfix
# (submission, submissions, plain SMTP) on 127.0.0.1 for surat's
# integration tests.  Everything of one run lives under RUNDIR; see README.
#
#   servers.sh start RUNDIR       set up (first time) and start both servers
#   servers.sh stop RUNDIR        stop what start started; safe to repeat
#   servers.sh stop-imap|start-imap RUNDIR   Dovecot as a whole
#   servers.sh stop-smtp|start-smtp RUNDIR   Postfix
#   servers.sh pids RUNDIR        the PIDs of every running server process
#
# Must run as root.  Processes are found through their PID files and their
# parent links in /proc, never by name, so parallel runs do not touch each
# other and a system Dovecot or Postfix is left alone.
set -u -o pipefail
umask 022

# Machine-wide state shared by parallel runs: a lock, port reservations and
# the fixed Postfix configuration slots (see pf_slot_acquire).  Root only.
STATE=${SURAT_TEST_STATE:-/run/surat-test}
NSLOTS=16
MAILUSER=suratmail
DOVECOT=${SURAT_TEST_DOVECOT:-/usr/sbin/dovecot}
DOVEADM=${SURAT_TEST_DOVEADM_BIN:-/usr/bin/doveadm}
POSTFIX=${SURAT_TEST_POSTFIX:-/usr/sbin/postfix}
POSTCONF=${SURAT_TEST_POSTCONF:-/usr/sbin/postconf}
START_TIMEOUT=${SURAT_TEST_START_TIMEOUT:-20}
STOP_TIMEOUT=${SURAT_TEST_STOP_TIMEOUT:-15}
PORT_NAMES="imap imaps pop3 pop3s lmtp auth submission smtps smtp_notls"

prog=${0##*/}

die() {
	echo "$prog: $*" >&2
	exit 1
}

say() {
	[ "${SURAT_TEST_QUIET:-0}" = 1 ] || echo "$prog: $*" >&2
}

# Runs "$@" holding the machine-wide lock (port and slot bookkeeping,
# /etc/postfix/main.cf, useradd).
locked() {
	mkdir -p "$STATE" && chmod 700 "$STATE" || die "cannot create $STATE"
	(
		flock -w 60 9 || die "timed out waiting for $STATE/lock"
		"$@"
	) 9>"$STATE/lock"
}

# ---------------------------------------------------------------- processes

# The PIDs whose parent is one of the given PIDs, recursively.  One read
# of /proc: a command per process would take seconds on a busy machine.
descendants() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="$*" '
	{
		pid = $1
		sub(/.*\) /, "")	# past the command name, which may hold ") "
		parent[pid] = $2
		pids[n++] = pid
	}
	END {
		split(roots, r, " ")
		for (i in r)
			want[r[i]] = 1
		do {
			found = 0
			for (i = 0; i < n; i++) {
				p = pids[i]
				if (!(p in want) && (parent[p] in want)) {
					want[p] = 1
					print p
					found = 1
				}
			}
		} while (found)
	}'
}

# The PID in FILE if that process is alive and runs EXE; else nothing.
pid_from_file() {
	local file=$1 exe=$2 pid
	[ -r "$file" ] || return 1
	pid=$(head -1 "$file" | tr -dc 0-9)
	[ -n "$pid" ] || return 1
	[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || return 1
	echo "$pid"
}

alive() {
	local p
	for p in "$@"; do
		[ -d "/proc/$p" ] || continue
		# A zombie has exited already; its parent will reap it.
		case $(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null) in
		Z | X | '') ;;
		*) return 0 ;;
		esac
	done
	return 1
}

# Waits until none of the PIDs is alive; after STOP_TIMEOUT seconds sends
# SIGKILL to those left, and says so.
wait_gone() {
	local what=$1 i=0
	shift
	while alive "$@"; do
		i=$((i + 1))
		if [ "$i" -gt $((STOP_TIMEOUT * 10)) ]; then
			echo "$prog: $what did not stop, killing $*" >&2
			kill -KILL "$@" 2>/dev/null
			sleep 0.2
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# Waits for a master process that was told to stop, then for its children.
# Children that outlive their master get SIGTERM: Dovecot's auth, log,
# anvil and stats processes stay up while Postfix's smtpd still holds a
# SASL connection to auth, which it does for as long as smtpd idles.
reap() {
	local what=$1 master=$2 rc=0 p left=
	shift 2
	wait_gone "$what" "$master" || rc=1
	for p in "$@"; do
		alive "$p" && left="$left $p"
	done
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086
		kill -TERM $left 2>/dev/null
		# shellcheck disable=SC2086
		wait_gone "$what" $left || rc=1
	fi
	return $rc
}

# ---------------------------------------------------------------- ports

# Ports in use on this machine in any TCP state, v4 and v6, one a line.
ports_in_use() {
	local f
	for f in /proc/net/tcp /proc/net/tcp6; do
		[ -r "$f" ] || continue
		awk 'NR > 1 { split($2, a, ":"); print a[2] }' "$f"
	done | while read -r hex; do
		echo $((16#$hex))
	done
}

port_listening() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v p=":$hex" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p \
	    { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Picks free ports below the kernel's ephemeral range and reserves them in
# $STATE/ports (a symlink to the run directory) so that a parallel run that
# has not bound its ports yet does not take the same ones.
ports_reserve() {
	local rundir=$1 used name port n l
	mkdir -p "$STATE/ports"
	# Reservations of run directories that are gone are stale.
	for l in "$STATE"/ports/*; do
		[ -L "$l" ] || continue
		[ -d "$(readlink "$l")" ] || rm -f "$l"
	done
	used=" $(ports_in_use | tr '\n' ' ') "
	: >"$rundir/ports"
	for name in $PORT_NAMES; do
		n=0
		while :; do
			n=$((n + 1))
			[ "$n" -lt 1000 ] || die "no free port found"
			port=$((10000 + (RANDOM * 32768 + RANDOM) % 22000))
			case $used in *" $port "*) continue ;; esac
			ln -s "$rundir" "$STATE/ports/$port" 2>/dev/null ||
			    continue
			used="$used$port "
			echo "port_$name=$port" >>"$rundir/ports"
			break
		done
	done
}

ports_release() {
	local rundir=$1 l
	for l in "$STATE"/ports/*; do
		[ -L "$l" ] || continue
		[ "$(readlink "$l")" = "$rundir" ] && rm -f "$l"
	done
	return 0
}

# ---------------------------------------------------------------- postfix slot

# "postfix -c DIR" wants DIR listed in alternate_config_directories of the
# default /etc/postfix/main.cf.  Rather than add a line per run, that list
# holds NSLOTS fixed paths $STATE/pf/N once, and each run points a free
# slot (a symlink) at its own configuration directory.
pf_slot_paths() {
	local i=0
	while [ "$i" -lt "$NSLOTS" ]; do
		printf '%s/pf/%d\n' "$STATE" "$i"
		i=$((i + 1))
	done
}

pf_register_slots() {
	local cf=/etc/postfix/main.cf want cur
	want=$(pf_slot_paths | tr '\n' ' ')
	want=${want% }
	mkdir -p /etc/postfix
	if [ ! -e "$cf" ]; then
		# Debian's "No configuration" leaves no main.cf.  The default
		# instance is never started by us; should something start it
		# anyway, it listens on loopback only and runs no daemons.
		cat >"$cf" <<-EOF
		# Written by surat's tests/integration/servers.sh: the
		# Postfix package was installed without configuration.
		inet_interfaces = loopback-only
		master_service_disable = inet
		EOF
	fi
	cur=$("$POSTCONF" -c /etc/postfix -h alternate_config_directories \
	    2>/dev/null)
	case " $cur " in
	*" $STATE/pf/0 "*) return 0 ;;
	esac
	"$POSTCONF" -c /etc/postfix -e \
	    "alternate_config_directories = ${cur:+$cur }$want" ||
	    die "cannot update $cf"
}

pf_slot_acquire() {
	local rundir=$1 slot l
	pf_register_slots
	mkdir -p "$STATE/pf"
	for slot in $(pf_slot_paths); do
		l=$(readlink "$slot" 2>/dev/null) || l=
		if [ -n "$l" ] && [ ! -d "$l" ]; then
			rm -f "$slot"
		fi
		# -n: never follow a taken slot (a link to a directory) and
		# create our link inside the other run's configuration.
		if ln -sn "$rundir/postfix/etc" "$slot" 2>/dev/null; then
			echo "$slot" >"$rundir/postfix/slot"
			return 0
		fi
	done
	die "all $NSLOTS Postfix slots in $STATE/pf are taken"
}

pf_slot_release() {
	local rundir=$1 slot
	slot=$(cat "$rundir/postfix/slot" 2>/dev/null) || return 0
	[ "$(readlink "$slot" 2>/dev/null)" = "$rundir/postfix/etc" ] &&
	    rm -f "$slot"
	return 0
}

# ---------------------------------------------------------------- setup

ensure_mailuser() {
	getent passwd "$MAILUSER" >/dev/null && return 0
	useradd --system --user-group --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin "$MAILUSER" ||
	    getent passwd "$MAILUSER" >/dev/null ||
	    die "cannot create user $MAILUSER"
}

gen_certs() {
	local t=$1/tls
	mkdir -p "$t"
	cat >"$t/ca.tmpl" <<-EOF
	cn = "surat test CA"
	organization = "surat tests"
	ca
	cert_signing_key
	crl_signing_key
	expiration_days = 30
	EOF
	cat >"$t/other-ca.tmpl" <<-EOF
	cn = "surat unrelated CA"
	organization = "surat tests elsewhere"
	ca
	cert_signing_key
	expiration_days = 30
	EOF
	# Only the SAN is a name: connecting to "127.0.0.1" must fail the
	# hostname check, and the CN is not a host name on purpose.
	cat >"$t/server.tmpl" <<-EOF
	cn = "surat test server"
	organization = "surat tests"
	dns_name = "localhost"
	tls_www_server
	signing_key
	encryption_key
	expiration_days = 30
	EOF
	(
		set -e
		cd "$t"
		for k in ca other-ca server; do
			certtool --generate-privkey --key-type=rsa --bits=2048 \
			    --no-text --outfile "$k.key"
		done
		certtool --generate-self-signed --load-privkey ca.key \
		    --template ca.tmpl --no-text --outfile ca.pem
		certtool --generate-self-signed --load-privkey other-ca.key \
		    --template other-ca.tmpl --no-text --outfile other-ca.pem
		certtool --generate-certificate --load-privkey server.key \
		    --load-ca-certificate ca.pem --load-ca-privkey ca.key \
		    --template server.tmpl --no-text --outfile server.pem
		cat server.pem ca.pem >server-chain.pem
		chmod 600 ./*.key
	) >"$t/certtool.log" 2>&1 || {
		cat "$t/certtool.log" >&2
		die "certificate generation failed"
	}
}

write_dovecot_conf() {
	local r=$1 d=$1/dovecot uid gid dh=
	uid=$(id -u "$MAILUSER")
	gid=$(id -g "$MAILUSER")
	[ -r /usr/share/dovecot/dh.pem ] &&
	    dh="ssl_dh = </usr/share/dovecot/dh.pem"
	mkdir -p "$d/state" "$r/mail"
	chown "$MAILUSER:$MAILUSER" "$r/mail"
	chmod 700 "$r/mail"
	cat >"$d/passwd" <<-EOF
	budi:{PLAIN}budi-secret-1:$uid:$gid::$r/mail/budi::
	alice:{PLAIN}alice-secret-2:$uid:$gid::$r/mail/alice::
	EOF
	chown root:dovecot "$d/passwd"
	chmod 640 "$d/passwd"
	cat >"$d/dovecot.conf" <<-EOF
	# Private Dovecot of one surat test run (tests/integration/servers.sh).
	instance_name = surat-test
	base_dir = $d/run
	state_dir = $d/state
	log_path = $d/dovecot.log
	protocols = imap pop3 lmtp
	listen = 127.0.0.1
	shutdown_clients = yes
	auth_verbose = yes
	auth_mechanisms = plain login

	# Clients must use TLS to send a password (see README: Dovecot counts
	# a connection from 127.0.0.1 to 127.0.0.1 as secure all the same).
	disable_plaintext_auth = yes
	ssl = yes
	ssl_cert = <$r/tls/server.pem
	ssl_key = <$r/tls/server.key
	$dh

	first_valid_uid = $uid
	last_valid_uid = $uid
	first_valid_gid = $gid
	mail_uid = $uid
	mail_gid = $gid
	mail_location = maildir:~/Maildir
	mailbox_list_index = yes
	mail_plugins = \$mail_plugins quota
	pop3_uidl_format = %08Xu%08Xv

	passdb {
	  driver = passwd-file
	  args = scheme=PLAIN $d/passwd
	}
	userdb {
	  driver = passwd-file
	  args = $d/passwd
	}

	namespace inbox {
	  inbox = yes
	  mailbox Drafts {
	    special_use = \\Drafts
	    auto = subscribe
	  }
	  mailbox Sent {
	    special_use = \\Sent
	    auto = subscribe
	  }
	  mailbox Trash {
	    special_use = \\Trash
	    auto = subscribe
	  }
	  mailbox Junk {
	    special_use = \\Junk
	    auto = subscribe
	  }
	  mailbox Archive {
	    special_use = \\Archive
	    auto = subscribe
	  }
	}

	plugin {
	  quota = count:User quota
	  quota_rule = *:storage=100M
	  quota_vsizes = yes
	}

	protocol imap {
	  mail_plugins = \$mail_plugins imap_quota
	}
	protocol lmtp {
	  auth_username_format = %n
	}

	service imap-login {
	  inet_listener imap {
	    address = 127.0.0.1
	    port = $port_imap
	  }
	  inet_listener imaps {
	    address = 127.0.0.1
	    port = $port_imaps
	    ssl = yes
	  }
	}
	service pop3-login {
	  inet_listener pop3 {
	    address = 127.0.0.1
	    port = $port_pop3
	  }
	  inet_listener pop3s {
	    address = 127.0.0.1
	    port = $port_pop3s
	    ssl = yes
	  }
	}
	service lmtp {
	  inet_listener lmtp {
	    address = 127.0.0.1
	    port = $port_lmtp
	  }
	}
	# Postfix asks this listener to check SMTP AUTH passwords.
	service auth {
	  inet_listener auth-postfix {
	    address = 127.0.0.1
	    port = $port_auth
	  }
	}
	EOF
}

write_postfix_conf() {
	local r=$1 p=$1/postfix
	mkdir -p "$p/etc" "$p/queue" "$p/data"
	chown postfix "$p/data"
	cat >"$p/etc/vmailbox" <<-EOF
	budi@example.test	budi
	alice@example.test	alice
	EOF
	cat >"$p/etc/main.cf" <<-EOF
	# Private Postfix of one surat test run (tests/integration/servers.sh).
	compatibility_level = 3.6
	queue_directory = $p/queue
	data_directory = $p/data
	maillog_file = $p/postfix.log
	maillog_file_prefixes = $p
	myhostname = surat-test.localhost
	mydomain = localhost
	myorigin = \$myhostname
	mydestination =
	local_recipient_maps =
	alias_maps =
	alias_database =
	relayhost =
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	mynetworks = 127.0.0.1/32
	smtpd_banner = \$myhostname ESMTP surat-test
	biff = no
	append_dot_mydomain = no

	# Mail for example.test goes to Dovecot over LMTP; anything else is
	# accepted from authenticated clients and silently dropped, so tests
	# never wait for bounces.
	virtual_mailbox_domains = example.test
	virtual_mailbox_maps = texthash:$p/etc/vmailbox
	virtual_transport = lmtp:inet:127.0.0.1:$port_lmtp
	default_transport = discard:surat test: no outside mail
	relay_transport = discard:surat test: no outside mail
	smtpd_relay_restrictions = permit_sasl_authenticated,
	    reject_unauth_destination

	# Retry soon when Dovecot was stopped by an offline test.
	queue_run_delay = 2s
	minimal_backoff_time = 2s
	maximal_backoff_time = 10s

	smtpd_tls_cert_file = $r/tls/server.pem
	smtpd_tls_key_file = $r/tls/server.key
	smtpd_tls_security_level = may
	smtpd_tls_auth_only = yes
	smtpd_sasl_type = dovecot
	smtpd_sasl_path = inet:127.0.0.1:$port_auth
	smtpd_sasl_auth_enable = yes
	smtpd_sasl_security_options = noanonymous
	smtpd_sasl_tls_security_options = noanonymous
	lmtp_tls_security_level = none
	smtp_tls_security_level = none
	EOF
	# chroot is off everywhere: the queue directory is not set up as a
	# chroot jail.
	cat >"$p/etc/master.cf" <<-EOF
	# Private Postfix of one surat test run (tests/integration/servers.sh).
	# submission: STARTTLS required before anything, AUTH only after it.
	127.0.0.1:$port_submission inet n - n - - smtpd
	  -o syslog_name=postfix/submission
	  -o smtpd_tls_security_level=encrypt
	  -o smtpd_sasl_auth_enable=yes
	  -o smtpd_tls_auth_only=yes
	  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
	# submissions: implicit TLS.
	127.0.0.1:$port_smtps inet n - n - - smtpd
	  -o syslog_name=postfix/submissions
	  -o smtpd_tls_wrappermode=yes
	  -o smtpd_tls_security_level=encrypt
	  -o smtpd_sasl_auth_enable=yes
	  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
	# No TLS at all, but AUTH is offered: a client must refuse to send
	# its password here.
	127.0.0.1:$port_smtp_notls inet n - n - - smtpd
	  -o syslog_name=postfix/notls
	  -o smtpd_tls_security_level=none
	  -o smtpd_tls_auth_only=no
	  -o smtpd_sasl_auth_enable=yes
	pickup    unix  n       -       n       60      1       pickup
	cleanup   unix  n       -       n       -       0       cleanup
	qmgr      unix  n       -       n       300     1       qmgr
	tlsmgr    unix  -       -       n       1000?   1       tlsmgr
	rewrite   unix  -       -       n       -       -       trivial-rewrite
	bounce    unix  -       -       n       -       0       bounce
	defer     unix  -       -       n       -       0       bounce
	trace     unix  -       -       n       -       0       bounce
	verify    unix  -       -       n       -       1       verify
	flush     unix  n       -       n       1000?   0       flush
	proxymap  unix  -       -       n       -       -       proxymap
	proxywrite unix -       -       n       -       1       proxymap
	smtp      unix  -       -       n       -       -       smtp
	relay     unix  -       -       n       -       -       smtp
	showq     unix  n       -       n       -       -       showq
	error     unix  -       -       n       -       -       error
	retry     unix  -       -       n       -       -       error
	discard   unix  -       -       n       -       -       discard
	local     unix  -       n       n       -       -       local
	virtual   unix  -       n       n       -       -       virtual
	lmtp      unix  -       -       n       -       -       lmtp
	anvil     unix  -       -       n       -       1       anvil
	scache    unix  -       -       n       -       1       scache
	postlog   unix-dgram n  -       n       -       1       postlogd
	EOF
}

write_env() {
	local r=$1 here
	here=$(cd "$(dirname "$0")" && pwd)
	cat >"$r/env" <<-EOF
	# Written by servers.sh for the test run in $r.
	export SURAT_TEST_RUNDIR='$r'
	export SURAT_TEST_HOST=localhost
	export SURAT_TEST_IMAP_PORT=$port_imap
	export SURAT_TEST_IMAPS_PORT=$port_imaps
	export SURAT_TEST_POP3_PORT=$port_pop3
	export SURAT_TEST_POP3S_PORT=$port_pop3s
	export SURAT_TEST_SUBMISSION_PORT=$port_submission
	export SURAT_TEST_SMTPS_PORT=$port_smtps
	export SURAT_TEST_SMTP_NOTLS_PORT=$port_smtp_notls
	export SURAT_TEST_LMTP_PORT=$port_lmtp
	export SURAT_TEST_AUTH_PORT=$port_auth
	export SURAT_TEST_CA='$r/tls/ca.pem'
	export SURAT_TEST_OTHER_CA='$r/tls/other-ca.pem'
	export SURAT_TEST_DOMAIN=example.test
	export SURAT_TEST_USER=budi
	export SURAT_TEST_PASS=budi-secret-1
	export SURAT_TEST_ADDR=budi@example.test
	export SURAT_TEST_USER2=alice
	export SURAT_TEST_PASS2=alice-secret-2
	export SURAT_TEST_ADDR2=alice@example.test
	export SURAT_TEST_MAILDIR_budi='$r/mail/budi/Maildir'
	export SURAT_TEST_MAILDIR_alice='$r/mail/alice/Maildir'
	export SURAT_TEST_DOVEADM='$DOVEADM -c $r/dovecot/dovecot.conf'
	export SURAT_TEST_DOVECOT_LOG='$r/dovecot/dovecot.log'
	export SURAT_TEST_POSTFIX_LOG='$r/postfix/postfix.log'
	export SURAT_TEST_SERVERS='$here/servers.sh'
	EOF
}

setup() {
	local r=$1
	mkdir -p "$r" || die "cannot create $r"
	chmod 755 "$r"
	locked ensure_mailuser || exit 1
	gen_certs "$r"
	locked ports_reserve "$r" || exit 1
	# shellcheck disable=SC1091
	. "$r/ports"
	write_dovecot_conf "$r"
	write_postfix_conf "$r"
	locked pf_slot_acquire "$r" || exit 1
	write_env "$r"
}

# ---------------------------------------------------------------- dovecot

dovecot_pid() {
	pid_from_file "$1/dovecot/run/master.pid" "$(readlink -f "$DOVECOT")"
}

start_imap() {
	local r=$1
	dovecot_pid "$r" >/dev/null && return 0
	"$DOVECOT" -c "$r/dovecot/dovecot.conf" \
	    >>"$r/dovecot/start.log" 2>&1 || {
		cat "$r/dovecot/start.log" >&2
		show_log "$r/dovecot/dovecot.log"
		die "dovecot did not start"
	}
	wait_ports "$r" Dovecot "$r/dovecot/dovecot.log" \
	    imap imaps pop3 pop3s lmtp auth
	# The listeners exist before the auth process answers; a client that
	# came now would first read "* OK Waiting for authentication process".
	# A user lookup goes through auth, and it opens budi's and alice's
	# Maildirs, creating them and their special-use folders.
	local u i=0
	for u in budi alice; do
		until "$DOVEADM" -c "$r/dovecot/dovecot.conf" mailbox status \
		    -u "$u" messages INBOX >/dev/null 2>>"$r/dovecot/start.log"
		do
			i=$((i + 1))
			if [ "$i" -gt $((START_TIMEOUT * 5)) ]; then
				cat "$r/dovecot/start.log" >&2
				show_log "$r/dovecot/dovecot.log"
				die "Dovecot: doveadm cannot open $u's INBOX"
			fi
			sleep 0.2
		done
	done
}

stop_imap() {
	local r=$1 pid kids
	pid=$(dovecot_pid "$r") || return 0
	kids=$(descendants "$pid")
	kill -TERM "$pid" 2>/dev/null
	# shellcheck disable=SC2086
	reap Dovecot "$pid" $kids
}

# ---------------------------------------------------------------- postfix

postfix_confdir() {
	cat "$1/postfix/slot"
}

postfix_pid() {
	pid_from_file "$1/postfix/queue/pid/master.pid" \
	    "$(readlink -f /usr/lib/postfix/sbin/master)"
}

start_smtp() {
	local r=$1 dir
	postfix_pid "$r" >/dev/null && return 0
	dir=$(postfix_confdir "$r") || die "$r: no Postfix slot"
	[ "$(readlink "$dir")" = "$r/postfix/etc" ] ||
	    die "$dir does not point to $r/postfix/etc"
	case $dir in /etc/postfix | /etc/postfix/) die "refusing $dir" ;; esac
	{
		# Creates the queue's subdirectories with the right owners.
		"$POSTFIX" -c "$dir" check &&
		"$POSTFIX" -c "$dir" start
	} >>"$r/postfix/start.log" 2>&1 || {
		cat "$r/postfix/start.log" >&2
		show_log "$r/postfix/postfix.log"
		die "postfix did not start"
	}
	wait_ports "$r" Postfix "$r/postfix/postfix.log" \
	    submission smtps smtp_notls
}

stop_smtp() {
	local r=$1 pid kids dir
	pid=$(postfix_pid "$r") || return 0
	kids=$(descendants "$pid")
	dir=$(postfix_confdir "$r")
	"$POSTFIX" -c "$dir" stop >>"$r/postfix/start.log" 2>&1 ||
	    kill -TERM "$pid" 2>/dev/null
	# shellcheck disable=SC2086
	reap Postfix "$pid" $kids
}

# ---------------------------------------------------------------- common

show_log() {
	[ -s "$1" ] || return 0
	echo "--- last lines of $1:" >&2
	tail -n 30 "$1" >&2
}

# Waits until each named port of the run listens (read from /proc, so no
# connection is made), or dies showing LOG.
wait_ports() {
	local r=$1 what=$2 log=$3 name port i
	shift 3
	# shellcheck disable=SC1091
	. "$r/ports"
	for name in "$@"; do
		eval "port=\$port_$name"
		i=0
		until port_listening "$port"; do
			i=$((i + 1))
			if [ "$i" -gt $((START_TIMEOUT * 10)) ]; then
				show_log "$log"
				die "$what: port $port ($name) not listening" \
				    "after ${START_TIMEOUT}s"
			fi
			sleep 0.1
		done
	done
}

pids() {
	local r=$1 pid
	for pid in $(dovecot_pid "$r") $(postfix_pid "$r"); do
		echo "$pid"
		descendants "$pid"
	done
}

check_rundir() {
	[ -n "${1:-}" ] || die "usage: $prog start|stop|start-imap|stop-imap|start-smtp|stop-smtp|pids RUNDIR"
	case $1 in /*) ;; *) die "RUNDIR must be an absolute path" ;; esac
	[ "$(id -u)" = 0 ] || die "must run as root"
}

cmd=${1:-}
rundir=${2:-}
check_rundir "$rundir"
rundir=${rundir%/}

case $cmd in
start)
	[ -f "$rundir/env" ] || setup "$rundir"
	# Should anything below fail, stop what did start.
	trap 'stop_smtp "$rundir"; stop_imap "$rundir"' EXIT
	start_imap "$rundir"
	start_smtp "$rundir"
	trap - EXIT
	say "servers up in $rundir"
	;;
stop)
	[ -d "$rundir" ] || exit 0
	rc=0
	stop_smtp "$rundir" || rc=1
	stop_imap "$rundir" || rc=1
	locked pf_slot_release "$rundir"
	locked ports_release "$rundir"
	exit $rc
	;;
start-imap) start_imap "$rundir" ;;
stop-imap) stop_imap "$rundir" ;;
start-smtp) start_smtp "$rundir" ;;
stop-smtp) stop_smtp "$rundir" ;;
pids) pids "$rundir" ;;
*) die "unknown command: $cmd" ;;
esac
