/* Helpers shared inside src/pop3 only. */
#ifndef SURAT_POP3_POP3_INT_H
#define SURAT_POP3_POP3_INT_H

/* APOP: hex MD5 of timestamp and secret into hex[33]; -1 without MD5. */
int	pop3_apop_digest(const char *, const char *, char *);

#endif
