/*
 * The MIME engine: RFC 5322 headers, addresses and dates, RFC 2047/2231,
 * transfer encodings and charsets, the MIME part tree with IMAP section
 * numbers, rendering to lines of text for the pager, saving attachments,
 * threading, and building outgoing messages.
 *
 * Everything here works on bytes in memory and never touches the network.
 * Every string handed out is valid UTF-8.  Strings that come from a
 * message (names, subjects, filenames) are valid UTF-8 but must still pass
 * util/sanitize.h before being drawn, except render lines (struct
 * mime_line), which are sanitized already.
 */
#ifndef SURAT_MIME_MIME_H
#define SURAT_MIME_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

/* Hard caps against hostile messages. */
#define MIME_MAX_DEPTH		32	/* nesting of multiparts/messages */
#define MIME_MAX_PARTS		2000	/* parts in one message */
#define MIME_MAX_HEADERS	2000	/* header fields in one block */
#define MIME_MAX_RENDER_LINES	200000	/* lines in one rendering */

/* Legacy charset for undeclared 8-bit text that is not valid UTF-8. */
#define MIME_DEFAULT_FALLBACK	"windows-1252"

/* A growable list of strings (message-ids, header names). */
struct mime_strlist {
	char	**v;
	size_t	  n;
};

void	 mime_strlist_add(struct mime_strlist *, const char *, size_t);
void	 mime_strlist_free(struct mime_strlist *);

/* ---- Header blocks (header.c) ---------------------------------------- */

/*
 * One header field.  name and raw point into the parsed bytes (or into
 * the block's own copy, see mime_headers_parse); raw is the value as
 * written, folding included.  value is the unfolded value (CRLF and LF
 * before white space removed, leading and trailing space trimmed), still
 * undecoded (RFC 2047 words and 8-bit bytes as sent), NUL-terminated.
 */
struct mime_header {
	const char	*name;
	size_t		 name_len;
	const char	*raw;
	size_t		 raw_len;
	char		*value;
};

struct mime_headers;

/*
 * Parse the header block at the start of buf: stops after the empty line
 * (CRLF or LF) that ends it, or at the end of the bytes.  Malformed lines
 * (no colon, white space before the colon, a From_ line) are tolerated:
 * a continuation of nothing is dropped, a line without a colon is
 * skipped.  Over MIME_MAX_HEADERS fields the rest are ignored.
 * *body_off_r (may be NULL) gets the offset of the body.  The block
 * points into buf, which must outlive it.  Never fails.
 */
struct mime_headers *mime_headers_parse(const char *, size_t, size_t *);
void	 mime_headers_free(struct mime_headers **);
size_t	 mime_headers_count(const struct mime_headers *);
const struct mime_header *mime_headers_at(const struct mime_headers *,
	    size_t);
/* First field with that name (case-insensitive), or NULL. */
const struct mime_header *mime_headers_find(const struct mime_headers *,
	    const char *);
/* Unfolded raw value of the first such field, or NULL. */
const char *mime_headers_get(const struct mime_headers *, const char *);
/*
 * The value decoded for display: RFC 2047 words decoded, undeclared
 * 8-bit bytes read as UTF-8 or else the fallback charset (NULL:
 * MIME_DEFAULT_FALLBACK), control characters removed.  Allocated.
 */
char	*mime_header_decode(const char *, size_t, const char *);
/* Decoded value of the first such field, or NULL if absent.  Allocated. */
char	*mime_headers_get_decoded(const struct mime_headers *, const char *,
	    const char *);

/* ---- Addresses (address.c) ------------------------------------------- */

/*
 * One mailbox.  name: display name decoded to UTF-8 (quotes and
 * backslashes undone, RFC 2047 decoded), or NULL.  addr: "local@domain"
 * as written (may lack a domain in broken mail; never NULL).  group: the
 * name of the group the mailbox belongs to, or NULL.
 */
