#!/bin/sh
# The optional mouse (mouse = yes): a click on the folder list opens that
# folder, a click selects an index row or an attachment and a second
# click opens it, the wheel scrolls the index and text views; without
# the option, nothing changes (no mouse reporting is asked of the
# terminal).  Events are typed as xterm (X10) mouse reports.
. "${top_srcdir:-.}/tests/ui/lib.sh"

D="$T/data"
"$SURAT" --data-dir "$D" demo --no-ui >/dev/null 2>&1 || fail "demo store"
mkdir -p "$T/cfg"
printf '[general]\nmouse = yes\n' >"$T/cfg/on"
printf '[general]\nsidebar = yes\n' >"$T/cfg/off"

# click Y X (0-based): press, then release, as a terminal reports them.
byte() { printf '%02x' "$1"; }
click() {
	tm send-keys -t ui -H 1b 5b 4d 20 "$(byte $(($2 + 33)))" "$(byte $(($1 + 33)))"
	sleep 0.05
	tm send-keys -t ui -H 1b 5b 4d 23 "$(byte $(($2 + 33)))" "$(byte $(($1 + 33)))"
	sleep 0.1
}
wheel() {	# wheel up|down Y X
	b=60; [ "$1" = down ] && b=61
	tm send-keys -t ui -H 1b 5b 4d $b "$(byte $(($3 + 33)))" "$(byte $(($2 + 33)))"
	sleep 0.1
}
# The row of the screen that shows TEXT (0-based).
row_of() { screen | grep -n -F -- "$1" | head -1 | cut -d: -f1 | awk '{print $1 - 1}'; }

tm new-session -d -s ui -x 110 -y 30 \
    "env TERM=tmux-256color LANG=C.UTF-8 MAILCAPS=$T/none $SURAT -c $T/cfg/on -d $D; echo SURAT-EXIT=\$?; sleep 30"
wait_for "demo/INBOX"
wait_for "Mallory"
[ "$(tm display-message -p -t ui '#{mouse_any_flag}')" = 1 ] ||
    fail "mouse = yes did not turn mouse reporting on"

# The folder list: a click opens the folder.
click "$(row_of ' Sent ')" 3
wait_for "demo/Sent"
wait_for "Rapat koordinasi"
click "$(row_of ' INBOX ')" 3
wait_for "demo/INBOX"

# A click selects a row; Enter opens what the click selected.
y=$(row_of "Weekly newsletter")
click "$y" 50
keys Enter
wait_for "All the news that"
keys i
wait_for "demo/INBOX"
# Two clicks on one row open it.
y=$(row_of "Résumé de la réunion")
click "$y" 50
click "$y" 50
wait_for "Bonjour, voici"
keys i
wait_for "demo/INBOX"

# The wheel moves down the index: three rows a notch.
click 1 50
wheel down 5 50
wheel down 5 50
keys Enter
wait_for "Subject:"
sub=$(screen | grep "^Subject:")
keys i
wait_for "demo/INBOX"
screen | sed -n 8p | grep -qF -- "$(echo "$sub" | sed 's/^Subject: //' | cut -c1-20)" ||
    fail "the wheel did not move 6 rows down (opened '$sub')"

# In the attachment list a click selects, a second one views.
y=$(row_of " @ ")
[ -n "$y" ] || fail "no message with attachments on screen"
click "$y" 50
keys v
wait_for "pixel.png"
y=$(row_of "report-q3.csv")
click "$y" 20
click "$y" 20
wait_for "month,sales"
keys q
wait_for "pixel.png"
keys q
wait_for "demo/INBOX"

# The wheel scrolls a text view (the help).
keys "?"
wait_for "Bindings for index"
first=$(screen | sed -n 3p)
wheel down 10 20
wheel down 10 20
[ "$(screen | sed -n 3p)" != "$first" ] || fail "the wheel did not scroll the help"
wheel up 10 20
wheel up 10 20
[ "$(screen | sed -n 3p)" = "$first" ] || fail "the wheel did not scroll back"
keys q
wait_for "demo/INBOX"
keys q
wait_for "SURAT-EXIT=0"
tm kill-server
sleep 0.5

# Without mouse = yes, surat never asks the terminal for mouse reports
# (so the terminal's own selection keeps working).
tm new-session -d -s ui -x 110 -y 30 \
    "env TERM=tmux-256color LANG=C.UTF-8 $SURAT -c $T/cfg/off -d $D; echo SURAT-EXIT=\$?; sleep 30"
wait_for "demo/INBOX"
[ "$(tm display-message -p -t ui '#{mouse_any_flag}')" = 0 ] ||
    fail "mouse reporting turned on without mouse = yes"
keys q
wait_for "SURAT-EXIT=0"
exit 0
