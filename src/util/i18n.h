/* gettext in one place: _() translates now, N_() marks for later. */
#ifndef SURAT_UTIL_I18N_H
#define SURAT_UTIL_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define ngettext_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define ngettext_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

#endif