struct mime_address {
	char	*name;
	char	*addr;
	char	*group;
};

struct mime_addrlist {
	struct mime_address	*v;
	size_t			 n;
};

/*
 * Parse an address-list header value (RFC 5322 with obsolete forms:
 * comments, route addresses, groups, bare names, missing angle brackets,
 * unquoted dots and commas in names).  Never fails: what cannot be read
 * is skipped.  fallback: charset for undeclared 8-bit (NULL: default).
 * Appends to the list.
 */
void	 mime_addrlist_parse(struct mime_addrlist *, const char *, size_t,
	    const char *);
void	 mime_addrlist_add(struct mime_addrlist *, const char *, const char *);
void	 mime_addrlist_free(struct mime_addrlist *);
/* "Name <addr>" (name quoted if needed) or "addr": for display, UTF-8. */
void	 mime_address_format(struct buf *, const struct mime_address *);
/* The list joined with ", " for display. */
char	*mime_addrlist_format(const struct mime_addrlist *);

/* ---- Dates (date.c) -------------------------------------------------- */

/*
 * Parse an RFC 5322 date in any form seen in the wild: weekday or not,
 * seconds or not, two- and four-digit years, obsolete and military zones,
 * named zones (EST, CEST, ...), zone missing, "GMT+0100", asctime() form,
 * ISO 8601 "2024-01-31T10:00:00Z".  *t_r gets seconds since the epoch
 * (UTC), *tzoff_r (may be NULL) minutes east of UTC.  Returns -1 when no
 * date can be read.
 */
int	 mime_date_parse(const char *, size_t, int64_t *, int *);
/*
 * The sort date of a message: Date if it parses to something plausible
 * (not before 1970 nor more than a day after `received`), else the date of
 * the newest Received field, else `received` (the arrival time the caller
 * knows, e.g. IMAP INTERNALDATE; 0 if unknown).
 */
int64_t	 mime_date_sortkey(const struct mime_headers *, int64_t);
/* RFC 5322 form "Mon, 02 Jan 2006 15:04:05 +0700" of t at tzoff minutes. */
void	 mime_date_format(struct buf *, int64_t, int);

/* ---- Message-IDs (msgid.c) ------------------------------------------- */

/*
 * Extract message-ids (without the angle brackets) from References or
 * In-Reply-To: tolerates missing brackets, comments, junk words between
 * ids ("<a@b> (Joe's message of ...)"), commas and duplicates (dropped).
 * Appends to the list.
 */
void	 mime_msgid_parse_list(struct mime_strlist *, const char *, size_t);
/* The first id of a Message-ID-like value, allocated; NULL if none. */
char	*mime_msgid_parse(const char *, size_t);
/*
 * The parent id JWZ would pick: the last id of References, else the
 * first of In-Reply-To.  Either argument may be NULL.  Allocated or NULL.
 */
char	*mime_msgid_parent(const char *, const char *);

/* ---- Envelope: what the store keeps per message --------------------- */

struct mime_envelope {
	char			*subject;	/* decoded, "" if none */
	struct mime_addrlist	 from, sender, reply_to, to, cc, bcc;
	char			*message_id;	/* without <>, or NULL */
	struct mime_strlist	 in_reply_to;
	struct mime_strlist	 references;
	int64_t			 date;		/* mime_date_sortkey() */
	int			 date_tz;	/* minutes east of UTC */
	bool			 date_valid;	/* Date itself was readable */
	char			*list_id;	/* without <>, or NULL */
};

/* Fill from a header block; received as in mime_date_sortkey(). */
void	 mime_envelope_from_headers(struct mime_envelope *,
	    const struct mime_headers *, int64_t, const char *);
void	 mime_envelope_free(struct mime_envelope *);

/* ---- Encodings (rfc2047.c, rfc2231.c, qp.c, charset.c) -------------- */

