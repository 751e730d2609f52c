#!/bin/bash
# Side-by-side figures: surat against the tools its users would otherwise
# pick (isync's mbsync, neomutt, mpop, msmtp), in one run, against the same
# private Dovecot and Postfix that the integration tests use.  Not a test:
# it prints numbers.  Needs root (the servers) and a built tree.
#
#   bench/compare.sh [-H] [-n MESSAGES] [-s SENDS] [-b BUILDDIR]
#
# Defaults: 10000 messages in the IMAP/POP3 INBOX, 100 messages sent,
# each message's header about 270 bytes.  -H gives every message the
# trace fields real mail arrives with (five Received, DKIM-Signature,
# ARC, Authentication-Results: a header of about 4 KB), as a mailbox at a
# big provider has them.
# The IMAP issue's figures: -n 10000 -s 1000, then -n 100000 (which takes
# a while: mbsync downloads every message).  Times are wall seconds, RSS
# the largest resident size of the processes a task ran.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
count=10000
sends=100
builddir=${top_builddir:-$top}
trace=0

while getopts Hn:s:b: opt; do
	case $opt in
	H) trace=1 ;;
	n) count=$OPTARG ;;
	s) sends=$OPTARG ;;
	b) builddir=$(cd "$OPTARG" && pwd) ;;
	*) echo "usage: $0 [-H] [-n MESSAGES] [-s SENDS] [-b BUILDDIR]" >&2
	   exit 2 ;;
	esac
done

# Bring the servers up first: the rest of this script runs inside them.
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	exec "$top/tests/integration/with-servers.sh" \
	    bash "$0" -n "$count" -s "$sends" -b "$builddir" \
	    $([ "$trace" = 1 ] && echo -H)
fi

surat=$builddir/src/surat
[ -x "$surat" ] || { echo "$0: build surat first ($surat)" >&2; exit 1; }
work=$SURAT_TEST_RUNDIR/bench
mkdir -p "$work"
results=$work/results

now() { date +%s.%N; }

# rss CMD...: runs CMD under /usr/bin/time, adding its peak RSS (KB) as a
# line of $work/rss; time_it reports the largest of them.
rss() {
	/usr/bin/time -a -o "$work/rss" -f %M "$@"
}

