#!/bin/sh
# Bench (not run in CI): open a 100,000-message folder in the real UI in
# tmux, then jump to its end; print time to first screen, time to the
# end, and the UI's peak RSS.  The store is generated once and kept.
#   bench/ui-100k.sh [BUILDDIR] [COUNT]
set -e
B=${1:-.}
N=${2:-100000}
SURAT=$B/src/surat
[ -x "$SURAT" ] || { echo "usage: $0 BUILDDIR [COUNT] (no $SURAT)"; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed"; exit 2; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8
D=${BENCH_DIR:-/tmp/surat-bench-ui-$N}
S=$(mktemp -d)/tmux.sock
tm() { tmux -S "$S" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$(dirname "$S")"' EXIT

now_ms() { date +%s%3N; }

if [ ! -f "$D/surat.db" ]; then
	echo "generating $N messages in $D (once)..."
	t0=$(now_ms)
	# With bodies, so the same mail can be exported for NeoMutt below.
	"$SURAT" --data-dir "$D" demo --count "$N" --no-ui >/dev/null
	echo "  generated in $(( $(now_ms) - t0 )) ms"
fi

wait_screen() {	# wait_screen TEXT: poll every 5 ms, up to 60 s
	i=0
	while [ $i -lt 12000 ]; do
		tm capture-pane -p -t b 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.005
		i=$((i + 1))
	done
	echo "timed out waiting for '$1'"; exit 1
}

# tmux's own echo latency (send-keys to capture-pane), to read the rest by.
tm new-session -d -s base -x 120 -y 40 cat
sleep 0.3
t0=$(now_ms)
tm send-keys -t base x
until tm capture-pane -p -t base | grep -q x; do sleep 0.005; done
base=$(( $(now_ms) - t0 ))
tm kill-session -t base

t0=$(now_ms)
tm new-session -d -s b -x 120 -y 40 "$SURAT --data-dir $D --demo; sleep 5"
wait_screen "demo/INBOX"
t1=$(now_ms)
pid=$(pgrep -P "$(tm display-message -p -t b '#{pane_pid}')" -x surat || true)
[ -n "$pid" ] || pid=$(tm display-message -p -t b '#{pane_pid}')
before=$(tm capture-pane -p -t b | md5sum)
tm send-keys -t b End
i=0
while [ "$(tm capture-pane -p -t b | md5sum)" = "$before" ] && [ $i -lt 12000 ]; do
	sleep 0.005
	i=$((i + 1))
done
t2=$(now_ms)
# Page up and down across the end a few times: paging costs the same anywhere.
for k in 1 2 3 4 5; do tm send-keys -t b PageUp; done
for k in 1 2 3 4 5; do tm send-keys -t b PageDown; done
sleep 0.5
t3=$(now_ms)
rss=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$pid/status" 2>/dev/null || echo "?")
last=$(tm capture-pane -p -t b | tail -4)
tm send-keys -t b q
echo "messages:                  $N"
echo "tmux echo latency (cat):   $base ms (included in the figures below)"
echo "first screen (incl. tmux): $(( t1 - t0 )) ms"
echo "jump to the end:           $(( t2 - t1 )) ms"
echo "10 page moves + 0.5 s:     $(( t3 - t2 )) ms"
echo "peak RSS of surat:         $rss"
echo "last rows:"
echo "$last"

# NeoMutt on the same messages, exported once to a Maildir, opened with its
# header cache warm (one untimed run fills it): it loads the folder and
# quits (push <quit>), so its figure is an upper bound of its first screen.
command -v neomutt >/dev/null || { echo "neomutt not installed: no comparison"; exit 0; }
if [ ! -d "$D/maildir/cur" ]; then
	echo "exporting the folder to $D/maildir for NeoMutt (once)..."
	"$SURAT" --data-dir "$D" export --account demo --folder INBOX \
	    --maildir "$D/maildir" >/dev/null || exit 1
fi
mkdir -p "$D/hcache"
cat >"$D/neomuttrc" <<NEORC
set folder = "$D/maildir"
set spoolfile = "$D/maildir"
set header_cache = "$D/hcache/"
set mail_check_stats = no
set sort = date
push "<quit>"
NEORC
neomutt_once() {	# at most 10 minutes
	rm -f "$D/neomutt.done" "$D/neomutt.rss"
	tm new-session -d -s n -x 120 -y 40 "/usr/bin/time -o $D/neomutt.rss -f %M neomutt -n -F $D/neomuttrc; echo \$? > $D/neomutt.done"
	i=0
	while [ ! -f "$D/neomutt.done" ] && [ $i -lt 120000 ]; do
		sleep 0.005
		i=$((i + 1))
	done
}
neomutt_once
t0=$(now_ms)
neomutt_once
t1=$(now_ms)
echo "NeoMutt, header cache warm: open and quit $(( t1 - t0 )) ms (incl. tmux), peak RSS $(cat "$D/neomutt.rss" 2>/dev/null) kB"
