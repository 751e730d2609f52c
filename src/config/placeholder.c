/* Placeholder until the config module has code of its own. */
#include <config.h>

#include "config/config.h"

int	config_placeholder(void);

int
config_placeholder(void)
{
	return 0;
}
