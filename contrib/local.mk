# contrib: files shipped in the tarball
