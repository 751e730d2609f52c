# Tests: unit tests per module (cmocka), integration tests against real
# servers started by tests/integration/servers.sh, fault tests with our own
# scripted servers, and the layering check.
EXTRA_DIST += tests/check-layering.sh tests/check-po.sh tests/check-i18n.sh \
	tests/check-errors.sh
TESTS += tests/check-layering.sh tests/check-i18n.sh tests/check-errors.sh \
	tests/check-po.sh

include tests/unit/local.mk
include tests/integration/local.mk
include tests/faults/local.mk
include tests/ui/local.mk
include tests/fuzz/local.mk
include tests/cli/local.mk
include tests/crash/local.mk
