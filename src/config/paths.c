/* Where things live: XDG base directories, overrides, "~/" in values. */
#include <config.h>

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/internal.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

char *
cfg_home(void)
{
	struct passwd	 pw, *res = NULL;
	const char	*home;
	char		 buf[4096];

	home = getenv("HOME");
	if (home != NULL && home[0] == '/')
		return xstrdup(home);
	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 &&
	    res != NULL && pw.pw_dir != NULL && pw.pw_dir[0] == '/')
		return xstrdup(pw.pw_dir);
	return NULL;
}

char *
cfg_expand_home(const char *path)
{
	char	*home, *out;

	if (strcmp(path, "~") != 0 && strncmp(path, "~/", 2) != 0)
		return xstrdup(path);
	if ((home = cfg_home()) == NULL)
		return xstrdup(path);
	out = xasprintf("%s%s", home, path + 1);
	free(home);
	return out;
}

/*
 * $var/suffix when var holds an absolute path (the XDG spec says to
 * ignore relative ones), else ~/fallback/suffix.
 */
static char *
xdg_path(const char *var, const char *fallback, const char *suffix,
    struct err *e)
{
	const char	*v;
	char		*home, *out;

	v = getenv(var);
	if (v != NULL && v[0] == '/')
		return xasprintf("%s/%s", v, suffix);
	if ((home = cfg_home()) == NULL) {
		err_set(e, ERR_CONFIG, _("cannot find the home directory: set "
		    "HOME or %s, or give the path on the command line"), var);
		return NULL;
	}
	out = xasprintf("%s/%s/%s", home, fallback, suffix);
	free(home);
	return out;
}

char *
config_default_path(struct err *e)
{
	return xdg_path("XDG_CONFIG_HOME", ".config", "surat/config", e);
}

char *
config_default_data_dir(struct err *e)
{
	return xdg_path("XDG_DATA_HOME", ".local/share", "surat", e);
}

char *
config_path(const char *override, struct err *e)
{
	if (override != NULL && *override != '\0')
		return cfg_expand_home(override);
	return config_default_path(e);
}

char *
config_data_dir(const char *override, struct err *e)
{
	if (override != NULL && *override != '\0')
		return cfg_expand_home(override);
	return config_default_data_dir(e);
}
