/*
 * src_hier.c - owners and parents, up to the top.
 *
 * A namespace with no process can be alive only because it owns (user ns)
 * or parents (pid and user ns) one that is, so every namespace found by any
 * source is followed up with NS_GET_USERNS and NS_GET_PARENT.  Namespaces
 * added here are followed in turn: the loop runs over the graph's array,
 * which grows while it runs.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kernel.h"
#include "nsfd.h"
#include "sources.h"

static struct nsf_ns *
follow(struct nsf_graph *g, int fd, unsigned long req, int *added, int *denied)
{
	size_t before = g->nns;
	int nfd;

	if ((nfd = ioctl(fd, req)) < 0) {
		if (errno == EPERM && req == NS_GET_USERNS)
			(*denied)++;
		return NULL;
	}
	struct nsf_ns *ns = nsf_ns_from_fd(g, nfd, NSF_USER);
	if (g->nns > before)
		(*added)++;
	return ns;
}

/* Returns how many namespaces it added. */
int
src_hier(struct nsf_graph *g)
{
	struct nsf_ns *ns;
	int added = 0, denied = 0;
	size_t i;
	int nfd;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->hier_done || ns->fd < 0)
			continue;
		ns->hier_done = true;
		/* The initial user namespace has no owner: EPERM is its answer. */
		if (ns->type == NSF_USER && ns->initial) {
			nsf_ns_close(ns);
			continue;
		}
		ns->owner = follow(g, ns->fd, NS_GET_USERNS, &added, &denied);
		/* The parent of a pid ns is a pid ns: ask for its type. */
		if ((ns->type == NSF_PID || ns->type == NSF_USER) &&
		    (nfd = ioctl(ns->fd, NS_GET_PARENT)) >= 0) {
			size_t before = g->nns;

			ns->parent = nsf_ns_from_fd(g, nfd, ns->type);
			if (g->nns > before)
				added++;
		}
		/* Mount and network namespaces are read again later; others are done. */
		if (ns->type != NSF_MNT && ns->type != NSF_NET)
			nsf_ns_close(ns);
	}
	if (denied)
		graph_note(g, "the owner of %d namespace%s is outside this user "
		    "namespace's view", denied, denied == 1 ? "" : "s");
	return added;
}
