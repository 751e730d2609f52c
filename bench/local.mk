# bench: files shipped in the tarball
EXTRA_DIST += bench/compare.sh
