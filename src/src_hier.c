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
follow(struct nsf_graph *g, struct nsf_ns *of, int fd, unsigned long req,
    int type, int *added)
{
	size_t before = g->nns;
	struct nsf_ns *ns;
	int nfd;

	if ((nfd = ioctl(fd, req)) < 0) {
		/* Every run goes up to the same top: one note for all rounds. */
		if (errno == EPERM && req == NS_GET_USERNS)
			graph_note_item(g, "the owner of %d namespace%s is outside "
			    "nsfind's user namespace", 0, "%s:[%llu]",
			    nsf_type_name(of->type), (unsigned long long)of->ino);
		return NULL;
	}
	ns = nsf_ns_from_fd(g, nfd, type);
	if (g->nns > before)
		(*added)++;
	return ns;
}

/* Returns how many namespaces it added. */
int
src_hier(struct nsf_graph *g)
{
	struct nsf_ns *ns;
	int added = 0, fd, lost = 0;
	size_t i;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->hier_done || ns->unresolved)
			continue;
		if (ns->inode_only && ns->fd < 0 && ns->id == 0) {
			ns->hier_done = true;	/* its source said why already */
			continue;
		}
		if ((fd = nsf_ns_fd(g, ns)) < 0) {
			if (ns->lost) {
				ns->hier_done = true;
				lost++;
				graph_note_item(g, "could not examine the owner "
				    "and parent of %d namespace%s", EMFILE,
				    "%s:[%llu]", nsf_type_name(ns->type),
				    (unsigned long long)ns->ino);
			}
			continue;
		}
		ns->hier_done = true;
		/* The initial user namespace has no owner: EPERM is its answer. */
		if (!(ns->type == NSF_USER && ns->initial))
			ns->owner = follow(g, ns, fd, NS_GET_USERNS, NSF_USER,
			    &added);
		/* The parent of a pid ns is a pid ns, of a user ns a user ns. */
		if ((ns->type == NSF_PID || ns->type == NSF_USER) && !ns->initial)
			ns->parent = follow(g, ns, fd, NS_GET_PARENT, ns->type,
			    &added);
		/* Mount and network namespaces are read again later. */
		if (nsf_ns_reopenable(g, ns) ||
		    (ns->type != NSF_MNT && ns->type != NSF_NET))
			nsf_ns_close(g, ns);
	}
	g->incomplete += lost;
	return added;
}
