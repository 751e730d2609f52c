#!/bin/sh
# The interactive setup wizard, typed into the real binary in tmux, against
# the harness's servers: a good account is tested and saved (0600, no
# password in the file), and a wrong password is reported and saves nothing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SURAT_TEST_RUNDIR:-}" ]; then
	command -v tmux >/dev/null 2>&1 || { echo "SKIP: no tmux"; exit 77; }
	exec "$here/with-servers.sh" sh "$0" "$@"
fi
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$SURAT_TEST_RUNDIR/wizard
mkdir -p "$tmp"
sock="surat-wiz-$$"
fail=0

cat >"$tmp/providers" <<EOF2
example.test imaps://localhost:$SURAT_TEST_IMAPS_PORT - smtps://localhost:$SURAT_TEST_SMTPS_PORT -
EOF2

screen() { tmux -L "$sock" capture-pane -p -t w 2>/dev/null; }
keys() { tmux -L "$sock" send-keys -t w "$@"; }
text() { tmux -L "$sock" send-keys -t w -l "$1"; }

# wait_for PATTERN: until the screen shows it (10 s at most).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "FAIL: the screen never showed '$1':"
	screen
	fail=1
	return 1
}

start() {
	rm -f "$tmp/done"
	tmux -L "$sock" new-session -d -s w -x 110 -y 32 \
	    "env SURAT_PROVIDERS_FILE='$tmp/providers' SURAT_NO_PROBE=1 \
	    LANG=C.UTF-8 '$surat' --config '$tmp/config' setup; \
	    echo \$? >'$tmp/done'; sleep 60"
}

finish() {
	i=0
	while [ ! -f "$tmp/done" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	tmux -L "$sock" kill-server 2>/dev/null
	cat "$tmp/done" 2>/dev/null || echo none
}

# Screen 1: name, address, password, password command.
identity() {
	wait_for "who you are" || return 1
	text "Budi Santoso"; keys Enter
	text "budi@example.test"; keys Enter
	text "$1"; keys Enter
	keys Enter
	wait_for "Incoming server" || return 1
	screen | grep -q "localhost" ||
	    { echo "FAIL: the preset did not fill the servers"; fail=1; }
	# The login name is not the address here: the fifth field.
	keys Down Down Down Down C-u
	text "$SURAT_TEST_USER"
	# The CA file is the last field: go there, type it, finish.
	keys Down Down Down Down Down Down Down Down Down Down Down Down
	text "$SURAT_TEST_CA"
	keys Enter
}

# A good account.
start
if identity "$SURAT_TEST_PASS" && wait_for "Save the password"; then
	screen | grep -q "Incoming mail: works" ||
	    { echo "FAIL: no 'works' for incoming"; fail=1; }
	keys n
fi
rc=$(finish)
if [ "$rc" = 0 ] && [ -f "$tmp/config" ]; then
	echo "ok: the account was saved"
	[ "$(stat -c %a "$tmp/config")" = 600 ] ||
	    { echo "FAIL: config mode $(stat -c %a "$tmp/config")"; fail=1; }
	grep -q "^incoming = imaps://.*localhost:$SURAT_TEST_IMAPS_PORT" \
	    "$tmp/config" || { echo "FAIL: no incoming line"; fail=1; }
	grep -q "^ca_file = " "$tmp/config" ||
	    { echo "FAIL: no ca_file line"; fail=1; }
	if grep -q "^password *=" "$tmp/config" ||
	    grep -q -- "$SURAT_TEST_PASS" "$tmp/config"; then
		echo "FAIL: the password went into the file"
		fail=1
	fi
else
	echo "FAIL: the wizard exited with $rc and no config"
	fail=1
fi

# A wrong password: the failure is shown and nothing is saved.
mv "$tmp/config" "$tmp/config.good"
start
if identity "not-the-password" && wait_for "The test failed"; then
	screen | grep -qi "login\|auth" ||
	    { echo "FAIL: the failure does not say it was the login"; fail=1; }
	keys Enter
	wait_for "Incoming server" && keys Escape && wait_for "Leave the setup" &&
	    keys y
fi
rc=$(finish)
if [ "$rc" != 0 ] && [ ! -f "$tmp/config" ]; then
	echo "ok: a wrong password saves nothing (exit $rc)"
else
	echo "FAIL: wrong password: exit $rc, config $(ls "$tmp")"
	fail=1
fi
exit $fail
