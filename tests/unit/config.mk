# unit tests for src/config
check_PROGRAMS += tests/unit/test_config tests/unit/test_config_secret
TESTS += tests/unit/test_config tests/unit/test_config_secret
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_LDADD = $(UNIT_LIBS)
tests_unit_test_config_secret_SOURCES = tests/unit/test_config_secret.c
tests_unit_test_config_secret_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_secret_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/data/config/full.conf
check_PROGRAMS += tests/unit/test_config_autodetect
TESTS += tests/unit/test_config_autodetect
tests_unit_test_config_autodetect_SOURCES = tests/unit/test_config_autodetect.c
tests_unit_test_config_autodetect_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_autodetect_LDADD = $(UNIT_LIBS)
