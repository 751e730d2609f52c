/* Placeholder until the mime module has code of its own. */
#include "config.h"

int	mime_placeholder(void);

int
mime_placeholder(void)
{
	return 0;
}