# time_it LABEL TOOL CMD...: runs CMD, records the wall time in seconds
# and the peak RSS of the processes it ran (a program, or what a shell
# function ran through rss()).
time_it() {
	local label=$1 tool=$2 t0 t1 rc peak
	shift 2
	: >"$work/rss"
	t0=$(now)
	if [ "$(type -t "$1")" = file ]; then
		rss "$@" >"$work/last.out" 2>&1
	else
		"$@" >"$work/last.out" 2>&1
	fi
	rc=$?
	t1=$(now)
	peak=$(sort -n "$work/rss" | tail -1)
	if [ $rc -eq 0 ]; then
		printf '%s\t%s\t%.2f\t%s\n' "$label" "$tool" \
		    "$(echo "$t1 - $t0" | bc)" \
		    "$(( ${peak:-0} / 1024 )) MB" >>"$results"
	else
		printf '%s\t%s\tfailed (exit %d)\n' "$label" "$tool" $rc \
		    >>"$results"
		sed 's/^/    /' "$work/last.out" | tail -5 >&2
	fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# --- the mailbox: COUNT messages written straight into budi's Maildir ----
seed_mailbox() {
	local cur=$SURAT_TEST_MAILDIR_budi/cur owner
	owner=$(stat -c %U:%G "$SURAT_TEST_MAILDIR_budi")
	# File names as Dovecot's own deliveries have them, with S= (size) and
	# W= (size with CRLF line ends): with a constant "P1" and no sizes,
	# Dovecot 2.3 spent 0.4-0.9 s re-reading its uidlist on every STATUS
	# or SELECT of a 10,000-message folder, for every client alike.
	awk -v n="$count" -v dir="$cur" -v dom="$SURAT_TEST_DOMAIN" \
	    -v trace="${trace:-0}" '
	function b64(len,   s, k) {
		s = ""
		for (k = 0; k < len; k++)
			s = s substr(B64, int(rand() * 64) + 1, 1)
		return s
	}
	# Signature lines folded at 76 columns, as signers write them.
	function folded(len,   s, k) {
		s = ""
		for (k = 0; k < len; k += 70)
			s = s "\n\t " b64(len - k < 70 ? len - k : 70)
		return s
	}
	function trace_fields(i,   t, h) {
		t = sprintf("Return-Path: <sender%d@%s>\n", i % 97, dom)
		t = t sprintf("Delivered-To: budi@%s\n", dom)
		for (h = 1; h <= 5; h++)
			t = t sprintf("Received: from mx%d.relay%d.example.net " \
			    "(mx%d.relay%d.example.net [192.0.2.%d])\n\tby " \
			    "mx%d.%s (Postfix) with ESMTPS id %s\n\tfor " \
			    "<budi@%s>; Mon, 23 Nov 2026 10:%02d:%02d +0000\n",
			    h, i % 13, h, i % 13, (i * h) % 250 + 1, h, dom,
			    b64(12), dom, h, i % 60)
		t = t "ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none;" \
		    "\n\td=example.net; s=arc-20260101;\n\tb=" folded(340) "\n"
		t = t "ARC-Message-Signature: i=1; a=rsa-sha256; " \
		    "c=relaxed/relaxed; d=example.net;\n\ts=arc-20260101; " \
		    "h=to:subject:message-id:date:from:mime-version;\n\t" \
		    "bh=" b64(44) ";\n\tb=" folded(340) "\n"
		t = t "ARC-Authentication-Results: i=1; mx.example.net;\n" \
		    "\tdkim=pass header.i=@example.net header.s=s1 " \
		    "header.b=" b64(8) ";\n\tspf=pass smtp.mailfrom=" \
		    "example.net;\n\tdmarc=pass (p=NONE) header.from=" \
		    "example.net\n"
		t = t "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;" \
		    "\n\td=example.net; s=s1; t=1700000000;\n\th=to:" \
		    "subject:message-id:date:from:mime-version;\n\tbh=" \
		    b64(44) ";\n\tb=" folded(340) "\n"
		t = t "Authentication-Results: mx.example.net;\n\tdkim=pass" \
		    " header.i=@example.net;\n\tspf=pass (example.net: " \
		    "domain of sender designates 192.0.2.1 as permitted " \
		    "sender) smtp.mailfrom=example.net\n"
		t = t sprintf("X-Received: by 2002:a05:6000:%x with SMTP id " \
		    "%s;\n\tMon, 23 Nov 2026 10:00:%02d -0800 (PST)\n",
		    i % 4096, b64(24), i % 60)
		t = t "X-Google-Smtp-Source: " b64(80) "\n"
		return t
	}
	BEGIN {
		srand(42)
		B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		split("Mon Tue Wed Thu Fri Sat Sun", wd, " ")
		split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mo, " ")
		for (i = 1; i <= n; i++) {
			thread = int(i / 5)
			m = trace ? trace_fields(i) : ""
			m = m sprintf("From: Sender %d <sender%d@%s>\n", i % 97, i % 97, dom)
			m = m sprintf("To: budi@%s\n", dom)
			m = m sprintf("Subject: %sReport %d on item %d\n", (i % 5) ? "Re: " : "", thread, i)
			m = m sprintf("Date: %s, %d %s 2026 %02d:%02d:00 +0700\n", wd[i % 7 + 1], i % 28 + 1, mo[i % 12 + 1], i % 24, i % 60)
			m = m sprintf("Message-ID: <bench.%d@%s>\n", i, dom)
			if (i % 5)
				m = m sprintf("In-Reply-To: <bench.%d@%s>\n", i - 1, dom)
			m = m "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
			lines = 20 + int(rand() * 80)
			for (l = 0; l < lines; l++)
				m = m sprintf("Line %d of message %d: the quick brown fox jumps over the lazy dog.\n", l, i)
			nl = gsub(/\n/, "\n", m)
			f = sprintf("%s/%d.M%dP%d.bench,S=%d,W=%d:2,%s", dir,
			    1700000000 + i, (i * 7919) % 1000000, 20000 + i,
			    length(m), length(m) + nl, (i % 3) ? "S" : "")
			printf "%s", m > f
			close(f)
		}
	}'
	chown -R "$owner" "$SURAT_TEST_MAILDIR_budi"
	# shellcheck disable=SC2086
	$SURAT_TEST_DOVEADM force-resync -u budi INBOX
	# shellcheck disable=SC2086
	$SURAT_TEST_DOVEADM index -u budi INBOX
	warm_server
}

