/* Placeholder until the sync module has code of its own. */
#include "config.h"

int	sync_placeholder(void);

int
sync_placeholder(void)
{
	return 0;
}
