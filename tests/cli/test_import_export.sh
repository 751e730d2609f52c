#!/bin/sh
# surat import and export: .eml, mbox and Maildir in; mbox and Maildir
# out with the same bytes; flags through Maildir names; all-or-nothing
# imports of bad input; no overwriting.
. "$(dirname "$0")/common.sh"

EML="plain.eml reply-attachment.eml html-alternative.eml"

s import --folder INBOX "$DATA/plain.eml" "$DATA/reply-attachment.eml" \
    "$DATA/html-alternative.eml"
expect 0 "import three .eml files"
check "all three stored" [ "$(count_all)" = 3 ]

s --json import --folder Archive "$DATA/archive.mbox"
expect 0 "import an mbox"
check "import --json reports two ids" json_ok
check "import --json count" py 'j["count"] == 2 and len(j["imported"][0]["ids"]) == 2'

# The same mbox again: nothing new, and it says so.
before=$(count_all)
s import --folder Archive "$DATA/archive.mbox"
expect 0 "import the same mbox a second time"
check "no duplicates in the folder" [ "$(count_all)" = "$before" ]
check "the second run reports them as already present" \
    grep -q '0 messages imported into local/Archive, 2 already present' "$TMP/out"
s --json import --folder Twice "$DATA/archive.mbox" "$DATA/plain.eml"
check "--json: nothing present in a new folder" py \
    'j["count"] == 3 and j["already_present"] == 0'
s --json import --folder Twice "$DATA/plain.eml" "$DATA/archive.mbox"
check "--json: already_present per path and in all" py \
    'j["count"] == 0 and j["already_present"] == 3 and [p["already_present"] for p in j["imported"]] == [1, 2]'
s --json list --folder Twice
check "the folder holds each message once" py 'len(j) == 3'

# Maildir out: every file is byte for byte one of the originals.
s export --format maildir --folder INBOX "$TMP/md"
expect 0 "export INBOX as Maildir"
same=0
for f in "$TMP"/md/cur/*; do
	for o in $EML; do
		cmp -s "$f" "$DATA/$o" && same=$((same + 1))
	done
done
check "Maildir files are the original bytes (3 of 3)" [ "$same" = 3 ]

# mbox out, in again, out again: identical files, identical messages.
s export --folder INBOX "$TMP/one.mbox"
expect 0 "export INBOX as mbox"
check "the message with a From_-like body line is quoted" \
    grep -q '^>From the desk of Ani' "$TMP/one.mbox"
s import --folder Again "$TMP/one.mbox"
expect 0 "import the exported mbox"
s export --folder Again "$TMP/two.mbox"
expect 0 "export it again"
check "mbox round trip is byte-identical" cmp -s "$TMP/one.mbox" \
    "$TMP/two.mbox"
s export --format maildir --folder Again "$TMP/md2"
same=0
for f in "$TMP"/md2/cur/*; do
	for o in $EML; do
		cmp -s "$f" "$DATA/$o" && same=$((same + 1))
	done
done
check "messages through mbox and back are the original bytes" [ "$same" = 3 ]

s export --folder Archive "$TMP/archive.mbox"
check "an mboxrd file exports back to the same bytes" cmp -s \
    "$DATA/archive.mbox" "$TMP/archive.mbox"

# Flags go out in Maildir names and come back.
s --json list --folder Archive
check "Status/X-Status read on import" py \
    '[m["flags"] for m in j if m["subject"] == "Arsip lama satu"] == [["\\Seen", "\\Flagged"]]'
s export --format maildir --folder Archive "$TMP/md3"
check "Maildir names carry the flags" sh -c "ls '$TMP/md3/cur' | grep -q ':2,FS\$'"
s import --folder Back "$TMP/md3"
expect 0 "import a Maildir"
s --json list --folder Back
check "flags came back from the Maildir names" py \
    'sorted(tuple(m["flags"]) for m in j) == [(), ("\\Seen", "\\Flagged")]'

# Never overwrite.
s export --folder INBOX "$TMP/one.mbox"
expect 1 "export refuses to overwrite a file"

# Everything or nothing.
before=$(count_all)
head -c 300 "$DATA/archive.mbox" > "$TMP/truncated.mbox"
s import --folder Bad "$DATA/plain.eml" "$TMP/truncated.mbox"
expect 1 "a truncated mbox is an error"
check "the error names the file" grep -q 'truncated.mbox' "$TMP/err"
check "nothing was stored (not even the good file)" [ "$(count_all)" = "$before" ]
s import "$DATA/not-a-message.txt"
expect 1 "a file that is not a message is an error"
check "it says so" grep -q 'not a mail message' "$TMP/err"
s import "$TMP/no-such-file"
expect 1 "a missing file is an error"
mkdir -p "$TMP/plain-dir"
s import "$TMP/plain-dir"
expect 1 "a directory that is not a Maildir is an error"
check "still nothing more stored" [ "$(count_all)" = "$before" ]
s import
expect 2 "import without a path is a usage error"
s export
expect 2 "export without a destination is a usage error"
s export --format tar "$TMP/x"
expect 2 "export with an unknown format is a usage error"

# Standard input, and every folder at once.
s import --folder Stdin - < "$DATA/plain.eml"
expect 0 "import from standard input"
s export --format maildir "$TMP/all"
expect 0 "export every folder"
check "one Maildir per folder under DEST/ACCOUNT/" \
    [ -d "$TMP/all/local/INBOX/cur" -a -d "$TMP/all/local/Stdin/cur" ]

finish
