# Shared by the tests of the headless commands (tests/cli/*.sh): a private
# config and data directory per test, the real binary, TAP-like output.
# Sourced, not run.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
DATA=$top_srcdir/tests/data/cli
BIN=$top_builddir/src/surat

command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skip"; exit 77; }
[ -x "$BIN" ] || { echo "no $BIN"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surat-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
CONF=$TMP/config
DDIR=$TMP/data
export LC_ALL=C.UTF-8
unset SURAT_CONFIG SURAT_DATA_DIR

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

# surat with this test's config and data; output in $TMP/out, $TMP/err,
# exit status in $rc.
s() {
	rc=0
	"$BIN" --config "$CONF" --data-dir "$DDIR" "$@" >"$TMP/out" \
	    2>"$TMP/err" || rc=$?
}

# expect STATUS WHAT: the last s() ended with that status.
expect() {
	if [ "$rc" = "$1" ]; then
		ok "$2"
	else
		not_ok "$2 (exit $rc, wanted $1)"
		sed 's/^/#   /' "$TMP/err" | head -5
	fi
}

# check WHAT COMMAND...: a shell condition.
check() {
	what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

# The last output parses as JSON.
json_ok() {
	python3 -m json.tool "$TMP/out" >/dev/null 2>&1
}

# py 'EXPR': a Python expression over j (the last output as JSON) holds.
py() {
	python3 -c "import json,sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if ($1) else 1)" "$TMP/out"
}

# Messages in the store: the folders' totals added up.
count_all() {
	"$BIN" --config "$CONF" --data-dir "$DDIR" --json folders \
	    2>/dev/null | python3 -c \
	    'import json,sys; print(sum(f["total"] for f in json.load(sys.stdin)))'
}

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
