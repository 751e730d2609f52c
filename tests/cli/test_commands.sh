#!/bin/sh
# surat list, show, search, flag, read/unread, move, copy, delete,
# folders, accounts and pending, as text and as JSON (doc/json.md), on a
# store filled by import; for an IMAP account the changes are queued.
. "$(dirname "$0")/common.sh"

s import --folder INBOX "$DATA/plain.eml" "$DATA/reply-attachment.eml" \
    "$DATA/html-alternative.eml"
expect 0 "import three messages"

# ---- list
s list
expect 0 "list (text)"
check "list shows three rows" [ "$(wc -l < "$TMP/out")" = 3 ]
check "newest first" sh -c "head -1 '$TMP/out' | grep -q 'Weekly digest'"
check "decoded subject in the text listing" grep -q 'Re: Rapat besok pagi — café' "$TMP/out"
s list --json
expect 0 "list --json"
check "list --json is valid JSON" json_ok
check "every row has the documented keys" py 'all(set(["id", "account", "folder", "uid", "uidl", "message_id", "date", "from", "to", "cc", "subject", "flags", "size", "has_attachments", "body", "thread_id", "in_reply_to"]) <= set(m) for m in j)'
check "three rows, newest first" py '[m["subject"] for m in j] == ["Weekly digest: gardening", "Re: Rapat besok pagi — café", "Rapat besok pagi"]'
check "row values: uid/uidl null, account, folder, size, attachment" py '
[(m["uid"], m["uidl"], m["account"], m["folder"], m["has_attachments"], m["size"]) for m in j][1] == (None, None, "local", "INBOX", True, 842)'
check "dates in RFC 3339 with the sender offset" py '[m["date"] for m in j] == ["2024-02-02T23:59:59-05:00", "2024-02-01T08:15:30Z", "2024-01-31T10:00:00+07:00"]'
check "from and to are decoded address objects" py 'j[1]["from"] == {"name": "Budi Söderberg", "address": "budi@example.net"} and j[2]["to"] == [{"name": "Budi", "address": "budi@example.net"}, {"name": None, "address": "tim@example.net"}]'
check "message_id without brackets; thread shared with the reply" py 'j[2]["message_id"] == "20240131100000.1@example.org" and j[1]["in_reply_to"] == j[2]["message_id"] and j[1]["thread_id"] == j[2]["thread_id"]'
s --json list --limit 1
check "--limit 1 gives one row" py 'len(j) == 1'
s list --limit x
expect 2 "--limit needs a number"
s --json list
ID_PLAIN=$(python3 -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1])) if m["subject"] == "Rapat besok pagi"][0])' "$TMP/out")
ID_REPLY=$(python3 -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1])) if m["has_attachments"]][0])' "$TMP/out")
ID_HTML=$(python3 -c 'import json,sys; print([m["id"] for m in json.load(open(sys.argv[1])) if "Weekly" in m["subject"]][0])' "$TMP/out")

# ---- show
s show "$ID_PLAIN"
expect 0 "show ID (rendered)"
check "rendered header summary" grep -q '^Subject: Rapat besok pagi' "$TMP/out"
check "rendered body" grep -q 'Rapat besok jam 9' "$TMP/out"
s show --raw "$ID_REPLY"
expect 0 "show --raw"
check "--raw gives the stored bytes" cmp -s "$TMP/out" "$DATA/reply-attachment.eml"
s show --headers "$ID_REPLY"
expect 0 "show --headers"
check "--headers decodes RFC 2047" grep -q '^Subject: Re: Rapat besok pagi — café' "$TMP/out"
check "--headers shows every field" grep -q '^References: ' "$TMP/out"
s show "$ID_REPLY"
check "the Latin-1 body is converted" grep -q 'Café setelahnya' "$TMP/out"
check "the attachment is listed" grep -q 'laporan-q4.pdf' "$TMP/out"
s show "$ID_HTML"
check "multipart/alternative shows the plain part" grep -q 'Tomatoes need sun' "$TMP/out"
s --json show "$ID_REPLY"
expect 0 "show --json"
check "show --json is valid JSON" json_ok
check "show --json: MIME tree with sections, types, charsets, names" py '
j["mime"]["type"] == "multipart/mixed" and [(p["section"], p["type"], p["charset"], p["filename"]) for p in j["mime"]["parts"]] == [("1", "text/plain", "iso-8859-1", None), ("2", "application/pdf", None, "laporan-q4.pdf")]'
check "show --json: text, attachments, addresses, stored row" py '
"Café setelahnya?" in j["text"] and j["attachments"][0]["name"] == "laporan-q4.pdf" and j["from"][0]["address"] == "budi@example.net" and j["stored"]["id"] == '"$ID_REPLY"
cp "$TMP/out" "$TMP/stored.json"
s --json show "$DATA/reply-attachment.eml"
expect 0 "show --json FILE"
check "show FILE --json equals the stored one (but the stored row)" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
a.pop("stored"); b.pop("stored")
sys.exit(0 if a == b else 1)' "$TMP/stored.json" "$TMP/out"
s --json show - < "$DATA/plain.eml"
check "show - reads stdin" py 'j["subject"] == "Rapat besok pagi" and j["stored"] is None'
s show --part 2 --save "$TMP/q4.pdf" "$ID_REPLY"
expect 0 "show --part 2 --save"
check "the part is decoded" sh -c "head -c 8 '$TMP/q4.pdf' | grep -q '%PDF-1.4'"
s show --part 2 --save "$TMP/q4.pdf" "$ID_REPLY"
expect 1 "--save never overwrites"
s show --part 9 "$ID_REPLY"
expect 1 "an unknown part is an error"

