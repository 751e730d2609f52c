# cmocka unit tests, one program per module; each module's list lives in
# tests/unit/MODULE.mk.
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SURAT_EXTERNAL_CFLAGS) \
	-DTEST_DATA_DIR=\"$(abs_top_srcdir)/tests/data\"
UNIT_LIBS = $(SURAT_LIBS) $(CMOCKA_LIBS) $(SURAT_EXTERNAL_LIBS)
EXTRA_DIST += tests/unit/testutil.h

if HAVE_CMOCKA
include tests/unit/util.mk
include tests/unit/net.mk
include tests/unit/mime.mk
include tests/unit/imap.mk
include tests/unit/pop3.mk
include tests/unit/smtp.mk
include tests/unit/store.mk
include tests/unit/sync.mk
include tests/unit/delivery.mk
include tests/unit/config.mk
include tests/unit/ui.mk
endif
