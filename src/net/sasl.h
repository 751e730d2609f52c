/*
 * SASL as IMAP, POP3 and SMTP share it: the client's answers for PLAIN
 * (RFC 4616), LOGIN (draft-murchison-sasl-login) and XOAUTH2 (Google's
 * OAuth 2.0 bearer profile), base64-encoded, and decoding of the server's
 * challenges.  Pure functions, no I/O: the protocol wraps the answers in
 * its own command ("AUTHENTICATE PLAIN ...", "AUTH PLAIN ...").
 *
 * Answers are appended to out, which is grown once beforehand so no
 * realloc leaves a copy of a secret behind; our temporary copies are
 * wiped.  The caller sends out with secret = true and then calls
 * sasl_wipe(out).
 */
#ifndef SURAT_NET_SASL_H
#define SURAT_NET_SASL_H

#include <stddef.h>

struct buf;
struct err;

enum sasl_mech {
	SASL_MECH_NONE = 0,
	SASL_MECH_PLAIN,
	SASL_MECH_LOGIN,
	SASL_MECH_XOAUTH2,
};

/* "PLAIN", "LOGIN", "XOAUTH2" (case-insensitive); SASL_MECH_NONE else. */
enum sasl_mech	 sasl_mech_from_name(const char *);
const char	*sasl_mech_name(enum sasl_mech);

/*
 * PLAIN initial response: base64(authzid NUL user NUL pass), arguments in
 * that order.  authzid may be NULL or "" (act as user).  An empty user is
 * ERR_USAGE.
 */
int	 sasl_plain(struct buf *, const char *, const char *, const char *,
	    struct err *);

/*
 * LOGIN: the answer to the server's step-th challenge (0: the user name,
 * 1: the password), base64.  Servers word their prompts freely
 * ("Username:", "User Name"), so the step counts, not the text.  A third
 * challenge is ERR_PROTO.
 */
int	 sasl_login_step(struct buf *, unsigned int, const char *,
	    const char *, struct err *);

/*
 * XOAUTH2 initial response: base64("user=" user ^A "auth=Bearer " token
 * ^A ^A).  When the server rejects the token it sends a challenge (a JSON
 * error, see sasl_decode_challenge) and expects an empty answer before
 * its final failure reply.  ^A in user or token is ERR_USAGE.
 */
int	 sasl_xoauth2(struct buf *, const char *, const char *, struct err *);

/*
 * Decode a server challenge (the text after "+ " or "334 "), strict
 * base64; an empty challenge decodes to nothing.  Appended to out; may
 * contain any byte (sanitize before showing).  ERR_PROTO on bad base64.
 */
int	 sasl_decode_challenge(struct buf *, const char *, size_t,
	    struct err *);

/* Wipe a buffer that held an answer, and free it. */
void	 sasl_wipe(struct buf *);

#endif