/*
 * Decode RFC 2047 encoded words in a header value (B and Q, adjacent
 * words joined even when split in the middle of a character, words
 * without surrounding white space accepted, broken words left as
 * written).  Undeclared 8-bit text is read as UTF-8 or else as the
 * fallback charset.  Appends valid UTF-8; does not remove controls.
 */
void	 mime_rfc2047_decode(struct buf *, const char *, size_t,
	    const char *);
/*
 * Append a header value, encoding it with RFC 2047 if it is not plain
 * ASCII, folded so no line passes 78 columns.  col: the column the value
 * starts at (after "Subject: ").  phrase: the text is a display name
 * (stricter Q alphabet; quoted if ASCII with specials).
 */
void	 mime_rfc2047_encode(struct buf *, const char *, size_t, size_t,
	    bool);

/*
 * Convert text in charset to UTF-8, with aliases (latin1, utf8, x-sjis,
 * ks_c_5601-1987, ...) and U+FFFD for bytes that cannot be converted.
 * Returns -1 (appending nothing) if the charset is unknown, except that
 * pure ASCII text is passed through for any ASCII-compatible label.
 */
int	 mime_charset_to_utf8(struct buf *, const char *, const char *,
	    size_t);
/*
 * As above but never fails: an unknown or missing charset reads the text
 * as UTF-8 if valid, else as fallback (NULL: default).
 */
void	 mime_text_to_utf8(struct buf *, const char *, const char *, size_t,
	    const char *);
/*
 * Canonical name iconv knows for a charset label (quotes and a "*lang"
 * suffix removed, aliases resolved), in static per-thread storage; NULL
 * for labels that name no charset ("unknown-8bit", "x-user-defined").
 */
const char *mime_charset_canon(const char *);

/*
 * Quoted-printable: decoding survives garbage (bad escapes kept as is);
 * hard line breaks come out as \n.
 */
void	 mime_qp_decode(struct buf *, const char *, size_t);
/* Encode a body (lines end in \n or \r\n; output lines CRLF, <= 76). */
void	 mime_qp_encode(struct buf *, const char *, size_t);

/*
 * RFC 2231 and plain parameters of a Content-Type or Content-Disposition
 * value: continuations (name*0, name*1*) joined in order, charset and
 * language honoured, RFC 2047 in quoted values (as broken mailers send)
 * decoded.  Names lower-cased.  Values UTF-8.
 */
struct mime_param {
	char	*name;
	char	*value;
};

struct mime_params {
	struct mime_param	*v;
	size_t			 n;
};

/*
 * Parse "type/subtype; a=b; ..." or "attachment; filename=...": the first
 * token (lower-cased, allocated, never NULL; "" if missing) goes to
 * *token_r, parameters are appended.
 */
void	 mime_params_parse(const char *, size_t, const char *, char **,
	    struct mime_params *);
const char *mime_params_get(const struct mime_params *, const char *);
void	 mime_params_set(struct mime_params *, const char *, const char *);
void	 mime_params_free(struct mime_params *);
/*
 * Append "; name=value" for an outgoing header: quoted if needed, RFC
 * 2231 encoded (with continuations) if not ASCII or too long.
 */
void	 mime_param_encode(struct buf *, const char *, const char *);

/* ---- The MIME tree (tree.c) ------------------------------------------ */

enum mime_encoding {
	MIME_ENC_7BIT = 0,
	MIME_ENC_8BIT,
	MIME_ENC_BINARY,
	MIME_ENC_QP,
	MIME_ENC_BASE64,
	MIME_ENC_UUENCODE,
	MIME_ENC_OTHER,		/* unknown: treated as binary */
};

