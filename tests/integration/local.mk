# Integration tests against a private Dovecot and Postfix started per test
# by with-servers.sh (see tests/integration/README).  Test programs that
# other modules add here run as TESTS += tests/integration/test_foo.sh.
EXTRA_DIST += tests/integration/README tests/integration/servers.sh \
	tests/integration/lib.sh \
	tests/integration/with-servers.sh \
	tests/integration/test_harness_smoke.sh
TESTS += tests/integration/test_harness_smoke.sh

# POP3 and SMTP clients, and the delivery engines (src/sync/pop3*, outbox*).
EXTRA_DIST += tests/integration/test_pop3smtp_util.h \
	tests/integration/test_pop3_client.sh \
	tests/integration/test_smtp_client.sh \
	tests/integration/test_pop3smtp_store.h \
	tests/integration/test_pop3_download.sh \
	tests/integration/test_outbox_send.sh \
	tests/integration/test_outbox_cli.sh
TESTS += tests/integration/test_outbox_cli.sh
if HAVE_CMOCKA
IT_DELIV_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/tests/unit
check_PROGRAMS += tests/integration/test_pop3_client
tests_integration_test_pop3_client_SOURCES = \
	tests/integration/test_pop3_client.c
tests_integration_test_pop3_client_CFLAGS = $(IT_DELIV_CFLAGS)
tests_integration_test_pop3_client_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_pop3_client.sh
check_PROGRAMS += tests/integration/test_smtp_client
tests_integration_test_smtp_client_SOURCES = \
	tests/integration/test_smtp_client.c
tests_integration_test_smtp_client_CFLAGS = $(IT_DELIV_CFLAGS)
tests_integration_test_smtp_client_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_smtp_client.sh
check_PROGRAMS += tests/integration/test_pop3_download
tests_integration_test_pop3_download_SOURCES = \
	tests/integration/test_pop3_download.c
tests_integration_test_pop3_download_CFLAGS = $(IT_DELIV_CFLAGS)
tests_integration_test_pop3_download_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_pop3_download.sh
check_PROGRAMS += tests/integration/test_outbox_send
tests_integration_test_outbox_send_SOURCES = \
	tests/integration/test_outbox_send.c
tests_integration_test_outbox_send_CFLAGS = $(IT_DELIV_CFLAGS)
tests_integration_test_outbox_send_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_outbox_send.sh
endif

# The setup wizard's server probe (src/config/autodetect.c).
check_PROGRAMS += tests/integration/test_config_probe
tests_integration_test_config_probe_SOURCES = tests/integration/test_config_probe.c
tests_integration_test_config_probe_CFLAGS = $(UNIT_CFLAGS)
tests_integration_test_config_probe_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_config_probe.sh
EXTRA_DIST += tests/integration/test_config_probe.sh

# The IMAP client (src/imap/).
EXTRA_DIST += tests/integration/test_imap_client.sh
if HAVE_CMOCKA
check_PROGRAMS += tests/integration/test_imap_client
tests_integration_test_imap_client_SOURCES = \
	tests/integration/test_imap_client.c
tests_integration_test_imap_client_CFLAGS = $(UNIT_CFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_integration_test_imap_client_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_imap_client.sh
endif

# The account login test behind the setup wizard (src/sync/check.c).
check_PROGRAMS += tests/integration/test_sync_check
tests_integration_test_sync_check_SOURCES = tests/integration/test_sync_check.c
tests_integration_test_sync_check_CFLAGS = $(UNIT_CFLAGS)
tests_integration_test_sync_check_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_sync_check.sh
EXTRA_DIST += tests/integration/test_sync_check.sh

# The IMAP sync engine against Dovecot (src/sync).
if HAVE_CMOCKA
check_PROGRAMS += tests/integration/test_imap_sync
tests_integration_test_imap_sync_SOURCES = \
	tests/integration/test_imap_sync.c
tests_integration_test_imap_sync_CFLAGS = $(UNIT_CFLAGS) \
	-I$(top_srcdir)/tests/unit
tests_integration_test_imap_sync_LDADD = $(UNIT_LIBS)
TESTS += tests/integration/test_imap_sync.sh
endif
EXTRA_DIST += tests/integration/test_imap_sync.sh

# The interactive setup wizard typed into the real binary in tmux.
TESTS += tests/integration/test_wizard.sh
EXTRA_DIST += tests/integration/test_wizard.sh

# The headless commands against the real server (issue 8's acceptance).
TESTS += tests/integration/test_cli_sync.sh
EXTRA_DIST += tests/integration/test_cli_sync.sh

# The reader in tmux against the real servers (issue 6's acceptance).
TESTS += tests/integration/test_ui_online.sh tests/integration/test_ui_offline.sh
EXTRA_DIST += tests/integration/test_ui_online.sh \
	tests/integration/test_ui_offline.sh

# Bodies one part at a time (issue 4): a 2 MB attachment stays on the server.
TESTS += tests/integration/test_parts.sh
EXTRA_DIST += tests/integration/test_parts.sh
