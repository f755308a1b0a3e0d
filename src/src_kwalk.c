/* src_kwalk.c - placeholder until the kernel walk lands. */
#include "sources.h"

int
src_kwalk(struct nsf_graph *g)
{
	(void)g;
	return 0;
}