/*
 * A part of a message.  The tree is filled either by mime_message_parse()
 * (body offsets into the raw message) or by another module, e.g. from an
 * IMAP BODYSTRUCTURE (has_body false: the bytes are not here yet; fetch
 * BODY[section]).  Strings are allocated and owned by the part.
 *
 * A message/rfc822 part has one child: the body of the enclosed message
 * (with that message's headers in `headers`).  Section numbers follow
 * IMAP BODY[section]: a non-multipart message body is "1"; the children
 * of a top-level multipart are "1", "2", ...; of a nested multipart
 * "2.1"; the body of a message/rfc822 part "3" is "3.1" if single, and
 * if multipart its children are "3.1", "3.2" (the multipart itself then
 * carries "3", the prefix its children use, as does the top-level
 * multipart, which carries "").
 */
struct mime_part {
	char			*type;		/* lower case: "text" */
	char			*subtype;	/* lower case: "plain" */
	struct mime_params	 params;	/* of Content-Type */
	char			*disposition;	/* "attachment", "inline", NULL */
	struct mime_params	 disp_params;
	char			*filename;	/* decoded name, or NULL */
	char			*description;	/* decoded or NULL */
	char			*content_id;	/* without <>, or NULL */
	enum mime_encoding	 encoding;
	char			*section;	/* IMAP section, "" for root mp */
	uint64_t		 size;		/* encoded body bytes */
	uint64_t		 lines;		/* body lines (text parts) */

	/* Only when parsed from bytes: */
	bool			 has_body;
	size_t			 hdr_off;	/* part header in the raw msg */
	size_t			 body_off;
	size_t			 body_len;
	struct mime_headers	*headers;	/* the part's own header */
	bool			 broken;	/* bad boundary, truncated... */

	struct mime_part	*parent;
	struct mime_part	*child;		/* first child */
	struct mime_part	*next;		/* next sibling */
	size_t			 nchildren;
	int			 depth;
};

/* An empty part (text/plain defaults) for builders of trees. */
struct mime_part *mime_part_new(const char *, const char *);
/* Append child to parent (takes ownership). */
void	 mime_part_add_child(struct mime_part *, struct mime_part *);
/* Free a part and its subtree. */
void	 mime_part_free(struct mime_part **);
/* Assign section numbers (and depth) to a tree built by hand. */
void	 mime_tree_number(struct mime_part *);

/* Accessors, for walkers like `surat show --json`. */
bool	 mime_part_is(const struct mime_part *, const char *, const char *);
bool	 mime_part_is_multipart(const struct mime_part *);
/* "text/plain", allocated. */
char	*mime_part_content_type(const struct mime_part *);
const char *mime_part_param(const struct mime_part *, const char *);
const char *mime_part_charset(const struct mime_part *);
const char *mime_encoding_name(enum mime_encoding);
enum mime_encoding mime_encoding_parse(const char *);
/*
 * Name of the part: filename of Content-Disposition, else name of
 * Content-Type, decoded (RFC 2231 or 2047) and without control
 * characters, still with any path in it; NULL if none.  Use
 * mime_safe_filename() before writing a file.
 */
const char *mime_part_filename(const struct mime_part *);
/*
 * A decoded name (filename, name parameter) for display, control
 * characters removed; allocated, or NULL if nothing is left.  For
 * builders of trees, so every part's filename is cleaned alike.
 */
char	*mime_clean_name(const char *);
/*
 * Whether the part is an attachment for the list: disposition
 * attachment, or a name, or a type that is not rendered inline.
 */
bool	 mime_part_is_attachment(const struct mime_part *);
/* Find the part with that section, or NULL. */
const struct mime_part *mime_tree_find(const struct mime_part *,
	    const char *);
/*
 * Call fn on every part, depth first, parents before children.  fn
 * returns non-zero to stop; that value is returned.
 */
int	 mime_tree_walk(const struct mime_part *,
	    int (*)(const struct mime_part *, void *), void *);

/* ---- Messages (tree.c) ------------------------------------------------ */

struct mime_message;

#define MIME_PARSE_COPY		0x1	/* keep a private copy of the bytes */

/*
 * Parse a whole message held in memory.  Without MIME_PARSE_COPY the
 * bytes must outlive the message.  Never fails on malformed mail (broken
 * parts are flagged); only returns NULL for nothing at all.
 */
