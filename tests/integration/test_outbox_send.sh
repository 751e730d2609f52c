#!/bin/sh
# Runs the outbox sender's integration test against the harness.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/with-servers.sh" "${top_builddir:-.}/tests/integration/test_outbox_send"
