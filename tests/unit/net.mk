# unit tests for src/net: the line layer and TCP, TLS against a GnuTLS
# server thread with certificates made at test time, and SASL vectors.
TEST_NET_UTIL = tests/unit/test_net_util.c tests/unit/testnet.h

check_PROGRAMS += tests/unit/test_net tests/unit/test_net_tls \
	tests/unit/test_net_sasl
TESTS += tests/unit/test_net tests/unit/test_net_tls tests/unit/test_net_sasl

tests_unit_test_net_SOURCES = tests/unit/test_net.c $(TEST_NET_UTIL)
tests_unit_test_net_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_net_LDADD = $(UNIT_LIBS)

tests_unit_test_net_tls_SOURCES = tests/unit/test_net_tls.c $(TEST_NET_UTIL)
tests_unit_test_net_tls_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_net_tls_LDADD = $(UNIT_LIBS)

tests_unit_test_net_sasl_SOURCES = tests/unit/test_net_sasl.c
tests_unit_test_net_sasl_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_net_sasl_LDADD = $(UNIT_LIBS)