struct mime_message *mime_message_parse(const char *, size_t, int);
void	 mime_message_free(struct mime_message **);
const struct mime_headers *mime_message_headers(const struct mime_message *);
const struct mime_part *mime_message_root(const struct mime_message *);
const char *mime_message_raw(const struct mime_message *, size_t *);
size_t	 mime_message_part_count(const struct mime_message *);

/* The part body with its transfer encoding undone (appended). */
void	 mime_part_decode(const struct mime_message *,
	    const struct mime_part *, struct buf *);
/* A text part decoded and converted to UTF-8 (appended). */
void	 mime_part_text(const struct mime_message *, const struct mime_part *,
	    const char *, struct buf *);
/* The raw bytes of the part body (as in BODY[section]), no copy. */
const char *mime_part_raw(const struct mime_message *,
	    const struct mime_part *, size_t *);

/* ---- Rendering (render.c, flowed.c, html.c) ------------------------- */

enum mime_line_kind {
	MIME_LINE_HEADER = 0,
	MIME_LINE_BODY,
	MIME_LINE_QUOTE,
	MIME_LINE_SIGNATURE,
	MIME_LINE_ATTACHMENT,	/* "[-- Attachment #2: a.pdf ... --]" */
};

struct mime_line {
	enum mime_line_kind	 kind;
	int			 quote;		/* quote level, 0 = none */
	char			*text;		/* sanitized UTF-8, no \n */
	size_t			 len;
	const struct mime_part	*part;		/* the part it comes from */
};

/* An attachment as listed under the message. */
struct mime_attachment {
	const struct mime_part	*part;
	char			*type;		/* "application/pdf" */
	char			*name;		/* sanitized, may be "" */
	uint64_t		 size;		/* decoded bytes (estimate) */
};

struct mime_render_opts {
	/* Header names shown, NULL-terminated; NULL: From To Cc Date Subject. */
	const char *const	*headers;
	bool			 all_headers;
	/* Preferred type in multipart/alternative, e.g. "text/html"; NULL:
	 * text/plain. */
	const char		*prefer;
	/*
	 * HTML converter from mailcap, e.g. "w3m -dump -T text/html" or
	 * "lynx -dump %s".  Split into words by the program (no shell); a
	 * %s word is replaced with the path of a 0600 file in a private
	 * directory, else the HTML goes to its standard input.  NULL: the
	 * built-in converter.
	 */
	const char		*html_command;
	int			 html_timeout_ms;	/* 0: 5000 */
	const char		*fallback_charset;
	int			 width;		/* for HTML and flowed; 0: 80 */
	bool			 no_headers;	/* body only (quoting) */
};

struct mime_render {
	struct mime_line	*lines;
	size_t			 nlines;
	struct mime_attachment	*atts;
	size_t			 natts;
};

/* Render a message for the pager.  opts may be NULL.  Never fails. */
struct mime_render *mime_render(const struct mime_message *,
	    const struct mime_render_opts *);
void	 mime_render_free(struct mime_render **);
/* The part a multipart/related shows: its start parameter's, else the
 * first. */
const struct mime_part *mime_related_start(const struct mime_part *);
/* A part's size once decoded (base64 estimated from its encoded size). */
uint64_t mime_part_decoded_size(const struct mime_part *);
/* "54 B", "1.9 KB", "2.0 MB": a size for people, translated. */
void	 mime_size_text(struct buf *, uint64_t);
/* Attachments of a tree (also one filled from BODYSTRUCTURE). */
void	 mime_attachments(const struct mime_part *, struct mime_attachment **,
	    size_t *);
void	 mime_attachments_free(struct mime_attachment **, size_t);

/* Built-in HTML to text (html.c): appends UTF-8 text; links as [n]. */
void	 mime_html_to_text(struct buf *, const char *, size_t, int);
/* Decode format=flowed text (RFC 3676) to plain lines. */
void	 mime_flowed_decode(struct buf *, const char *, size_t, bool);

