# fuzz tests

if ENABLE_FUZZERS
# POP3 and SMTP reply parsers.
noinst_PROGRAMS += tests/fuzz/fuzz_pop3_reply tests/fuzz/fuzz_smtp_reply
tests_fuzz_fuzz_pop3_reply_SOURCES = tests/fuzz/fuzz_pop3_reply.c
tests_fuzz_fuzz_pop3_reply_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_pop3_reply_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_pop3_reply_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
tests_fuzz_fuzz_smtp_reply_SOURCES = tests/fuzz/fuzz_smtp_reply.c
tests_fuzz_fuzz_smtp_reply_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_smtp_reply_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_smtp_reply_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
# IMAP response parser and its typed readings.
noinst_PROGRAMS += tests/fuzz/fuzz_imap_response
tests_fuzz_fuzz_imap_response_SOURCES = tests/fuzz/fuzz_imap_response.c
tests_fuzz_fuzz_imap_response_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_imap_response_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_imap_response_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
# MIME: headers and addresses, encodings, whole messages with rendering.
noinst_PROGRAMS += tests/fuzz/fuzz_mime_headers \
	tests/fuzz/fuzz_mime_encodings tests/fuzz/fuzz_mime_message
tests_fuzz_fuzz_mime_headers_SOURCES = tests/fuzz/fuzz_mime_headers.c
tests_fuzz_fuzz_mime_headers_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_headers_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_mime_headers_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
tests_fuzz_fuzz_mime_encodings_SOURCES = tests/fuzz/fuzz_mime_encodings.c
tests_fuzz_fuzz_mime_encodings_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_encodings_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_mime_encodings_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
tests_fuzz_fuzz_mime_message_SOURCES = tests/fuzz/fuzz_mime_message.c
tests_fuzz_fuzz_mime_message_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_message_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_mime_message_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
# Part trees without bodies as the store keeps them (mime/structure.c).
noinst_PROGRAMS += tests/fuzz/fuzz_mime_structure
tests_fuzz_fuzz_mime_structure_SOURCES = tests/fuzz/fuzz_mime_structure.c
tests_fuzz_fuzz_mime_structure_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_mime_structure_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_mime_structure_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
# The configuration file: loader, line lexer, writer's quoting.
noinst_PROGRAMS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_config_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_config_LDADD = $(SURAT_LIBS) $(SURAT_EXTERNAL_LIBS)
# The targets alone, for fuzz-build (CI builds nothing else there).
FUZZ_PROGS = tests/fuzz/fuzz_pop3_reply$(EXEEXT) \
	tests/fuzz/fuzz_smtp_reply$(EXEEXT) \
	tests/fuzz/fuzz_imap_response$(EXEEXT) \
	tests/fuzz/fuzz_mime_headers$(EXEEXT) \
	tests/fuzz/fuzz_mime_encodings$(EXEEXT) \
	tests/fuzz/fuzz_mime_message$(EXEEXT) tests/fuzz/fuzz_config$(EXEEXT) \
	tests/fuzz/fuzz_mime_structure$(EXEEXT)
endif

# Every fuzz_* target for FUZZ_SECONDS (default 60) each, FUZZ_PARALLEL
# (default 2: one per core) at a time, seeded from tests/data and
# tests/fuzz/seeds; run-long.sh does the long campaigns.
EXTRA_DIST += tests/fuzz/run-long.sh tests/fuzz/seeds tests/fuzz/mime.dict \
	tests/fuzz/README tests/fuzz/options tests/fuzz/CAMPAIGNS.md
FUZZ_SECONDS = 60
FUZZ_PARALLEL = 2
fuzz-build: $(FUZZ_PROGS)
fuzz-smoke: fuzz-build
	$(SHELL) $(srcdir)/tests/fuzz/run-long.sh -t $(FUZZ_SECONDS) \
	    -P $(FUZZ_PARALLEL) -b $(builddir) -s $(srcdir)
.PHONY: fuzz-build fuzz-smoke
