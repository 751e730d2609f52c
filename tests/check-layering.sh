#!/bin/sh
# Checks the #include arrows between modules against the table in
# doc/DESIGN.md: protocol code never sees SQLite or curses, the
# UI never speaks a protocol, and only store/ touches SQL.
srcdir=${top_srcdir:-$(dirname "$0")/..}/src
status=0
out=$(mktemp)

allowed() {
	case $1 in
	util)   echo "util" ;;
	net)    echo "util net" ;;
	mime)   echo "util mime" ;;
	imap)   echo "util net imap" ;;
	pop3)   echo "util net pop3" ;;
	smtp)   echo "util net smtp" ;;
	store)  echo "util mime store" ;;
	config) echo "util net config" ;;
	sync)   echo "util net mime imap pop3 smtp store config sync" ;;
	ui)     echo "util mime store sync config ui" ;;
	esac
}

# Third-party headers that belong to one module only.
external_owner() {
	case $1 in
	sqlite3.h) echo store ;;
	curses.h|ncurses.h|ncursesw/*) echo ui ;;
	esac
}

for dir in "$srcdir"/*/; do
	mod=$(basename "$dir")
	ok=$(allowed "$mod")
	[ -n "$ok" ] || { echo "unknown module src/$mod: add it to $0"; status=1; continue; }
	for f in "$dir"*.c "$dir"*.h; do
		[ -f "$f" ] || continue
		grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$f" |
		sed -E 's/^[^<"]*[<"]([^>"]*)[>"].*/\1/' |
		while read -r inc; do
			case $inc in
			*/*) target=${inc%%/*} ;;
			*) target= ;;
			esac
			owner=$(external_owner "$inc")
			if [ -n "$owner" ] && [ "$owner" != "$mod" ]; then
				echo "src/$mod/$(basename "$f"): includes <$inc>, which only src/$owner may use"
				echo fail
			fi
			[ -n "$target" ] && [ -d "$srcdir/$target" ] || continue
			case " $ok " in
			*" $target "*) ;;
			*) echo "src/$mod/$(basename "$f"): includes $inc, but $mod may use only: $ok"
			   echo fail ;;
			esac
		done
	done
done > "$out" 2>&1
if grep -q "^fail$" "$out"; then
	grep -v "^fail$" "$out"
	status=1
fi
rm -f "$out"
exit $status