# ---- search
s search rapat
expect 0 "search words"
check "two messages about the meeting" [ "$(wc -l < "$TMP/out")" = 2 ]
s --json search 'from:budi has:attachment'
check "from: and has:attachment" py '[m["id"] for m in j] == ['"$ID_REPLY"']'
s --json search 'subject:digest'
check "subject:" py '[m["id"] for m in j] == ['"$ID_HTML"']'
s --json search 'laptop'
check "body text is searched" py '[m["id"] for m in j] == ['"$ID_PLAIN"']'
s --json search 'after:2024-02-01 before:2024-02-02'
check "after: and before:" py '[m["id"] for m in j] == ['"$ID_REPLY"']'
s --json search 'folder:INBOX is:unread'
check "folder: and is:unread" py 'len(j) == 3'
s --json search nothingmatchesthis
expect 0 "no match is not an error"
check "no match is an empty array" py 'j == []'

# ---- flags
s flag "$ID_PLAIN" "$ID_HTML" +seen +flagged
expect 0 "flag +seen +flagged"
s --json list --unread
check "list --unread leaves out the read ones" py '[m["id"] for m in j] == ['"$ID_REPLY"']'
s --json show "$ID_PLAIN"
check "flags are IMAP names" py 'j["stored"]["flags"] == ["\\Seen", "\\Flagged"]'
s flag "$ID_PLAIN" -flagged
s --json list --flagged
check "-flagged clears it" py '[m["id"] for m in j] == ['"$ID_HTML"']'
s unflag "$ID_HTML"
expect 0 "unflag"
s --json list --flagged
check "unflag clears \\Flagged" py 'j == []'
s --json flag "$ID_REPLY"
expect 0 "flag without a flag word"
check "flag --json reports the change" py 'j["command"] == "flag" and j["changed"] == 1'
s --json list --flagged
check "flag alone sets \\Flagged" py '[m["id"] for m in j] == ['"$ID_REPLY"']'
s unflag "$ID_REPLY" +seen
s --json show "$ID_REPLY"
check "unflag with a flag word does what the word says" py '"\\Seen" in j["stored"]["flags"] and "\\Flagged" in j["stored"]["flags"]'
s flag "$ID_REPLY" -seen -flagged
s flag "$ID_HTML"
s unread "$ID_HTML"
s read "$ID_REPLY"
s --json list --unread
check "read and unread" py '[m["id"] for m in j] == ['"$ID_HTML"']'
s list
check "text listing marks unread and flagged" sh -c "grep -q 'N-F--' '$TMP/out'"

# ---- move, copy, delete
s move "$ID_HTML" Newsletters
expect 0 "move to a new local folder"
s --json list --folder Newsletters
check "the message is in the new folder" py '[m["id"] for m in j] == ['"$ID_HTML"']'
s copy "$ID_PLAIN" Newsletters
s --json list --folder Newsletters
check "copy adds a copy" py 'len(j) == 2'
s delete "$ID_HTML"
expect 0 "delete moves to the trash"
s --json list --folder Trash
check "the message is in Trash" py '[m["id"] for m in j] == ['"$ID_HTML"']'
s delete "$ID_HTML"
expect 0 "delete from the trash removes it"
s show "$ID_HTML"
expect 1 "it is gone"

# ---- folders, accounts
s folders
expect 0 "folders (text)"
check "folders lists INBOX" grep -q 'INBOX' "$TMP/out"
s --json folders
check "folders --json" py 'sorted((f["name"], f["role"], f["total"], f["unread"]) for f in j) == [("INBOX", "inbox", 2, 0), ("Newsletters", None, 1, 0), ("Trash", "trash", 0, 0)]'
s --json accounts
check "accounts --json lists the local account" py '[(a["name"], a["kind"], a["messages"]) for a in j] == [("local", "local", 3)]'

# ---- an IMAP account: the same actions are queued for the server
cat > "$CONF" <<'CONF'
[account work]
email = ani@example.org
incoming = imaps://imap.example.invalid:993
outgoing = smtps://smtp.example.invalid:465
password_cmd = false
CONF
s import --account work --folder INBOX "$DATA/plain.eml"
expect 0 "import into a configured IMAP account"
s --json pending
check "the import is queued as an append" py '[o["type"] for o in j] == ["append"] and j[0]["account"] == "work"'
s --json list --account work
ID_WORK=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$TMP/out")
s flag "$ID_WORK" +flagged
check "flag on an IMAP account says it is queued" grep -q 'queued' "$TMP/out"
s --json pending
check "the flag is queued with its flag name" py '[o["type"] for o in j] == ["append", "flag"] and j[1]["flags"] == ["\\Flagged"]'
s --json accounts
check "accounts --json shows the configured account with its pending count" py '[(a["name"], a["kind"], a["configured"], a["pending"]) for a in j if a["name"] == "work"] == [("work", "imap", True, 2)]'

finish
