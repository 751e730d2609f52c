/* Helpers shared inside src/smtp only. */
#ifndef SURAT_SMTP_SMTP_INT_H
#define SURAT_SMTP_SMTP_INT_H

struct buf;

/* Append base64 of a string (AUTH LOGIN steps). */
void	smtp_b64(struct buf *, const char *);
/* Append the base64 SASL PLAIN response for user and password. */
void	smtp_sasl_plain(struct buf *, const char *, const char *);
/* Append the base64 XOAUTH2 response for user and access token. */
void	smtp_sasl_xoauth2(struct buf *, const char *, const char *);

#endif
