#!/bin/sh
# Attachments through mailcap in tmux: a needsterminal viewer gets the
# terminal and the screen comes back; copiousoutput lands in the pager
# sanitized; a windowed viewer runs in the background and its file goes
# when it ends; "open" without an entry uses $SURAT_OPENER; "save" writes
# the bytes.  The attachments have hostile names: the viewers get files
# named by us (0600, in a 0700 directory), nothing the names say runs,
# and no temporary file is left afterwards.
. "${top_srcdir:-.}/tests/ui/lib.sh"

D="$T/data"
mkdir -p "$T/home" "$T/cwd" "$T/tmp" "$T/cfg"
echo "# mine" >"$T/home/.bashrc"
cp "$T/home/.bashrc" "$T/bashrc.orig"
head -c 3000 /dev/urandom >"$T/blob.bin"
printf 'col1,col2\n1,\033]0;owned\007two\033[2J\n' >"$T/table.csv"
printf '%%PDF-1.4 pretend\n' >"$T/doc.pdf"
printf '\211PNG fake image\n' >"$T/img.png"

b64() { base64 -w 76 "$1"; }
{
	printf 'From: Mallory <mallory@example.test>\nTo: you@example.test\n'
	printf 'Subject: Lampiran berbahaya\nMessage-ID: <att@example.test>\n'
	printf 'Date: Mon, 23 Nov 2026 10:00:00 +0700\nMIME-Version: 1.0\n'
	printf 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
	printf 'Content-Type: text/plain\n\nLihat lampiran.\n--b\n'
	printf 'Content-Type: application/x-surat-test; name="$(touch pwned).dat"\n'
	printf 'Content-Disposition: attachment; filename="$(touch pwned).dat"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'; b64 "$T/blob.bin"
	printf -- '--b\nContent-Type: text/csv; name=";rm -rf ~;.csv"\n'
	printf 'Content-Disposition: attachment; filename=";rm -rf ~;.csv"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'; b64 "$T/table.csv"
	printf -- '--b\nContent-Type: image/png\n'
	printf 'Content-Disposition: attachment; filename="../../.bashrc"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'; b64 "$T/img.png"
	printf -- '--b\nContent-Type: application/pdf\n'
	printf 'Content-Disposition: attachment; filename="`touch pwned`.pdf"\n'
	printf 'Content-Transfer-Encoding: base64\n\n'; b64 "$T/doc.pdf"
	printf -- '--b--\n'
} >"$T/msg.eml"
"$SURAT" --data-dir "$D" import --folder INBOX "$T/msg.eml" >/dev/null ||
    fail "import"
printf '[general]\nsidebar = no\n' >"$T/cfg/config"

# Viewers: each notes the path it got and what it saw there.
cat >"$T/term-viewer" <<EOF
#!/bin/sh
echo "\$1" >"$T/term-path"
stat -c '%a' "\$1" "\$(dirname "\$1")" >"$T/term-modes"
cmp -s "\$1" "$T/blob.bin" && echo same >"$T/term-same"
echo "TERMINAL VIEWER RUNNING"
read x
EOF
cat >"$T/csv-viewer" <<EOF
#!/bin/sh
echo "\$1" >"$T/csv-path"
echo "CSV FROM VIEWER"
cat "\$1"
EOF
# The copies appear whole (a rename), so a test that sees the file never
# compares half of it.
cat >"$T/bg-viewer" <<EOF
#!/bin/sh
echo "\$1" >"$T/bg-path"
cp "\$1" "$T/bg-copy.part" && mv "$T/bg-copy.part" "$T/bg-copy"
sleep 1
EOF
cat >"$T/opener" <<EOF
#!/bin/sh
echo "\$1" >"$T/open-path"
cp "\$1" "$T/open-copy.part" && mv "$T/open-copy.part" "$T/open-copy"
EOF
chmod +x "$T/term-viewer" "$T/csv-viewer" "$T/bg-viewer" "$T/opener"
cat >"$T/mailcap" <<EOF
# The tests' own entries only.
application/x-surat-test; $T/term-viewer %s; needsterminal
text/csv; $T/csv-viewer %s; copiousoutput
image/png; $T/bg-viewer %s; test=test -r %s
application/pdf; false %s; copiousoutput
EOF

