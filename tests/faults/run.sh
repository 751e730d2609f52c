#!/bin/sh
# Runs every fault case (tests/faults/cases/*.case, or the ones named on the
# command line): starts fakeserver with the case as its script, runs probe
# with the case's arguments, and checks both verdicts.  Case headers:
#   # probe: pop3 --security starttls --op login     probe's arguments
#   # cert: good|selfsigned|unknownca|wronghost|expired|notyet|other
#   # expect: ok | error CODE          probe's outcome line (ok / error CODE:)
#   # expect-out: ERE                  some line of probe's output matches
#   # expect-not-out: ERE              no line of probe's output matches
#   # max-rss-growth-kb: N             the operation's memory stays bounded
# In probe arguments and expect-out, @FP_GOOD@ and @FP_OTHER@ become the
# fingerprints of the good and the other server certificate, @FP_CERT@ that
# of the certificate the case's server presents.  probe always gets --ca (our test
# CA) and --portfile; fakeserver's own verdict (C:, never:, eof) must be 0.
# FAULTS_VERBOSE=1 shows probe's output for passing cases too.
# Exit status: 0 all passed, 1 a case failed, 77 nothing to run with.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
here=$top_srcdir/tests/faults
fakeserver=$top_builddir/tests/faults/fakeserver
probe=$top_builddir/tests/faults/probe

