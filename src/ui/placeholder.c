/* Placeholder until the ui module has code of its own. */
#include "config.h"

int	ui_placeholder(void);

int
ui_placeholder(void)
{
	return 0;
}
