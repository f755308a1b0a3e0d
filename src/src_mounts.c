/* src_mounts.c - placeholder until the mount module lands. */
#include "sources.h"

int
src_mounts(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	(void)g;
	(void)o;
	return 0;
}
