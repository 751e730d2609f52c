/* Placeholder until the smtp module has code of its own. */
#include "config.h"

int	smtp_placeholder(void);

int
smtp_placeholder(void)
{
	return 0;
}
