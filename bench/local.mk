# bench: files shipped in the tarball
