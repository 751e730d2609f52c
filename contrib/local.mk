# contrib: files shipped in the tarball
EXTRA_DIST += contrib/gmail-imap.conf contrib/pop3-keep-days.conf \
	contrib/multi-account.conf
