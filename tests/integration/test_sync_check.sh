#!/bin/sh
# Runs the account login test against the harness's servers.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/with-servers.sh" "${top_builddir:-.}/tests/integration/test_sync_check"
