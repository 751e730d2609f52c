/* Placeholder until the store module has code of its own. */
#include "config.h"

int	store_placeholder(void);

int
store_placeholder(void)
{
	return 0;
}
