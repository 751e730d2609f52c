#!/bin/sh
# Runs the IMAP sync engine's integration test against the harness's servers.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/with-servers.sh" "${top_builddir:-.}/tests/integration/test_imap_sync"
