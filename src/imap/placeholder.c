/* Placeholder until the imap module has code of its own. */
#include "config.h"

int	imap_placeholder(void);

int
imap_placeholder(void)
{
	return 0;
}