# Dovecot parses a message the first time a client asks for its headers,
# structure or exact size, and caches the answer: whichever tool ran
# first paid for everybody.  Ask once for all of it, untimed, so every
# tool meets the same warm server (and the same page cache).
warm_server() {
	# shellcheck disable=SC2086
	$SURAT_TEST_DOVEADM fetch -u budi \
	    'uid flags date.received size.virtual size.physical hdr imap.bodystructure imap.envelope pop3.uidl' \
	    mailbox INBOX all >/dev/null
}

# --- surat's configuration --------------------------------------------------
surat_config() {
	local kind=$1 file=$work/surat-$1.conf
	case $kind in
	imap) incoming="imaps://localhost:$SURAT_TEST_IMAPS_PORT" ;;
	pop3) incoming="pop3s://localhost:$SURAT_TEST_POP3S_PORT" ;;
	esac
	cat >"$file" <<-EOF
	[account bench]
	email = $SURAT_TEST_ADDR
	user = $SURAT_TEST_USER
	incoming = $incoming
	outgoing = smtps://localhost:$SURAT_TEST_SMTPS_PORT
	password = $SURAT_TEST_PASS
	ca_file = $SURAT_TEST_CA
	EOF
	[ "$kind" = pop3 ] && echo "pop3_policy = keep" >>"$file"
	[ -n "${2:-}" ] && echo "$2" >>"$file"
	chmod 600 "$file"
	echo "$file"
}

run_surat() {
	local conf=$1 data=$2
	shift 2
	rss "$surat" --config "$conf" --data-dir "$data" "$@"
}

# --- IMAP: a full first sync, then a sync with nothing new --------------------
bench_imap() {
	local conf
	# Headers only, as NeoMutt loads a folder: no body prefetched.
	conf=$(surat_config imap "prefetch = none")
	# Dovecot caches the header fields a client asks for the first time
	# it is asked: one untimed run of each tool first, so neither pays
	# for the other (at 100,000 messages NeoMutt took 10.9 s cold and
	# 5.6-6.1 s warm).
	run_surat "$conf" "$work/surat-warm" sync >/dev/null 2>&1
	rm -rf "$work/surat-warm"
	time_it "IMAP first sync (headers)" surat \
	    run_surat "$conf" "$work/surat-imap" sync
	time_it "IMAP sync, nothing new" surat \
	    run_surat "$conf" "$work/surat-imap" sync
	# NeoMutt next, while the server is in the state surat met: after
	# the whole-message syncs below Dovecot's cache file has every body
	# and NeoMutt's header fetch took 15.5 s instead of 10.9 s at
	# 100,000 messages.
	if have neomutt && have tmux; then
		bench_neomutt
	fi
	conf=$(surat_config imap "prefetch = all")
	time_it "IMAP first sync (whole messages)" surat \
	    run_surat "$conf" "$work/surat-imap-all" sync
	time_it "IMAP open index, first screen" surat \
	    run_surat "$conf" "$work/surat-imap-all" list --limit 50

	if have mbsync; then
		mkdir -p "$work/mbsync"
		cat >"$work/mbsyncrc" <<-EOF
		IMAPAccount bench
		Host localhost
		Port $SURAT_TEST_IMAPS_PORT
		User $SURAT_TEST_USER
		Pass $SURAT_TEST_PASS
		SSLType IMAPS
		CertificateFile $SURAT_TEST_CA

		IMAPStore remote
		Account bench

		MaildirStore local
		Path $work/mbsync/
		Inbox $work/mbsync/INBOX

		Channel bench
		Far :remote:INBOX
		Near :local:INBOX
		Sync Pull
		Create Near
		SyncState *
		EOF
		time_it "IMAP first sync (whole messages)" mbsync \
		    mbsync -q -c "$work/mbsyncrc" bench
		time_it "IMAP sync, nothing new" mbsync \
		    mbsync -q -c "$work/mbsyncrc" bench
	fi
}

