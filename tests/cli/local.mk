# Tests of the headless commands (src/cmd_*.c): the real binary on a
# private config and data directory; test_setup.sh and test_server.sh also
# need the servers of tests/integration (they skip without them).
TESTS += tests/cli/test_import_export.sh tests/cli/test_commands.sh \
	tests/cli/test_errors.sh tests/cli/test_setup.sh tests/cli/test_outbox.sh \
	tests/cli/test_server.sh
EXTRA_DIST += tests/cli/common.sh tests/cli/test_import_export.sh \
	tests/cli/test_commands.sh tests/cli/test_errors.sh \
	tests/cli/test_setup.sh tests/cli/test_outbox.sh tests/cli/test_server.sh \
	tests/data/cli/plain.eml tests/data/cli/reply-attachment.eml \
	tests/data/cli/html-alternative.eml tests/data/cli/archive.mbox \
	tests/data/cli/not-a-message.txt
# The JSON schema the tests check, documented for users.
EXTRA_DIST += doc/json.md
