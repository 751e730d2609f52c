#!/bin/sh
# surat outbox: a queued message is listed (text and JSON), cannot be
# "retried" while it is still queued, and cancel removes it; a server that
# cannot be reached leaves the message queued, never lost.
. "$(dirname "$0")/common.sh"

cat >"$CONF" <<CFG
[account t]
email = budi@example.test
incoming = imaps://127.0.0.1:1
outgoing = smtps://127.0.0.1:1
password = not-used
CFG
chmod 600 "$CONF"

printf 'From: budi@example.test\nTo: dewi@example.test, tim@example.test\nSubject: hi\n\nHello.\n' >"$TMP/m.eml"
s send "$TMP/m.eml"
expect 0 "queue a message"
s send --now "$TMP/m.eml"
expect 3 "send --now with the server down: partly done"
s --json outbox
expect 0 "outbox --json"
check "outbox --json is valid JSON" json_ok
check "two queued messages with both recipients" py '[m["state"] for m in j] == ["queued", "queued"] and j[0]["to"] == ["dewi@example.test", "tim@example.test"]'
check "the failed attempt left its error and a retry time" py 'any(m["attempts"] >= 1 and m["last_error"] and m["next_attempt"] for m in j)'
s outbox
check "text rows name the first recipient and the count" grep -q 'dewi@example.test (+1)' "$TMP/out"

s outbox retry 1
expect 1 "retry of a message still queued is refused"
check "and says why" grep -q 'queued' "$TMP/err"
s outbox cancel 1 nonsense
expect 1 "cancel with one bad id fails"
check "the good one is gone anyway" sh -c "'$BIN' --config '$CONF' --data-dir '$DDIR' --json outbox | python3 -c 'import json,sys; sys.exit(0 if [m[\"id\"] for m in json.load(sys.stdin)] == [2] else 1)'"
s outbox cancel 2
s outbox
expect 0 "an empty outbox"
check "says it is empty" grep -q 'empty' "$TMP/out"
s outbox frob
expect 2 "an unknown subcommand is a usage error"
finish
