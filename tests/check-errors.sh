#!/bin/sh
# The foundation's promises about bad surroundings, checked on the real
# binary: a missing or malformed configuration, a data directory that
# cannot be created, and a store another surat holds each give a clear
# message and a non-zero exit, and leave nothing half-written.
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

# And the good path still works, with private files.
"$surat" --data-dir "$tmp/ok" import "$tmp/m.eml" >/dev/null 2>&1 ||
    { echo "FAIL: import into a fresh store"; fail=1; }
[ "$(stat -c %a "$tmp/ok/surat.db")" = 600 ] ||
    { echo "FAIL: surat.db is not 0600"; fail=1; }
exit $fail
