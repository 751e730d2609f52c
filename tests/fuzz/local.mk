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
endif
