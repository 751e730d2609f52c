#!/bin/sh
# The demo mailbox in tmux: open, navigate, read, hostile message harmless,
# CJK and emoji aligned, search, flags, delete and undo, help, resize down
# to a tiny terminal, compose into the outbox, quit cleanly.
. "${top_srcdir:-.}/tests/ui/lib.sh"

D="$T/data"
# Without a terminal the demo prints the index and exits.
"$SURAT" --data-dir "$D" --demo </dev/null >"$T/summary" 2>&1 ||
    fail "--demo without a terminal failed"
grep -q "Invoice" "$T/summary" || fail "no summary: $(cat "$T/summary")"
if LC_ALL=C grep -q "$(printf '\033')" "$T/summary"; then
	fail "raw escape in the non-terminal summary"
fi

start 110 32 --data-dir "$D" --demo
wait_for "demo/INBOX"
wait_for "Mallory"

# No core file could hold a password: the core size limit is zero.
ppid=$(tm display-message -p -t ui '#{pane_pid}')
pid=
for st in /proc/[0-9]*/stat; do
	# Field 4 of stat, after the ")" that ends the command name.
	set -- $(sed 's/^.*) //' "$st" 2>/dev/null)
	[ "${2:-}" = "$ppid" ] && { pid=${st#/proc/}; pid=${pid%/stat}; break; }
done
[ -n "$pid" ] || fail "no surat process under the tmux pane"
grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits" ||
    fail "core dumps allowed: $(grep core "/proc/$pid/limits")"
screen | grep -q "INBOX" || fail "no folder list"

# The hostile message neither retitled the terminal nor cleared it.
title=$(tm display-message -p -t ui '#{pane_title}')
case "$title" in *owned*) fail "terminal title changed to '$title'";; esac

# Every index line ends in the same column (wide characters counted).
screen | grep -E '(K|[0-9])$' | grep -E ' (N|r| ) ' >"$T/rows"
[ "$(wc -l <"$T/rows")" -ge 20 ] || fail "too few index rows"
widths=$(while IFS= read -r l; do printf '%s\n' "$l" | wc -L; done <"$T/rows" | sort -u)
[ "$(echo "$widths" | wc -l)" -eq 1 ] || fail "ragged index lines: $widths"
grep -q "田中太郎" "$T/rows" || fail "no CJK sender in the index"

# Read the hostile message: headers and body, no escapes drawn.
keys Enter
wait_for "Please pay now"
wait_for "Subject:"
title=$(tm display-message -p -t ui '#{pane_title}')
case "$title" in *owned*) fail "pager changed the title";; esac
keys h
wait_for "all headers"
keys q
wait_for "demo/INBOX"

# Navigate down and open a CJK-subject thread message; back again.
keys j j j
keys Enter
wait_for "From:"
keys i
wait_for "demo/INBOX"

# Flag, delete, undo.
keys =
keys F
wait_for "│  F "
keys d
wait_for " D"
keys u
wait_for "undone"

# Search, as a virtual folder.
keys /
wait_for "Search"
keys "Résumé" Enter
wait_for "search: "
wait_gone "Weekly newsletter"
wait_for "Résumé de la réunion"
keys q
wait_for "Weekly newsletter"

# Help lists the bindings.
keys "?"
wait_for "Bindings for index"
keys q
wait_for "demo/INBOX"

# Sidebar toggle and folder change.
keys B
sleep 0.3
keys B

# Resize: narrow (no sidebar), tiny, back.
tm resize-window -t ui -x 50 -y 20
sleep 0.5
wait_for "Invoice"
screen | grep -q "Drafts" && fail "sidebar kept at 50 columns"
tm resize-window -t ui -x 20 -y 5
sleep 0.5
screen >/dev/null
tm resize-window -t ui -x 110 -y 32
wait_for "demo/INBOX"
wait_for "Drafts"

# Compose with the built-in editor, send to the outbox.
keys m
wait_for "To:"
keys "bob@example.com" Enter
wait_for "Subject:"
keys "Hello from the test" Enter
wait_for "Built-in editor"
keys "First line of the body." Enter "Second line 日本語." C-x
wait_for "Hello from the test"
wait_for "Second line"
keys y
wait_for "outbox"

wait_for "outbox: 1"
screen | grep -q "offline" || fail "no offline state in the status line"

# Reply through the MIME helpers: recipient, Re: subject, quoted text.
keys =
keys j
keys r
wait_for "Built-in editor"
wait_for "> Bonjour"
keys "Merci." C-x
wait_for "Re: Résumé de la réunion"
wait_for "jose@ejemplo.es"
keys y
wait_for "outbox: 2"

# Postpone a draft, recall it.
keys m
wait_for "To:"
keys "carol@example.com" Enter
wait_for "Subject:"
keys "Half-written" Enter
wait_for "Built-in editor"
keys "To be continued" C-x
wait_for "Half-written"
keys P
wait_for "postponed"
keys R
wait_for "carol@example.com"
wait_for "To be continued"
keys q
wait_for "Abort this message?"
keys y
wait_for "aborted"

# Quit.
keys q
wait_for "SURAT-EXIT=0"
exit 0
