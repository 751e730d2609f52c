# Sourced by the tests/crash scripts that run against the real servers,
# once with-servers.sh has started them: the binary under test, a scratch
# directory $SURAT_TEST_RUNDIR/$crash_dir, and bad() to note a failure
# while the script goes on checking (exit status: $fail at the end).
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
[ -x "$surat" ] || { echo "no $surat" >&2; exit 99; }
tmp=$SURAT_TEST_RUNDIR/$crash_dir
mkdir -p "$tmp"
DOVEADM=$SURAT_TEST_DOVEADM
fail=0
bad() { echo "FAIL: $*"; fail=1; }