/* ---- Saving attachments (save.c) ------------------------------------- */

/*
 * A safe file name from an untrusted one: path components, leading dots
 * beyond one, control characters and "/" removed; "" and "." and ".."
 * become "attachment".  Allocated.
 */
char	*mime_safe_filename(const char *);
/*
 * Save the decoded part in dir under name (NULL: the part's file name,
 * made safe).  Never overwrites: if the file exists, fails with
 * ERR_EXISTS.  Files are created 0600.  *path_r (may be NULL) gets the
 * path written, allocated.
 */
int	 mime_part_save(const struct mime_message *, const struct mime_part *,
	    const char *, const char *, char **, struct err *);

/* ---- Threading (thread.c) -------------------------------------------- */

struct mime_thread_in {
	const char	*message_id;	/* raw header values; any may be NULL */
	const char	*in_reply_to;
	const char	*references;
	const char	*subject;
	int64_t		 date;
};

/* One message in display order. */
struct mime_thread_out {
	size_t		 msg;		/* index into the input */
	size_t		 thread;	/* input index of the thread's root */
	long		 parent;	/* input index of the parent, or -1 */
	int		 depth;
};

#define MIME_THREAD_SUBJECT	0x1	/* also gather by subject (off) */

/*
 * JWZ threading of n messages.  *out_r gets n entries in display order:
 * threads by the date of their root (oldest first), each thread depth
 * first with siblings by date.  Allocated; free() it.
 */
void	 mime_thread(const struct mime_thread_in *, size_t, int,
	    struct mime_thread_out **);
/*
 * The ancestors of a message as mime_thread() reads them, oldest first,
 * the parent last: the ids of References, else the first id of
 * In-Reply-To.  For incremental threading in the store: a new message
 * joins the thread of the nearest ancestor it already has (searching
 * from the end), and messages already stored whose ancestors include the
 * new one's Message-ID join its thread.  Appends to the list.
 */
void	 mime_thread_refs(const char *, const char *, struct mime_strlist *);
/* Subject without "Re:", "Fwd:", "[list]" prefixes, for comparisons. */
char	*mime_subject_base(const char *);

/* ---- Composing (compose.c) ------------------------------------------- */

struct mime_compose_att {
	const char	*path;		/* read from this file, or */
	const void	*data;		/* these bytes */
	size_t		 len;
	const char	*name;		/* file name shown; NULL: basename */
	const char	*type;		/* NULL: by extension */
	bool		 inline_;	/* disposition inline */
};

struct mime_compose {
	/* Address lists as typed, UTF-8 ("Joé <j@x>, b@y"). */
	const char		*from;
	const char		*to;
	const char		*cc;
	const char		*bcc;		/* only if keep_bcc */
	const char		*reply_to;
	const char		*subject;	/* UTF-8 */
	const char		*body;		/* UTF-8, \n line ends */
	const char		*in_reply_to;	/* raw ids "<a@b>" or NULL */
	const char		*references;
	const char		*message_id;	/* NULL: random @from domain */
	int64_t			 date;		/* 0: now */
	int			 tzoff;		/* minutes east; with date */
	const char		*user_agent;	/* NULL: none */
	/* NULL-terminated "Name: value" lines added as they are. */
	const char *const	*extra_headers;
	const struct mime_compose_att *atts;
	size_t			 natts;
	/* A message to attach as message/rfc822 (forward as attachment). */
	const char		*forward_raw;
	size_t			 forward_len;
	bool			 allow_8bit;	/* server has 8BITMIME */
	bool			 keep_bcc;	/* for the sent folder copy */
	bool			 flowed;	/* send format=flowed */
};

/*
 * Build the message (CRLF line ends) into out.  *msgid_r (may be NULL)
 * gets the Message-ID used, without brackets.  Fails on an unreadable
 * attachment file or a missing From.
 */
