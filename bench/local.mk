# bench: files shipped in the tarball
EXTRA_DIST += bench/compare.sh
# bench/store-bench: the store's figures (insert rate, first screen of a
# 100,000-message folder, paging, search, RSS).  Built with the rest so it
# cannot rot; never run by make check.
noinst_PROGRAMS += bench/store-bench
bench_store_bench_SOURCES = bench/store-bench.c
bench_store_bench_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
bench_store_bench_LDADD = src/store/libstore.a src/mime/libmime.a src/util/libutil.a \
	$(SURAT_EXTERNAL_LIBS)
# bench/mime-bench: MIME throughput (headers, envelope, tree, render) over
# 10,000 generated messages.  Built, never run by make check.
noinst_PROGRAMS += bench/mime-bench
bench_mime_bench_SOURCES = bench/mime-bench.c
bench_mime_bench_CFLAGS = $(AM_CFLAGS) $(SURAT_EXTERNAL_CFLAGS)
bench_mime_bench_LDADD = src/mime/libmime.a src/util/libutil.a \
	$(SURAT_EXTERNAL_LIBS)
# bench/search-100k.sh: surat search over 100,000 messages as whole
# processes (target: under 100 ms); not run by make check.
EXTRA_DIST += bench/search-100k.sh
