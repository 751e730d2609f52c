#!/bin/sh
# The interactive setup wizard, typed into the real binary in tmux, against
# the harness's servers: a good account is tested and saved (0600, no
# password in the file); a new user's first start goes through the wizard
# into the synced inbox; a wrong password is reported and saves nothing;
# and under LANG=id_ID.UTF-8 the wizard and the reader speak Indonesian.
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

# start [ENV...] -- ARGS...: surat ARGS in a fresh tmux session.
start() {
	envs=
	while [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	shift
	rm -f "$tmp/done"
	tmux -L "$sock" new-session -d -s w -x 110 -y 32 \
	    "env SURAT_PROVIDERS_FILE='$tmp/providers' SURAT_NO_PROBE=1 \
	    XDG_DATA_HOME='$tmp/data' XDG_CACHE_HOME='$tmp/cache' \
	    LANG=C.UTF-8 $envs '$surat' --config '$tmp/config' $*; \
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
	wait_for "${2:-who you are}" || return 1
	text "Budi Santoso"; keys Enter
	text "budi@example.test"; keys Enter
	text "$1"; keys Enter
	keys Enter
	wait_for "${3:-Incoming server}" || return 1
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
start -- setup
if identity "$SURAT_TEST_PASS" && wait_for "Save the password"; then
	screen | grep -q "Incoming mail: works" ||
	    { echo "FAIL: no 'works' for incoming"; fail=1; }
	keys n
	# The first sync follows; the password was not saved, so it asks.
	if wait_for "Password for"; then
		text "$SURAT_TEST_PASS"
		keys Enter
		wait_for "example: [0-9]* folders" &&
		    echo "ok: the first sync ran after saving"
	fi
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
start -- setup
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

# A new user's first start: the wizard, then the reader on the synced inbox.
printf 'From: Dewi <dewi@example.test>\nTo: budi@example.test\nSubject: Selamat datang di surat\nMessage-ID: <welcome@example.test>\n\nHalo.\n' |
    $SURAT_TEST_DOVEADM save -u budi -m INBOX
start -- --data-dir "$tmp/data"
if identity "$SURAT_TEST_PASS" && wait_for "Save the password"; then
	keys y
	wait_for "Selamat datang di surat" &&
	    echo "ok: the first start lands in the synced inbox"
	keys q
fi
rc=$(finish)
[ "$rc" = 0 ] || { echo "FAIL: the reader exited with $rc"; fail=1; }
grep -q "^password = " "$tmp/config" ||
    { echo "FAIL: the password the user chose to save is not there"; fail=1; }

# Editing that account: the wizard again, filled in; a changed name is
# kept, and so is a prefetch of days:N (shown as the choice "days").
sed -i -e '/^prefetch *=/d' -e '/^\[account example\]/a prefetch = days:14' \
    "$tmp/config"
start -- setup --edit example
if wait_for "who you are" && screen | grep -q "budi@example.test"; then
	keys C-u
	text "Budi S."
	keys C-x
	wait_for "Incoming server"
	screen | grep -q "< days >" ||
	    { echo "FAIL: prefetch days:14 not shown as days"; fail=1; }
	keys C-x
	wait_for "Save the password" && keys y
fi
rc=$(finish)
if [ "$rc" = 0 ] && grep -q "^name = Budi S\.$" "$tmp/config" &&
    grep -q "^incoming = imaps://" "$tmp/config" &&
    grep -q "^prefetch = days:14$" "$tmp/config" &&
    [ "$(grep -c '^\[account' "$tmp/config")" = 1 ]; then
	echo "ok: editing an account keeps it, with the new name"
else
	echo "FAIL: edit: exit $rc, config:"; cat "$tmp/config"
	fail=1
fi

# Indonesian: the wizard and the reader's key line.
if command -v localedef >/dev/null 2>&1 && [ -f /usr/share/i18n/locales/id_ID ]; then
	mkdir -p "$tmp/loc" "$tmp/mo/id/LC_MESSAGES"
	localedef -i id_ID -f UTF-8 "$tmp/loc/id_ID.UTF-8" >/dev/null 2>&1
	msgfmt -o "$tmp/mo/id/LC_MESSAGES/surat.mo" "${top_srcdir:-.}/po/id.po"
	rm -f "$tmp/config"
	start LOCPATH="$tmp/loc" LANG=id_ID.UTF-8 SURAT_LOCALEDIR="$tmp/mo" -- \
	    --data-dir "$tmp/data-id"
	if wait_for "Siapkan akun surel (1 dari 3)"; then
		keys Escape
		wait_for "Keluar dari penyiapan" && keys y
		wait_for "q:Keluar" && echo "ok: the wizard and the reader in Indonesian"
		keys q
	fi
	finish >/dev/null
else
	echo "note: no id_ID locale source; the Indonesian case was not run"
fi
exit $fail
