# Helpers for the UI tests: the real binary in a private tmux server.
# Sourced by tests/ui/test_*.sh and the real-server UI tests
# (tests/integration/test_ui_*.sh); exits 77 (skip) when tmux is missing.
# A test with more to undo at exit redefines ui_cleanup_hook.

command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skip"; exit 77; }
top_builddir=${top_builddir:-.}
SURAT=${SURAT:-$top_builddir/src/surat}
[ -x "$SURAT" ] || { echo "no $SURAT"; exit 99; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset VISUAL EDITOR

T=$(mktemp -d "${TMPDIR:-/tmp}/surat-uitest.XXXXXX")
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
ui_cleanup_hook() { :; }
cleanup() {
	ui_cleanup_hook
	tm kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	tm capture-pane -p -t ui 2>/dev/null
	echo "----------------"
	exit 1
}

screen() { tm capture-pane -p -t ui; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() {
	_i=0
	while [ $_i -lt $(( ${2:-10} * 10 )) ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	fail "timed out waiting for '$1'"
}

# wait_gone TEXT: until the screen no longer shows TEXT.
wait_gone() {
	_i=0
	while [ $_i -lt 100 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	fail "'$1' still on screen"
}

keys() { tm send-keys -t ui "$@"; }
# text STRING: typed as it is (no key names).
text() { tm send-keys -t ui -l "$1"; }

# poll SECONDS COMMAND...: until the command succeeds; 1 if it never does.
poll() {
	_n=$(( $1 * 5 ))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

# start COLS ROWS ARGS...: run surat in a fresh tmux window.
start() {
	_c=$1 _r=$2
	shift 2
	tm new-session -d -s ui -x "$_c" -y "$_r" \
	    "env TERM=tmux-256color LANG=C.UTF-8 $SURAT $*; echo SURAT-EXIT=\$?; sleep 30"
}
