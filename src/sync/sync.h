/* The sync engines' public face: what surat sync, the CLI and the UI call. */
#ifndef SURAT_SYNC_H
#define SURAT_SYNC_H

#include <stdint.h>

/*
 * Progress of a long step, reported often (at least once per batch) so
 * surat sync can draw a line and the UI a bar.  what is a short,
 * translated phrase ("fetching headers", "downloading"); total is 0 when
 * unknown.  Called on the engine's thread.
 */
typedef void	sync_progress_fn(void *arg, const char *account,
		    const char *what, uint64_t done, uint64_t total);

#endif
