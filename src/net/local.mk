noinst_LIBRARIES += src/net/libnet.a
src_net_libnet_a_SOURCES = src/net/placeholder.c
src_net_libnet_a_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