# neomutt needs a terminal: run it in a detached tmux, opening the INBOX
# (downloading every header into its header cache) and quitting at once.
bench_neomutt() {
	local neorc=$work/neomuttrc done=$work/neomutt.done
	mkdir -p "$work/neomutt-hcache"
	cat >"$neorc" <<-EOF
	set folder = "imaps://$SURAT_TEST_USER@localhost:$SURAT_TEST_IMAPS_PORT/"
	set spoolfile = "+INBOX"
	set imap_pass = "$SURAT_TEST_PASS"
	set ssl_ca_certificates_file = "$SURAT_TEST_CA"
	set header_cache = "$work/neomutt-hcache/"
	set imap_check_subscribed = no
	set mail_check_stats = no
	push "<quit>"
	EOF
	neomutt_once() {
		rm -f "$done"
		tmux -L surat-bench new-session -d -x 120 -y 40 \
		    "/usr/bin/time -a -o '$work/rss' -f %M neomutt -n -F '$neorc'; echo \$? > '$done'"
		while [ ! -f "$done" ]; do sleep 0.05; done
		[ "$(cat "$done")" = 0 ]
	}
	neomutt_once
	rm -rf "$work/neomutt-hcache" && mkdir -p "$work/neomutt-hcache"
	time_it "IMAP open INBOX, header cache empty" neomutt neomutt_once
	time_it "IMAP open INBOX, header cache full" neomutt neomutt_once
	tmux -L surat-bench kill-server 2>/dev/null
}

# --- POP3: download everything (kept on the server), then again -----------------
bench_pop3() {
	local conf
	conf=$(surat_config pop3)
	time_it "POP3 download all (keep)" surat \
	    run_surat "$conf" "$work/surat-pop3" sync
	time_it "POP3 run, nothing new" surat \
	    run_surat "$conf" "$work/surat-pop3" sync
	if have mpop; then
		mkdir -p "$work/mpop/cur" "$work/mpop/new" "$work/mpop/tmp"
		cat >"$work/mpoprc" <<-EOF
		account bench
		host localhost
		port $SURAT_TEST_POP3S_PORT
		tls on
		tls_starttls off
		tls_trust_file $SURAT_TEST_CA
		user $SURAT_TEST_USER
		password $SURAT_TEST_PASS
		keep on
		delivery maildir $work/mpop
		uidls_file $work/mpop.uidls
		EOF
		chmod 600 "$work/mpoprc"
		time_it "POP3 download all (keep)" mpop \
		    mpop -q -C "$work/mpoprc" bench
		time_it "POP3 run, nothing new" mpop \
		    mpop -q -C "$work/mpoprc" bench
	fi
}

# --- SMTP: SENDS messages submitted over implicit TLS with AUTH ---------------
make_outgoing() {
	local i=$1
	printf 'From: %s\nTo: %s\nSubject: bench %d\nMessage-ID: <send.%d.%s@%s>\n\nHello %d.\n' \
	    "$SURAT_TEST_ADDR" "$SURAT_TEST_ADDR2" "$i" "$i" "$$" \
	    "$SURAT_TEST_DOMAIN" "$i"
}

bench_smtp() {
	local conf i
	# msmtp files no copy: neither does surat here (and at 100,000
	# messages the test user is over its 100 MB quota, so every APPEND
	# to Sent was refused and retried).
	conf=$(surat_config imap "sent_copy = no")
	surat_send_all() {
		for i in $(seq "$sends"); do
			make_outgoing "$i" |
			    run_surat "$conf" "$work/surat-send" send || return 1
		done
		run_surat "$conf" "$work/surat-send" sync --outbox
	}
	time_it "SMTP send $sends messages" surat surat_send_all
	if have msmtp; then
		cat >"$work/msmtprc" <<-EOF
		account bench
		host localhost
		port $SURAT_TEST_SMTPS_PORT
		tls on
		tls_starttls off
		tls_trust_file $SURAT_TEST_CA
		auth on
		user $SURAT_TEST_USER
		password $SURAT_TEST_PASS
		from $SURAT_TEST_ADDR
		EOF
		chmod 600 "$work/msmtprc"
		msmtp_send_all() {
			for i in $(seq "$sends"); do
				make_outgoing "$i" |
				    rss msmtp -C "$work/msmtprc" -a bench -t || return 1
			done
		}
		time_it "SMTP send $sends messages" msmtp msmtp_send_all
	fi
}

print_table() {
	echo
	echo "surat $("$surat" --version | head -1 | awk '{print $NF}') against" \
	    "other tools, $count messages, $sends sent, one run, $(date -u +%F)"
	printf '%-40s %-10s %-10s %s\n' "task" "tool" "seconds" "peak RSS"
	while IFS=$'\t' read -r label tool secs peak; do
		printf '%-40s %-10s %-10s %s\n' "$label" "$tool" "$secs" "$peak"
	done <"$results"
}

: >"$results"
echo "seeding $count messages..." >&2
seed_mailbox
bench_imap
bench_pop3
bench_smtp
print_table
