# Fault tests: our scripted server (fakeserver) plays transcripts from
# tests/faults/cases/ against surat's protocol clients (driven by probe).
check_PROGRAMS += tests/faults/fakeserver
tests_faults_fakeserver_SOURCES = tests/faults/fakeserver.c
tests_faults_fakeserver_CFLAGS = $(AM_CFLAGS) $(GNUTLS_CFLAGS)
tests_faults_fakeserver_LDADD = $(GNUTLS_LIBS)
EXTRA_DIST += tests/faults/README
