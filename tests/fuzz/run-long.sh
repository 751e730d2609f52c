#!/bin/sh
# Runs every libFuzzer target (tests/fuzz/fuzz_* in the build tree) for a
# while, seeded from the tests' data, and reports each one's executions.
# `make fuzz-smoke` runs it for 60 s per target; run it by hand for the long
# campaigns (hours, millions of executions per target):
#
#   tests/fuzz/run-long.sh [-t SECONDS] [-r RUNS] [-T TIMEOUT] [-j JOBS]
#                          [-P TARGETS] [-b BUILDDIR] [-s SRCDIR] [TARGET...]
#
# -t: seconds per target (default $FUZZ_SECONDS, else 600); -r: stop each
# target after RUNS executions instead (-t still caps it); -T: seconds one
# input may take (default 10; libFuzzer counts wall time, so a campaign on a
# machine where fuzzers get SIGSTOPped needs more); -j: libFuzzer
# jobs per target (default 1); -P: how many targets run at once (default
# 1; -P 2 halves the wall time on two cores).  Seeds: tests/fuzz/seeds/TARGET/ and
# tests/data/WORD/ for each word of the target's name (fuzz_imap_response
# reads tests/data/imap/).  New inputs accumulate in BUILDDIR/tests/fuzz/
# corpus/TARGET/ so the next run starts where this one stopped; a crash
# leaves its input in BUILDDIR/tests/fuzz/crashes/, to be turned into a
# regression test.  Exit status: 0 when no target found anything.

secs=${FUZZ_SECONDS:-600}
runs=
unit_timeout=10
jobs=1
par_targets=1
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
while getopts t:r:T:j:P:b:s: opt; do
	case $opt in
	t) secs=$OPTARG ;;
	r) runs=$OPTARG ;;
	T) unit_timeout=$OPTARG ;;
	j) jobs=$OPTARG ;;
	P) par_targets=$OPTARG ;;
	b) builddir=$OPTARG ;;
	s) srcdir=$OPTARG ;;
	*) sed -n '2,21s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# Absolute: each target runs in a directory of its own.
builddir=$(cd "$builddir" && pwd) && srcdir=$(cd "$srcdir" && pwd) || exit 1
fuzzdir=$builddir/tests/fuzz
if [ $# -eq 0 ]; then
	for f in "$fuzzdir"/fuzz_*; do
		case $f in *.o|*.c|*.log) continue ;; esac
		[ -f "$f" ] && [ -x "$f" ] && set -- "$@" "$(basename "$f")"
	done
fi
if [ $# -eq 0 ]; then
	echo "no fuzz targets in $fuzzdir: configure with --enable-fuzzers" \
	    "CC=clang and run make" >&2
	exit 1
fi

mkdir -p "$fuzzdir/crashes"
results=$(mktemp -d "${TMPDIR:-/tmp}/surat-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$results"' EXIT

# run_target T: one target's campaign; its summary line goes to
# $results/T.sum, its verdict to $results/T.rc.
run_target() {
	t=$1
	bin=$fuzzdir/$t
	corpus=$fuzzdir/corpus/$t
	log=$fuzzdir/$t.log
	mkdir -p "$corpus"
	seeds=
	[ -d "$srcdir/tests/fuzz/seeds/$t" ] &&
	    seeds="$srcdir/tests/fuzz/seeds/$t"
	for w in $(echo "${t#fuzz_}" | tr '_' ' '); do
		[ -d "$srcdir/tests/data/$w" ] &&
		    seeds="${seeds:+$seeds }$srcdir/tests/data/$w"
	done
	# options/TARGET: flags for that target alone (-max_len, -dict=
	# relative to tests/fuzz/ of the source tree).
	opts=
	[ -f "$srcdir/tests/fuzz/options/$t" ] &&
	    opts=$(sed -e '/^#/d' -e "s|-dict=|-dict=$srcdir/tests/fuzz/|" \
	    "$srcdir/tests/fuzz/options/$t" | tr '\n' ' ')
	echo "== $t: $secs s${runs:+ or $runs runs}, seeds: ${seeds:-none}${opts:+, $opts}"
	par="${runs:+-runs=$runs }$opts"
	[ "$jobs" -gt 1 ] && par="$par -jobs=$jobs -workers=$jobs"
	# libFuzzer's -jobs writes fuzz-N.log into the current directory:
	# each target gets its own, so parallel targets do not mix them.
	mkdir -p "$results/$t.dir"
	start=$(date +%s)
	# shellcheck disable=SC2086
	(cd "$results/$t.dir" && exec "$bin" -max_total_time="$secs" \
	    -timeout="$unit_timeout" -rss_limit_mb=2048 -print_final_stats=1 $par \
	    -artifact_prefix="$fuzzdir/crashes/$t-" \
	    "$corpus" $seeds) >"$log" 2>&1
	rc=$?
	elapsed=$(($(date +%s) - start))
	[ "$elapsed" -gt 0 ] || elapsed=1
	# With -jobs, libFuzzer's own output (the log) already holds each
	# job's log after the job ends: count from the jobs' files, once.
	counted=$log
	[ "$jobs" -gt 1 ] && counted=$(ls "$results/$t.dir"/fuzz-*.log)
	# shellcheck disable=SC2086
	execs=$(cat $counted 2>/dev/null |
	    sed -n 's/^stat::number_of_executed_units: *//p' |
	    awk '{ n += $1 } END { print n + 0 }')
	last=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	# Units libFuzzer keeps (the directory also holds replaced ones).
	corp=$(echo "$last" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
	if [ $rc -ne 0 ]; then
		echo "FAIL $t (exit $rc): see $log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5
	fi
	printf '%-24s %10s execs %6s/s %6ss  cov %s  corpus %s%s\n' "$t" \
	    "$execs" \
	    "$(awk -v n="$execs" -v s="$elapsed" 'BEGIN { printf "%d", n / s }')" \
	    "$elapsed" "${cov:-?}" "${corp:-?}" \
	    "$([ $rc -ne 0 ] && echo '  FAILED')" >"$results/$t.sum"
	echo $rc >"$results/$t.rc"
}

# At most par_targets at once: start a batch, wait for all of it.
running=0
for t in "$@"; do
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$par_targets" ]; then
		wait
		running=0
	fi
done
wait

failed=0
echo "== executions per target"
for t in "$@"; do
	cat "$results/$t.sum" 2>/dev/null || echo "$t: no result"
	[ "$(cat "$results/$t.rc" 2>/dev/null)" = 0 ] || failed=1
done
exit $failed
