/*
 * src_netlink.c - interfaces of every network namespace, and the network
 * namespaces that only an interface reveals.
 *
 * A veth, macvlan or vxlan whose peer or lower device sits in another
 * namespace names that namespace by a netnsid local to its own.  Each id
 * is mapped to a namespace nsfind holds by asking RTM_GETNSID with that
 * namespace's fd.  An id that maps to none of them is a network namespace
 * that every other source missed: it is added as unresolved, with the
 * links the kernel lets us list through IFLA_TARGET_NETNSID.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netinfo.h"
#include "sources.h"
#include "util.h"

struct nctx {
	struct nsf_graph *g;
	struct nsf_ns	**nets;		/* resolved network namespaces */
	struct nsf_nl	**nl;		/* one socket in each */
	size_t		  n;
	int		  assigned;	/* ids the kernel assigned during dumps */
};

void
nsf_netinfo_free(struct nsf_netinfo *ni)
{
	if (ni == NULL)
		return;
	free(ni->links);
	free(ni->peer);
	free(ni);
}

static struct nsf_netinfo *
netinfo_new(void)
{
	struct nsf_netinfo *ni = xcalloc(1, sizeof(*ni));

	ni->nsid = NSF_NSID_UNKNOWN;
	return ni;
}

static void
set_links(struct nsf_netinfo *ni, struct nsf_link *links, size_t n)
{
	ni->links = links;
	ni->nlinks = n;
	ni->peer = xcalloc(n + 1, sizeof(*ni->peer));
}

/* The links of every network namespace, and its id as nsfind's netns knows it. */
static void
list_links(struct nctx *c, struct nsf_nl *self)
{
	struct nsf_link *links;
	const int *ids;
	size_t i, n;
	int r, id;

	for (i = 0; i < c->n; i++) {
		struct nsf_ns *ns = c->nets[i];

		ns->net = netinfo_new();
		/* Known only by inode (no fd): nothing can be asked of it. */
		if (ns->fd < 0) {
			ns->net->err = EBADF;
			continue;
		}
		if (self && nsf_nl_nsid(self, ns->fd, &id) == 0)
			ns->net->nsid = id;
		if ((c->nl[i] = nsf_nl_open(ns->fd)) == NULL) {
			ns->net->err = errno;
			continue;
		}
		if ((r = nsf_nl_links(c->nl[i], &links, &n)) < 0) {
			ns->net->err = -r;
			continue;
		}
		set_links(ns->net, links, n);
		c->assigned += nsf_nl_assigned(c->nl[i], &ids);
	}
}

static bool
has_ifindex(const struct nsf_ns *ns, int ifindex)
{
	size_t i;

	for (i = 0; ns->net && i < ns->net->nlinks; i++)
		if (ns->net->links[i].ifindex == ifindex)
			return true;
	return false;
}

/*
 * Which namespace does namespace i know as nsid?  Namespaces that hold an
 * interface with the peer's ifindex are asked first; then all.
 */
static struct nsf_ns *
resolve(struct nctx *c, size_t i, int nsid, int peer_ifindex, bool self_too)
{
	size_t pass, k;
	int id;

	if (c->nl[i] == NULL)
		return NULL;
	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < c->n; k++) {
			if ((k == i && !self_too) || c->nets[k]->fd < 0)
				continue;
			if (pass == 0 && !has_ifindex(c->nets[k], peer_ifindex))
				continue;
			if (pass == 1 && peer_ifindex > 0 && has_ifindex(c->nets[k], peer_ifindex))
				continue;	/* asked in pass 0 */
			if (nsf_nl_nsid(c->nl[i], c->nets[k]->fd, &id) == 0 && id == nsid)
				return c->nets[k];
		}
	}
	return NULL;
}

/*
 * Links listed through IFLA_TARGET_NETNSID carry ids of the namespace
 * that asked (from), and a peer may be that namespace itself.
 */
static void
resolve_listed(struct nctx *c, size_t from, struct nsf_netinfo *ni)
{
	size_t k;

	for (k = 0; k < ni->nlinks; k++)
		if (ni->links[k].link_netnsid >= 0)
			ni->peer[k] = resolve(c, from, ni->links[k].link_netnsid,
			    ni->links[k].link_ifindex, true);
}

/* A namespace only known as "nsid N of namespace from": list it, once. */
static struct nsf_ns *
unresolved(struct nctx *c, size_t from, int nsid, const char *ifname)
{
	struct nsf_graph *g = c->g;
	struct nsf_link *links;
	struct nsf_ns *ns;
	size_t i, n;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->unresolved && ns->seen_from == c->nets[from] && ns->nsid == nsid)
			return ns;
	}
	ns = graph_add_unresolved(g, NSF_NET);
	ns->seen_from = c->nets[from];
	ns->nsid = nsid;
	ns->net = netinfo_new();
	ns->net->nsid = nsid;
	const int *ids;

	if (c->nl[from] && nsf_nl_links_by_nsid(c->nl[from], nsid, &links, &n) == 0) {
		set_links(ns->net, links, n);
		c->assigned += nsf_nl_assigned(c->nl[from], &ids);
		resolve_listed(c, from, ns->net);
	}
	graph_note(g, "network namespace %d as seen from net:[%llu] (interface %s) "
	    "was found by no other source: something nsfind cannot inspect holds it",
	    nsid, (unsigned long long)c->nets[from]->ino, ifname);
	return ns;
}

static void
resolve_peers(struct nctx *c)
{
	struct nsf_netinfo *ni;
	struct nsf_link *l;
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		ni = c->nets[i]->net;
		for (k = 0; k < ni->nlinks; k++) {
			l = &ni->links[k];
			if (l->link_netnsid < 0)
				continue;
			ni->peer[k] = resolve(c, i, l->link_netnsid, l->link_ifindex, false);
			if (ni->peer[k] == NULL)
				ni->peer[k] = unresolved(c, i, l->link_netnsid, l->name);
		}
	}
}

int
src_netlink(struct nsf_graph *g)
{
	struct nctx c = { g, NULL, NULL, 0, 0 };
	struct nsf_nl *self;
	size_t i;

	c.nets = xcalloc(g->nns + 1, sizeof(*c.nets));
	for (i = 0; i < g->nns; i++)
		if (g->ns[i]->type == NSF_NET && !g->ns[i]->unresolved && !g->ns[i]->net)
			c.nets[c.n++] = g->ns[i];
	c.nl = xcalloc(c.n + 1, sizeof(*c.nl));
	self = nsf_nl_open(-1);
	list_links(&c, self);
	resolve_peers(&c);
	for (i = 0; i < c.n; i++)
		if (c.nl[i])
			nsf_nl_close(c.nl[i]);
	if (self)
		nsf_nl_close(self);
	if (c.assigned)
		graph_note(g, "the kernel assigned %d netns id%s while nsfind listed "
		    "links (any link dump does so for a peer without one)",
		    c.assigned, c.assigned == 1 ? "" : "s");
	free(c.nl);
	free(c.nets);
	return 0;
}
