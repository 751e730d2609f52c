#!/bin/sh
# The foundation's promises about bad surroundings, checked on the real
# binary: a missing or malformed configuration, a data directory that
# cannot be created, a store another surat holds, and a damaged, cut
# short, foreign or newer database file each give a clear message and a
# non-zero exit, and leave nothing half-written or overwritten.
set -u
surat=$(cd "${top_builddir:-.}" && pwd)/src/surat
tmp=$(mktemp -d) || exit 99
sock="surat-err-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0

# expect WHAT PATTERN CMD...: CMD fails (exit 1) and says PATTERN.
expect() {
	what=$1 pattern=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q -- "$pattern"; then
		echo "ok: $what (exit $rc): $out"
	else
		echo "FAIL: $what: exit $rc, wanted '$pattern', got: $out"
		fail=1
	fi
}

cat >"$tmp/m.eml" <<EOM
From: Budi <budi@example.test>
To: Dewi <dewi@example.test>
Subject: hello
Date: Mon, 23 Nov 2026 10:00:00 +0700
Message-ID: <check-errors@example.test>

Hi.
EOM

expect "missing configuration" "no configuration at $tmp/none; run 'surat setup'" \
    "$surat" --config "$tmp/none" --data-dir "$tmp/d1" sync
printf '[account x]\nemail = budi@example.test\nincoming = imaps://h:99999\n' \
    >"$tmp/bad.conf"
expect "malformed configuration" "$tmp/bad.conf:3: incoming: expected a port" \
    "$surat" --config "$tmp/bad.conf" --data-dir "$tmp/d1" sync
[ -e "$tmp/d1" ] && { echo "FAIL: a store was created for a bad config"; fail=1; }

: >"$tmp/afile"
expect "data directory under a file" "$tmp/afile/sub: cannot create directory" \
    "$surat" --data-dir "$tmp/afile/sub" import "$tmp/m.eml"

# A second writer while another surat holds the store.
if command -v tmux >/dev/null 2>&1; then
	tmux -L "$sock" new-session -d -x 100 -y 30 \
	    "LANG=C.UTF-8 '$surat' --data-dir '$tmp/held' --demo; sleep 30"
	i=0
	while [ $i -lt 100 ] && ! tmux -L "$sock" capture-pane -p | grep -q 'Msgs:'; do
		sleep 0.1
		i=$((i + 1))
	done
	before=$(ls -l "$tmp/held")
	expect "store held by another surat" "store is in use by process [0-9]" \
	    "$surat" --data-dir "$tmp/held" import "$tmp/m.eml"
	[ "$before" = "$(ls -l "$tmp/held")" ] ||
	    { echo "FAIL: the held store's files changed"; fail=1; }
else
	echo "note: no tmux; the held-store case was not run"
fi

# Damaged or foreign database files: every command that opens the store
# (import and sync write, list reads, the reader without a terminal prints
# a summary) refuses each with a clear message and exit 1, and the file
# stays byte for byte what it was.
printf '[account x]\nemail = budi@example.test\nincoming = imaps://127.0.0.1:1\npassword = x\n' \
    >"$tmp/unreach.conf"
chmod 600 "$tmp/unreach.conf"
"$surat" --data-dir "$tmp/src" import "$tmp/m.eml" >/dev/null 2>&1 ||
    { echo "FAIL: import into a fresh store"; fail=1; }
bad_db() {	# NAME PATTERN: surat.db in $tmp/NAME is refused, untouched
	name=$1 pattern=$2
	sum=$(cksum <"$tmp/$name/surat.db")
	for cmd in "import $tmp/m.eml" list sync ""; do
		# shellcheck disable=SC2086
		expect "$name database: surat ${cmd:-(reader)}" "$pattern" \
		    "$surat" --config "$tmp/unreach.conf" --data-dir "$tmp/$name" \
		    $cmd </dev/null
		[ "$sum" = "$(cksum <"$tmp/$name/surat.db")" ] || {
			echo "FAIL: surat ${cmd:-(reader)} changed the $name database"
			fail=1
			sum=$(cksum <"$tmp/$name/surat.db")
		}
	done
}
mkdir "$tmp/garbage" "$tmp/short" "$tmp/foreign" "$tmp/newer" "$tmp/bigcut"
head -c 300000 /dev/urandom >"$tmp/garbage/surat.db"
bad_db garbage "database is damaged: file is not a database"
head -c 20000 "$tmp/src/surat.db" >"$tmp/short/surat.db"
bad_db short "database is damaged"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$tmp/foreign/surat.db" "CREATE TABLE notes (t TEXT);
	    INSERT INTO notes VALUES ('not mail')"
	bad_db foreign "not a surat store (another program's database?)"
	# A store from a newer surat, not in WAL mode: even the switch to
	# WAL would rewrite its header.
	cp "$tmp/src/surat.db" "$tmp/newer/surat.db"
	sqlite3 "$tmp/newer/surat.db" "PRAGMA journal_mode = DELETE;
	    PRAGMA user_version = 99" >/dev/null
	bad_db newer "created by a newer surat (schema version 99"
	# Too big for the quick_check on open, then cut short (SQLite
	# compares the header's page count with the file's size).
	cp "$tmp/src/surat.db" "$tmp/bigcut/surat.db"
	sqlite3 "$tmp/bigcut/surat.db" "PRAGMA journal_mode = DELETE;
	    INSERT INTO body_chunks (msg, seq, data) SELECT id, 99,
	    zeroblob(6000000) FROM messages" >/dev/null
	truncate -s 5000000 "$tmp/bigcut/surat.db"
	bad_db bigcut "database is damaged: database disk image is malformed"
else
	echo "note: no sqlite3; foreign, newer and cut-short files not tried"
fi

# And the good path still works, with private files.
"$surat" --data-dir "$tmp/ok" import "$tmp/m.eml" >/dev/null 2>&1 ||
    { echo "FAIL: import into a fresh store"; fail=1; }
[ "$(stat -c %a "$tmp/ok/surat.db")" = 600 ] ||
    { echo "FAIL: surat.db is not 0600"; fail=1; }
exit $fail
