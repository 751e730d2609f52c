#!/bin/sh
# The Indonesian catalog reaches the screen: surat --help and an error under
# LANG=id_ID.UTF-8 come out in Indonesian, and in English under LANG=C.  The
# locale is compiled into a private directory (LOCPATH), so the machine
# needs no generated locales, and the catalog is taken from the build.
set -u
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
surat=$builddir/src/surat

gmo=
for d in "$builddir/po" "$srcdir/po"; do
	[ -f "$d/id.gmo" ] && { gmo=$d/id.gmo; break; }
done
[ -n "$gmo" ] || { echo "SKIP: no po/id.gmo (built without NLS?)"; exit 77; }
command -v localedef >/dev/null 2>&1 &&
    [ -f /usr/share/i18n/locales/id_ID ] ||
    { echo "SKIP: localedef or the id_ID locale source is missing (package locales)"; exit 77; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/loc"
# localedef exits 1 on mere warnings; what counts is the compiled locale.
localedef -i id_ID -f UTF-8 "$tmp/loc/id_ID.UTF-8" >/dev/null 2>&1
[ -f "$tmp/loc/id_ID.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ] ||
    { echo "SKIP: localedef failed"; exit 77; }
mkdir -p "$tmp/mo/id/LC_MESSAGES"
cp "$gmo" "$tmp/mo/id/LC_MESSAGES/surat.mo"

fail=0
expect() {
	what=$1 pattern=$2 text=$3
	if printf '%s\n' "$text" | grep -q -- "$pattern"; then
		echo "ok: $what"
	else
		echo "FAIL: $what: no '$pattern' in:"
		printf '%s\n' "$text" | head -5
		fail=1
	fi
}

# glibc's setlocale() keeps a small allocation when locales come from
# LOCPATH; that is not surat's leak, so LeakSanitizer looks away here.
run_id() {
	env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LOCPATH="$tmp/loc" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    LANG=id_ID.UTF-8 SURAT_LOCALEDIR="$tmp/mo" "$surat" "$@" 2>&1
}
run_c() {
	env -u LC_ALL -u LANGUAGE -u LC_MESSAGES LANG=C \
	    SURAT_LOCALEDIR="$tmp/mo" "$surat" "$@" 2>&1
}

expect "help in Indonesian" "Pemakaian: surat" "$(run_id --help)"
expect "error in Indonesian" "perintah 'tidak-ada' tidak dikenal" \
    "$(run_id tidak-ada)"
expect "help in English" "Usage: surat" "$(run_c --help)"
expect "error in English" "unknown command 'tidak-ada'" "$(run_c tidak-ada)"
exit $fail
