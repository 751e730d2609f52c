#!/bin/sh
# Runs the POP3 download engine's integration test against the harness.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/with-servers.sh" "${top_builddir:-.}/tests/integration/test_pop3_download"
