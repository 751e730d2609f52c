# Fault tests: our scripted server (fakeserver) plays transcripts from
# tests/faults/cases/ against surat's protocol clients (driven by probe);
# run.sh runs every case and checks both sides' verdicts.
check_PROGRAMS += tests/faults/fakeserver tests/faults/probe
tests_faults_fakeserver_SOURCES = tests/faults/fakeserver.c
tests_faults_fakeserver_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_faults_fakeserver_LDADD = $(GNUTLS_LIBS)
tests_faults_probe_SOURCES = tests/faults/probe.c
tests_faults_probe_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
tests_faults_probe_LDADD = src/imap/libimap.a src/pop3/libpop3.a \
	src/smtp/libsmtp.a src/net/libnet.a src/util/libutil.a \
	$(SURAT_EXTERNAL_LIBS)
TESTS += tests/faults/run.sh
# Hostile folder names and unknown message numbers through surat sync.
TESTS += tests/faults/test_sync_hostile.sh
# The whole directory: each case is one file, added without touching this.
EXTRA_DIST += tests/faults/README tests/faults/run.sh tests/faults/cases \
	tests/faults/test_sync_hostile.sh tests/faults/sync-hostile.script \
	tests/faults/sync-hostile-again.script
# The crash-safety script (tests/crash/README) is run by hand for now.
EXTRA_DIST += tests/crash/README tests/crash/kill-sync.sh
