/* Placeholder until the net module has code of its own. */
#include "config.h"

int	net_placeholder(void);

int
net_placeholder(void)
{
	return 0;
}