command -v certtool >/dev/null 2>&1 || {
	echo "SKIP: certtool (gnutls-bin) is missing"
	exit 77
}
for p in "$fakeserver" "$probe"; do
	[ -x "$p" ] || { echo "missing $p (make check builds it)"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/surat-faults.XXXXXX") || exit 1
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A throwaway CA per run, as tests/integration/servers.sh makes one; one
# server certificate per problem a client must notice.
make_cert() {	# name issuer(ca|other-ca|self) template-lines...
	n=$1 issuer=$2
	shift 2
	printf '%s\n' "$@" >"$tmp/$n.tmpl"
	certtool --generate-privkey --key-type=ecdsa --no-text \
	    --outfile "$tmp/$n.key" || return 1
	if [ "$issuer" = self ]; then
		certtool --generate-self-signed --load-privkey "$tmp/$n.key" \
		    --template "$tmp/$n.tmpl" --no-text --outfile "$tmp/$n.pem"
	else
		certtool --generate-certificate --load-privkey "$tmp/$n.key" \
		    --load-ca-certificate "$tmp/$issuer.pem" \
		    --load-ca-privkey "$tmp/$issuer.key" \
		    --template "$tmp/$n.tmpl" --no-text --outfile "$tmp/$n.pem"
	fi
}
gen_certs() {
	srv='tls_www_server signing_key encryption_key'
	make_cert ca self 'cn = "surat faults CA"' ca cert_signing_key \
	    'expiration_days = 30' &&
	make_cert other-ca self 'cn = "surat unrelated CA"' ca \
	    cert_signing_key 'expiration_days = 30' &&
	make_cert good ca 'cn = "good"' 'dns_name = "localhost"' $srv \
	    'expiration_days = 30' &&
	make_cert other ca 'cn = "other"' 'dns_name = "localhost"' $srv \
	    'expiration_days = 30' &&
	make_cert selfsigned self 'cn = "selfsigned"' \
	    'dns_name = "localhost"' $srv 'expiration_days = 30' &&
	make_cert unknownca other-ca 'cn = "unknownca"' \
	    'dns_name = "localhost"' $srv 'expiration_days = 30' &&
	make_cert wronghost ca 'cn = "localhost"' \
	    'dns_name = "mail.example.org"' $srv 'expiration_days = 30' &&
	make_cert expired ca 'cn = "expired"' 'dns_name = "localhost"' $srv \
	    'activation_date = "2020-01-01 00:00:00"' \
	    'expiration_date = "2021-01-01 00:00:00"' &&
	make_cert notyet ca 'cn = "notyet"' 'dns_name = "localhost"' $srv \
	    'activation_date = "2090-01-01 00:00:00"' \
	    'expiration_date = "2091-01-01 00:00:00"'
}
gen_certs >"$tmp/certtool.log" 2>&1 || {
	cat "$tmp/certtool.log"
	echo "certificate generation failed"
	exit 1
}
fingerprint() {
	certtool --certificate-info --infile "$1" |
	    sed -n 's/^[[:space:]]*\(sha256:[0-9a-f]*\)$/\1/p' | head -n 1
}
fp_good=$(fingerprint "$tmp/good.pem")
fp_other=$(fingerprint "$tmp/other.pem")

header() {	# case key -> the value of "# key: value", or empty
	sed -n "s/^# $2: //p" "$1" | head -n 1
}

subst() {
	sed "s/@FP_GOOD@/$fp_good/g; s/@FP_OTHER@/$fp_other/g; \
	    s/@FP_CERT@/$fp_cert/g"
}

failed=0
total=0
run_case() {
	c=$1 name=$(basename "$1" .case)
	total=$((total + 1))
	args=$(header "$c" probe)
	cert=$(header "$c" cert)
	expect=$(header "$c" expect)
	out=$tmp/$name.out
	[ -n "$args" ] && [ -n "$expect" ] || {
		echo "FAIL $name: the case lacks # probe: or # expect:"
		failed=$((failed + 1))
		return
	}
	fp_cert=$(fingerprint "$tmp/${cert:-good}.pem")
	args=$(printf '%s' "$args" | subst)
	rm -f "$tmp/port"
	"$fakeserver" -c "$tmp/${cert:-good}.pem" -k "$tmp/${cert:-good}.key" \
	    -p "$tmp/port" -t 20 "$c" 2>"$tmp/$name.server" &
	server_pid=$!
	# shellcheck disable=SC2086
	timeout 60 "$probe" $args --portfile "$tmp/port" --ca "$tmp/ca.pem" \
	    >"$out" 2>"$tmp/$name.stderr"
	probe_rc=$?
	wait "$server_pid"
	server_rc=$?
	server_pid=
	why=
	if [ $probe_rc -gt 1 ]; then
		why="probe crashed or leaked (exit $probe_rc)"
	elif [ $server_rc -ne 0 ]; then
		why="fakeserver: $(head -n 5 "$tmp/$name.server")"
	elif ! grep -E '^(ok$|error )' "$out" | head -n 1 |
	    grep -q "^$expect\\( \\|:\\|\$\\)"; then
		why="expected \"$expect\""
	fi
	if [ -z "$why" ]; then
		while IFS= read -r re; do
			grep -Eq -- "$re" "$out" ||
			    why="no output line matches: $re"
		done <<-EOF
		$(sed -n 's/^# expect-out: //p' "$c" | subst)
		EOF
		while IFS= read -r re; do
			[ -n "$re" ] && grep -Eq -- "$re" "$out" &&
			    why="an output line matches: $re"
		done <<-EOF
		$(sed -n 's/^# expect-not-out: //p' "$c")
		EOF
	fi
	max=$(header "$c" max-rss-growth-kb)
	if [ -z "$why" ] && [ -n "$max" ]; then
		got=$(sed -n 's/^rss-growth-kb //p' "$out")
		[ "${got:-999999999}" -le "$max" ] ||
		    why="memory grew by $got kB (cap $max kB)"
	fi
	if [ -n "$why" ]; then
		echo "FAIL $name: $why"
		sed 's/^/    probe: /' "$out" "$tmp/$name.stderr" | head -n 20
		failed=$((failed + 1))
	else
		echo "ok   $name"
		[ -n "$FAULTS_VERBOSE" ] && sed 's/^/    probe: /' "$out"
	fi
}

if [ $# -gt 0 ]; then
	for c in "$@"; do
		case $c in
		*/*) run_case "$c" ;;
		*) run_case "$here/cases/${c%.case}.case" ;;
		esac
	done
else
	for c in "$here"/cases/*.case; do
		run_case "$c"
	done
fi
echo "$((total - failed)) of $total fault cases passed"
[ $failed -eq 0 ]
