/* Small string helpers that libc lacks or spells badly. */
#ifndef SURAT_UTIL_STR_H
#define SURAT_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

size_t	 str_lcpy(char *, const char *, size_t);
bool	 str_starts_with(const char *, const char *);
bool	 str_istarts_with(const char *, const char *);
bool	 str_ends_with(const char *, const char *);
/* Trim ASCII white space in place; returns its argument moved forward. */
char	*str_trim(char *);
/* Strict decimal parsing of the whole string; -1 on junk or overflow. */
int	 str_to_u64(const char *, uint64_t *);
int	 str_to_u32(const char *, uint32_t *);
int	 str_to_int(const char *, int, int, int *);
/* Lower-case ASCII in place. */
void	 str_lower(char *);
/* Zero memory in a way the optimiser keeps (for secrets). */
void	 str_wipe(void *, size_t);
/* Free a secret string after wiping it. */
void	 str_free_secret(char **);

#endif
