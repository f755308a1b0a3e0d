/*
 * discover.c - run every source until the graph stops growing.
 *
 * A namespace found by one source can reveal more to another: a mount
 * namespace held only by an fd may hold bind mounts of further
 * namespaces, whose owners must be followed, and so on.
 */
#include <sys/resource.h>

#include "mounts.h"
#include "netinfo.h"
#include "nsfd.h"
#include "sources.h"

/* Namespace fds are bounded by the limit: take what the hard limit allows. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

struct nsf_graph *
nsf_discover(const struct nsf_scanopts *o)
{
	struct nsf_graph *g = graph_new();
	int grew, rounds = 0;

	raise_nofile();
	nsf_fd_setup(g);
	g->walk_left = o->timeout_ms > 0 ? o->timeout_ms : 2000;
	src_initial(g, o);
	if (src_proc_scan(g, o) < 0)
		graph_note(g, "cannot read %s: only the namespaces of nsfind "
		    "itself are shown", o->proc);
	do {
		grew = src_hier(g);
		/* The walk starts from a mount namespace fd: before mounts closes them. */
		if (o->kernel_walk && rounds == 0)
			grew += src_kwalk(g, o);
		grew += src_mounts(g, o);
		rounds++;
	} while (grew > 0 && rounds < 64);
	src_netns_names(g, o);
	if (o->netlink)
		src_netlink(g, o->addrs);
	/* Views need no fds: hold nothing alive while rendering. */
	nsf_graph_close_all(g);
	return g;
}