int	 mime_compose_build(const struct mime_compose *, struct buf *, char **,
	    struct err *);
/* Content type for a file name by extension; octet-stream if unknown. */
const char *mime_type_by_name(const char *);
/* A fresh random Message-ID "random@domain", allocated. */
char	*mime_msgid_generate(const char *);

/* What a reply or forward starts from; all strings allocated UTF-8. */
struct mime_reply {
	char	*to;
	char	*cc;
	char	*subject;
	char	*in_reply_to;	/* "<id>" or NULL */
	char	*references;	/* "<a> <b> <id>" or NULL */
	char	*body;		/* attribution and quoted text */
};

#define MIME_REPLY_ALL		0x1
#define MIME_REPLY_LIST		0x2	/* to the List-Post address */

/*
 * Prepare a reply: Reply-To or From as recipient (all: plus To and Cc,
 * without the addresses in me, a NULL-terminated list), "Re: " subject,
 * In-Reply-To and References, body "On DATE, NAME wrote:" then the
 * rendered text quoted with "> ".
 */
void	 mime_reply_prepare(const struct mime_message *, int,
	    const char *const *, const struct mime_render_opts *,
	    struct mime_reply *);
/*
 * Prepare a forward: "Fwd: " subject; inline: body with the forwarded
 * headers and text; else an empty body (attach the raw message with
 * forward_raw).
 */
void	 mime_forward_prepare(const struct mime_message *, bool,
	    const struct mime_render_opts *, struct mime_reply *);
void	 mime_reply_free(struct mime_reply *);

/* ---- Structures without bodies (structure.c) ------------------------- */

/*
 * A part tree whose bodies are not here (filled from an IMAP
 * BODYSTRUCTURE, has_body false) as one line of printable ASCII for the
 * store, and back.  The text is read as untrusted: over
 * MIME_STRUCTURE_MAX bytes, MIME_MAX_DEPTH or MIME_MAX_PARTS, malformed
 * or cut short anywhere, it gives NULL.  The parsed tree has IMAP
 * section numbers (mime_tree_number()).
 */
#define MIME_STRUCTURE_MAX	(512 * 1024)
/* A message/rfc822 part up to this size is shown inline, so wanted. */
#define MIME_STRUCTURE_INLINE_MSG	(1024 * 1024)

void	 mime_structure_format(const struct mime_part *, struct buf *);
struct mime_part *mime_structure_parse(const char *, size_t);

typedef int mime_part_fn(const struct mime_part *, void *);
/*
 * Call fn on each leaf whose bytes the renderer shows (prefer as in
 * mime_render_opts): the chosen alternative, inline text parts, small
 * enclosed messages; never attachments.  A non-zero return stops.
 */
int	 mime_structure_wanted(const struct mime_part *, const char *,
	    mime_part_fn *, void *);

/* Append the stored bytes of a section ("1.2", "1.2.MIME"); -1: none. */
typedef int mime_part_get_fn(void *, const char *, struct buf *);
/*
 * A raw message from the message's header block and the parts get
 * finds, shaped like the structure so its section numbers are the
 * server's: multiparts get boundaries of our own, a fetched part its
 * fetched MIME header (else one from the structure), a part not here an
 * empty body (and, when it is one the reader wants, a disposition of
 * attachment so it is listed rather than shown blank).  The sections
 * not here are added to missing; returns how many wanted ones those are.
 */
unsigned mime_structure_assemble(const struct mime_part *, const char *,
	    size_t, const char *, mime_part_get_fn *, void *, struct buf *,
	    struct mime_strlist *);
/*
 * In a rendering of an assembled message, the lines of parts in missing
 * say "not downloaded (N KB)" with the structure's sizes, and the
 * attachment list gets those sizes too.
 */
void	 mime_structure_mark_missing(struct mime_render *,
	    const struct mime_part *, const struct mime_strlist *);

#endif
