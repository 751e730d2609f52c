#!/bin/sh
# Bad input to the headless commands: one clear line on stderr, the
# documented exit code, an error object with --json, and nothing changed.
. "$(dirname "$0")/common.sh"

s list
expect 1 "list before any mail is an error"
check "it says what to do" grep -q "surat sync' or 'surat import'" "$TMP/err"

s import --folder INBOX "$DATA/plain.eml"
s nosuchcommand
expect 2 "an unknown command is a usage error"
s show 4242
expect 1 "an unknown id"
check "one line on stderr naming the id" sh -c "[ \$(wc -l < '$TMP/err') = 1 ] && grep -q 'no message with id 4242' '$TMP/err'"
s --json show 4242
expect 1 "an unknown id with --json"
check "an error object on stdout" py 'j["error"]["code"] == "not-found" and j["error"]["exit"] == 1 and "4242" in j["error"]["message"]'
s show 4242 --json
check "--json after the command works too" py '"error" in j'
s --json list --limit many
expect 2 "a bad option value with --json"
check "usage errors are objects too" py 'j["error"]["code"] == "usage" and j["error"]["exit"] == 2'
s show "$DATA/not-a-message.txt"
expect 1 "show of a file that is not a message"
s search 'is:bogus'
expect 2 "a malformed query (unknown is:)"
s search 'before:yesterday'
expect 2 "a malformed query (bad date)"
s search '"unclosed phrase'
expect 2 "a malformed query (open quote)"
s search
expect 2 "search without a query"

before=$(count_all)
s --json list
snap=$(cat "$TMP/out")
s flag 1 4242 +seen
expect 1 "flag with one unknown id"
s --json list
check "nothing changed, not even the known id" [ "$(cat "$TMP/out")" = "$snap" ]
s flag 1 +sparkly
expect 2 "an unknown flag name"
s flag +seen
expect 2 "flag without an id"
s unflag
expect 2 "unflag without an id"
s unflag 4242
expect 1 "unflag of an unknown id"
s move 1
expect 2 "move without a folder"
s move 4242 Elsewhere
expect 1 "move of an unknown id"
s --json folders
check "no folder was made by the failed move" py '"Elsewhere" not in [f["name"] for f in j]'
s delete abc
expect 2 "delete of something that is not an id"
s delete 4242
expect 1 "delete of an unknown id"
check "the store still holds everything" [ "$(count_all)" = "$before" ]

# Bad files to import: one line naming the file, and the store (messages,
# folders) exactly as before, with --json an error object.
s --json folders
fsnap=$(cat "$TMP/out")
s import --folder Bad "$DATA/not-a-message.txt"
expect 1 "import of a file that is not a message"
check "one line on stderr naming the file" sh -c "[ \$(wc -l < '$TMP/err') = 1 ] && grep -q 'not-a-message.txt' '$TMP/err'"
head -c 300 "$DATA/archive.mbox" > "$TMP/truncated.mbox"
s --json import --folder Bad "$DATA/plain.eml" "$TMP/truncated.mbox"
expect 1 "import of a truncated mbox"
check "a parse error object naming the file" py 'j["error"]["code"] == "parse" and "truncated.mbox" in j["error"]["message"]'
s import --folder Bad "$DATA/archive.mbox" "$TMP/no-such.mbox"
expect 1 "import of a missing file after a good one"
s --json list
check "no message was added or changed" [ "$(cat "$TMP/out")" = "$snap" ]
s --json folders
check "no folder was made" [ "$(cat "$TMP/out")" = "$fsnap" ]
s --json search 'from:'
expect 2 "a malformed query (key without a value)"
check "a usage error object" py 'j["error"]["code"] == "usage"'
s search --server 'is:bogus'
expect 2 "a malformed query with --server is a usage error before any network"
: > "$TMP/exists.mbox"
s export --folder INBOX --mbox "$TMP/exists.mbox"
expect 1 "export onto an existing file"
check "the file was left alone" [ ! -s "$TMP/exists.mbox" ]

s list --account nobody
expect 1 "an unknown account"
s list --folder Nowhere
expect 1 "an unknown folder"
s setup
expect 2 "setup without a terminal or options is a usage error"
s setup --email not-an-address --no-test
expect 2 "setup with a bad address"
s setup --email ani@example.invalid --no-test
expect 2 "setup without servers for an unknown domain"
check "setup wrote no config" [ ! -e "$CONF" ]

finish
