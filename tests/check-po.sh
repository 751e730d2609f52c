#!/bin/sh
# Fails when a string marked for translation in the sources has no
# Indonesian translation in po/id.po (or only a fuzzy one), so the
# translation cannot silently fall behind the code.
srcdir=${top_srcdir:-$(dirname "$0")/..}
command -v xgettext >/dev/null 2>&1 || { echo "xgettext missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$srcdir/po/POTFILES.in")
# A source file with marked strings that POTFILES.in forgets would escape
# both the catalog and this check.
unlisted=$(cd "$srcdir" && for f in src/*.c src/*/*.c; do
	grep -q -e '_("' -e 'ngettext' "$f" 2>/dev/null || continue
	printf '%s\n' $files | grep -qx "$f" || echo "$f"
done)
if [ -n "$unlisted" ]; then
	echo "po/POTFILES.in misses files with marked strings:"
	echo "$unlisted"
	exit 1
fi
(cd "$srcdir" && xgettext --keyword=_ --keyword=N_ --keyword=ngettext_:1,2 \
    --from-code=UTF-8 --language=C -o "$tmp/surat.pot" $files) || exit 1
msgmerge --quiet -o "$tmp/id.po" "$srcdir/po/id.po" "$tmp/surat.pot" || exit 1
stats=$(msgfmt --statistics -o /dev/null "$tmp/id.po" 2>&1)
echo "po/id.po: $stats"
missing=$(msgattrib --untranslated --no-obsolete "$tmp/id.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/id.po" | grep -c '^msgid ' || true)
# msgattrib prints the header entry too when there is anything at all.
[ "$missing" -gt 0 ] && missing=$((missing - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
if [ "$missing" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
	echo "po/id.po lacks $missing translations and has $fuzzy fuzzy ones:"
	msgattrib --untranslated --no-obsolete "$tmp/id.po" | grep '^msgid ' | sed -n '2,40p'
	echo "Update with: make -C po update-po, then translate po/id.po."
	exit 1
fi
exit 0
