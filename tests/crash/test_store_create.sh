#!/bin/sh
# Crash safety of store creation: surat killed while it creates a new store
# (at each named point inside creation, then at random moments) leaves
# either no store or a whole one.  The next start must not say "needs an
# upgrade", "damaged" or anything else odd, must make no backup of a store
# that never held mail, and must create the store and import as usual.
# The named points are SIGKILLs raised by the store itself when
# SURAT_TEST_CRASH_AT names them (see schema_crash_point()).
set -u
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
[ -x "$surat" ] || { echo "no $surat" >&2; exit 99; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

cat >"$tmp/m.eml" <<EOM
From: Budi <budi@example.test>
To: Dewi <dewi@example.test>
Subject: created
Date: Mon, 23 Nov 2026 10:00:00 +0700
Message-ID: <store-create@example.test>

Hi.
EOM

# after_kill WHAT DIR: the store in DIR, left by a killed creation, reads
# as "no mail here yet" (or, if the kill came after the rename, as a whole
# empty store), and a new start imports into it without a word more.
after_kill() {
	what=$1 d=$2
	out=$("$surat" --data-dir "$d" folders 2>&1)
	if printf '%s\n' "$out" | grep -Eqi 'upgrade|damaged|version|not a surat'; then
		bad "$what: a read after the kill says: $out"
	fi
	out=$("$surat" --data-dir "$d" import "$tmp/m.eml" 2>&1)
	rc=$?
	# A kill after the first import committed: import skips the copy.
	if [ $rc -ne 0 ] || { [ "$out" != "$tmp/m.eml: 1 message imported into local/Imported" ] &&
	    [ "$out" != "$tmp/m.eml: 0 messages imported into local/Imported, 1 already present" ]; }; then
		bad "$what: the next import (exit $rc) says: $out"
	fi
	n=$("$surat" --data-dir "$d" folders 2>&1 |
	    awk '$1 == "local" && $2 == "Imported" { print $4 }')
	[ "${n:-0}" = 1 ] || bad "$what: the folder holds ${n:-0} copies, not 1"
	ls "$d" | grep -q '\.bak$' && bad "$what: a backup of an empty store was made"
	[ -e "$d/surat.db.new" ] && bad "$what: the temporary file was left"
	[ "$(stat -c %a "$d/surat.db" 2>/dev/null)" = 600 ] ||
	    bad "$what: surat.db is not 0600"
}

# 1. At each point inside creation.
for p in create-file migrate-1 migrate-2 create-rename; do
	d=$tmp/at-$p
	SURAT_TEST_CRASH_AT=$p "$surat" --data-dir "$d" import "$tmp/m.eml" \
	    >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 137 ]; then
		bad "$p: not killed there (exit $rc): $(cat "$tmp/out")"
		continue
	fi
	was=$fail
	fail=0
	after_kill "killed at $p" "$d"
	[ $fail = 0 ] &&
	    echo "ok: killed at $p, the next start creates the store cleanly"
	fail=$((fail | was))
done

# 2. At random moments of a first import (SIGKILL after 0-40 ms).
i=0 hits=0
while [ $i -lt 20 ]; do
	d=$tmp/rand-$i
	"$surat" --data-dir "$d" import "$tmp/m.eml" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%.3f", rand() * 0.04 }')"
	kill -KILL "$pid" 2>/dev/null && hits=$((hits + 1))
	wait "$pid" 2>/dev/null
	# Killed after the import: the message is there once already.
	after_kill "random kill $i" "$d"
	i=$((i + 1))
done
echo "ok: $hits of 20 random kills hit a running first import"
exit $fail
