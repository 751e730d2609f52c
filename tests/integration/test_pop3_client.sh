#!/bin/sh
# Runs the POP3 client's integration test against the harness's servers.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/with-servers.sh" "${top_builddir:-.}/tests/integration/test_pop3_client"