tm new-session -d -s ui -x 100 -y 30 -c "$T/cwd" \
    "env TERM=tmux-256color LANG=C.UTF-8 HOME=$T/home TMPDIR=$T/tmp \
    MAILCAPS=$T/mailcap SURAT_OPENER=$T/opener \
    $SURAT -c $T/cfg/config -d $D; echo SURAT-EXIT=\$?; sleep 30"
wait_for "Lampiran berbahaya"
keys v
wait_for "attachments: 4"
wait_for "application/x-surat-test"
screen | grep -q "touch pwned" || fail "the names are not listed"

# needsterminal: curses steps aside, the viewer has the terminal.
keys Enter
wait_for "TERMINAL VIEWER RUNNING"
screen | grep -q "attachments: 4" && fail "the list stayed on screen"
keys Enter
wait_for "attachments: 4"
wait_for "application/x-surat-test"
[ "$(sed -n 1p "$T/term-modes")" = 600 ] || fail "file mode $(cat "$T/term-modes")"
[ "$(sed -n 2p "$T/term-modes")" = 700 ] || fail "dir mode $(cat "$T/term-modes")"
[ -f "$T/term-same" ] || fail "the viewer did not get the attachment's bytes"
p=$(cat "$T/term-path")
case "$(basename "$p")" in
surat-??????.dat) ;;
*) fail "viewer file named '$p'" ;;
esac
[ -e "$p" ] && fail "the viewer's file is still there: $p"

# copiousoutput: shown in the pager, escapes gone.
keys j Enter
wait_for "CSV FROM VIEWER"
wait_for "col1,col2"
title=$(tm display-message -p -t ui '#{pane_title}')
case "$title" in *owned*) fail "the viewer's output set the title";; esac
case "$(basename "$(cat "$T/csv-path")")" in
surat-??????.csv) ;;
*) fail "csv file named '$(cat "$T/csv-path")'" ;;
esac
keys q
wait_for "attachments: 4"

# A windowed viewer runs in the background; its file goes when it ends.
keys j Enter
wait_for "Started the viewer"
i=0
while [ ! -f "$T/bg-copy" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cmp -s "$T/bg-copy" "$T/img.png" || fail "background viewer got other bytes"
bgp=$(cat "$T/bg-path")
case "$(basename "$bgp")" in
surat-??????.bashrc) ;;
*) fail "png file named '$bgp'" ;;
esac
i=0
while [ -e "$bgp" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$bgp" ] && fail "the background viewer's file stayed"

# open: only a copiousoutput entry for PDF, so the opener gets it.
keys j o
wait_for "Opened"
i=0
while [ ! -f "$T/open-copy" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cmp -s "$T/open-copy" "$T/doc.pdf" || fail "the opener got other bytes"

# view on a type with no usable entry says so.
keys Enter
wait_for "exited with status"

# save: the bytes, under the safe name offered.
keys k k k s
wait_for "Save to file:"
keys C-u "$T/saved.dat" Enter
wait_for "Saved"
cmp -s "$T/saved.dat" "$T/blob.bin" || fail "saved bytes differ"

keys q q
wait_for "SURAT-EXIT=0"
[ -e "$T/cwd/pwned" ] || [ -e "$T/pwned" ] || [ -e "$T/home/pwned" ] &&
    fail "a name ran as a command"
cmp -s "$T/home/.bashrc" "$T/bashrc.orig" || fail ".bashrc changed"
[ -z "$(ls -A "$T/tmp")" ] || fail "temporary files left: $(ls -AR "$T/tmp")"
exit 0
