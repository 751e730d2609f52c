/* Placeholder until the pop3 module has code of its own. */
#include "config.h"

int	pop3_placeholder(void);

int
pop3_placeholder(void)
{
	return 0;
}
