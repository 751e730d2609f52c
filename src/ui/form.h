/*
 * A small keyboard form for the setup wizard: labelled text, secret,
 * number and choice fields, edited in place with line-editing keys.
 */
#ifndef SURAT_UI_FORM_H
#define SURAT_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>

enum form_kind {
	FORM_TEXT = 0,
	FORM_SECRET,	/* drawn as stars */
	FORM_NUMBER,	/* digits only */
	FORM_CHOICE,	/* Left/Right/Space cycle through choices */
};

#define FORM_VALUE_MAX 512

struct form_field {
	const char	*label;		/* translated */
	enum form_kind	 kind;
	char		 value[FORM_VALUE_MAX];	/* UTF-8 */
	const char	*const *choices; /* FORM_CHOICE: NULL-terminated */
	int		 choice;
	bool		 hidden;	/* skipped and not drawn */
	const char	*hint;		/* one line under the form, or NULL */
};

struct form {
	const char		*title;
	const char		*note;	/* a paragraph above the fields */
	struct form_field	*fields;
	size_t			 nfields;
	size_t			 current;
	char			 message[512];	/* error or status line */
	bool			 message_is_error;
	/* Called after every key, to keep dependent fields in step. */
	void			(*changed)(struct form *, void *);
	void			*changed_arg;
};

enum form_result {
	FORM_DONE = 0,		/* Enter on the last field, or Ctrl-X */
	FORM_BACK,		/* Ctrl-B: the previous step */
	FORM_CANCEL,		/* Esc or Ctrl-C, confirmed */
};

/* Edit until the user finishes, goes back or cancels. */
enum form_result form_run(struct form *);
/* Draw without waiting for keys (for progress screens). */
void	 form_draw(struct form *);
/* A field by label position; the value of a choice field. */
const char *form_choice(const struct form_field *);
void	 form_set(struct form_field *, const char *);
/* Set the line under the fields: an error (bold) or a status. */
void	 form_message(struct form *, bool error, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Put the cursor on field i (visible ones only). */
void	 form_focus(struct form *, size_t);

/* A yes/no question on the bottom line; def is the answer for Enter. */
bool	 form_ask(const char *question, bool def);
/* Show lines (a report) and wait for a key. */
void	 form_show(const char *title, const char *text);

#endif
