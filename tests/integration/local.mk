# Integration tests against a private Dovecot and Postfix started per test
# by with-servers.sh (see tests/integration/README).  Test programs that
# other modules add here run as TESTS += tests/integration/test_foo.sh.
EXTRA_DIST += tests/integration/README tests/integration/servers.sh \
	tests/integration/with-servers.sh \
	tests/integration/test_harness_smoke.sh
TESTS += tests/integration/test_harness_smoke.sh
