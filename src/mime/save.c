/*
 * Saving an attachment: a safe file name from an untrusted one, and a
 * write that never replaces an existing file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/fdio.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "mime/internal.h"
#include "mime/mime.h"

#define SAFE_NAME_MAX	200	/* bytes; file systems allow 255 */

char *
mime_safe_filename(const char *name)
{
	const char	*base, *p;
	char		*clean, *s;
	struct buf	 b = BUF_INIT;
	size_t		 len, cut, ext;
	uint32_t	 cp;

	if (name == NULL)
		name = "";
	/* The last path component, for both kinds of slash. */
	for (base = p = name; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	clean = sanitize_str(base, 0);
	/* One leading dot may stay (".bashrc"); "..x" becomes ".x". */
	for (s = clean; s[0] == '.' && s[1] == '.'; s++)
		;
	while (*s == ' ')
		s++;
	buf_adds(&b, s);
	free(clean);
	while (b.len > 0 && (b.data[b.len - 1] == ' ' ||
	    b.data[b.len - 1] == '.'))
		b.len--;
	/* ':' upsets some file systems and tools that read "host:path". */
	for (len = 0; len < b.len; len++)
		if (b.data[len] == ':')
			b.data[len] = '_';
	if (b.len > SAFE_NAME_MAX) {
		/* Keep the extension; cut the stem on a character boundary. */
		ext = 0;
		if ((p = memrchr(b.data, '.', b.len)) != NULL &&
		    b.len - (size_t)(p - b.data) <= 16)
			ext = b.len - (size_t)(p - b.data);
		cut = 0;
		while (cut < SAFE_NAME_MAX - ext)
			cut += utf8_decode(b.data + cut, b.len - cut, &cp);
		while (cut > SAFE_NAME_MAX - ext) {
			/* Step back over the last character. */
			do
				cut--;
			while (cut > 0 &&
			    ((unsigned char)b.data[cut] & 0xc0) == 0x80);
		}
		memmove(b.data + cut, b.data + b.len - ext, ext);
		b.len = cut + ext;
	}
	if (b.len == 0 || (b.len == 1 && b.data[0] == '.')) {
		buf_free(&b);
		return xstrdup("attachment");
	}
	buf_truncate(&b, b.len);
	return buf_detach(&b, NULL);
}

int
mime_part_save(const struct mime_message *msg, const struct mime_part *p,
    const char *dir, const char *name, char **path_r, struct err *e)
{
	struct buf	 data = BUF_INIT;
	char		*safe, *path;
	int		 fd, saved;

	if (path_r != NULL)
		*path_r = NULL;
	if (!p->has_body) {
		err_set(e, ERR_USAGE, _("part %s: body not fetched"),
		    p->section != NULL ? p->section : "?");
		return -1;
	}
	safe = mime_safe_filename(name != NULL ? name : p->filename);
	path = xasprintf("%s/%s", dir != NULL && *dir != '\0' ? dir : ".",
	    safe);
	free(safe);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		saved = errno;
		if (saved == EEXIST)
			err_set(e, ERR_EXISTS, _("%s: file exists"), path);
		else
			err_set(e, ERR_IO, "%s: %s", path, strerror(saved));
		free(path);
		return -1;
	}
	mime_part_decode(msg, p, &data);
	saved = 0;
	if (fd_write_all(fd, buf_cstr(&data), data.len) == -1)
		saved = errno;
	if (close(fd) == -1 && saved == 0)
		saved = errno;
	if (saved != 0) {
		err_set(e, saved == ENOSPC ? ERR_DISKFULL : ERR_IO, "%s: %s",
		    path, strerror(saved));
		unlink(path);
		free(path);
		buf_free(&data);
		return -1;
	}
	buf_free(&data);
	if (path_r != NULL)
		*path_r = path;
	else
		free(path);
	return 0;
}
