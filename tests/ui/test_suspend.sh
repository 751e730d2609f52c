#!/bin/sh
# Ctrl-Z stops surat under a job-control shell and fg brings the screen
# back; an external $EDITOR runs with the terminal and the screen is
# restored after it.
. "${top_srcdir:-.}/tests/ui/lib.sh"
command -v bash >/dev/null 2>&1 || { echo "no bash: skip"; exit 77; }

D="$T/data"
"$SURAT" --data-dir "$D" --demo </dev/null >/dev/null 2>&1 || fail "demo store"
printf '#!/bin/sh\necho edited-by-editor >>"$1"\n' >"$T/editor"
chmod +x "$T/editor"
tm new-session -d -s ui -x 100 -y 24 "env TERM=tmux-256color bash --norc --noprofile -i"
sleep 0.5
keys "PS1='sh> '; export EDITOR=$T/editor" Enter
keys "$SURAT --data-dir $D --demo" Enter
wait_for "demo/INBOX"
keys C-z
wait_for "Stopped"
keys "fg" Enter
wait_for "demo/INBOX"
screen | grep -q "Stopped" && fail "screen not restored after fg"

# The external editor: the body comes back, the screen too.
keys m
wait_for "To:"
keys "dan@example.com" Enter
wait_for "Subject:"
keys "Via the editor" Enter
wait_for "edited-by-editor"
wait_for "Via the editor"
keys q
wait_for "Abort this message?"
keys y
wait_for "aborted"
keys q
keys 'echo "RC=$?"' Enter
wait_for "RC=0"
exit 0
