noinst_LIBRARIES += src/net/libnet.a
src_net_libnet_a_SOURCES = \
	src/net/cert.c \
	src/net/conn.c \
	src/net/internal.h \
	src/net/io.c \
	src/net/line.c \
	src/net/net.h \
	src/net/sasl.c src/net/sasl.h \
	src/net/tcp.c \
	src/net/tls.c
src_net_libnet_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
