/*
 * src_netlink.c - interfaces of every network namespace, and the network
 * namespaces that only an interface reveals.
 *
 * The kernel assigns a netnsid whenever it describes a link whose peer
 * lives in a namespace the asking one has no id for (that is how `ip link`
 * changes `ip netns list-id`).  nsfind only reads, so it asks from a
 * network namespace of its own, made for the purpose and gone when nsfind
 * exits: each namespace gets an id there, its links are listed through
 * IFLA_TARGET_NETNSID, and whatever ids the kernel hands out land in that
 * private table.  A peer id that maps to none of the namespaces nsfind
 * holds is a network namespace every other source missed: it is listed as
 * unresolved, with its own links, and noted.
 *
 * Without the privilege to make that namespace, only nsfind's own network
 * namespace is read, the way `ip link` would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "netinfo.h"
#include "nsfd.h"
#include "sources.h"
#include "util.h"

/* A namespace to list, and the id nsfind's private namespace has for it. */
struct item {
	struct nsf_ns	*ns;
	int		 id;
};

struct nctx {
	struct nsf_graph *g;
	bool		 addrs;		/* list addresses too (DETAILS) */
	struct nsf_nl	*priv;
	struct item	*items;
	size_t		 n, cap;
};

void
nsf_netinfo_free(struct nsf_netinfo *ni)
{
	if (ni == NULL)
		return;
	free(ni->links);
	free(ni->addrs);
	free(ni->peer);
	free(ni->peer_nsid);
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
	size_t k;

	ni->links = links;
	ni->nlinks = n;
	ni->peer = xcalloc(n + 1, sizeof(*ni->peer));
	ni->peer_nsid = xcalloc(n + 1, sizeof(*ni->peer_nsid));
	for (k = 0; k < n; k++)
		ni->peer_nsid[k] = -1;
}

static void
add_item(struct nctx *c, struct nsf_ns *ns, int id)
{
	nsf_grow(&c->items, &c->cap, c->n, sizeof(*c->items));
	c->items[c->n].ns = ns;
	c->items[c->n++].id = id;
}

static struct item *
item_by_id(struct nctx *c, int id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->items[i].id == id)
			return &c->items[i];
	return NULL;
}

/* A namespace known only as a peer id: listed once, with its own links. */
static struct nsf_ns *
unresolved(struct nctx *c, struct item *from, int id, const char *ifname)
{
	struct nsf_ns *ns = graph_add_unresolved(c->g, NSF_NET);
	int local = -1;

	nsf_nl_nsid_at(c->priv, from->id, -1, id, &local);
	ns->seen_from = from->ns;
	ns->nsid = local;
	ns->net = netinfo_new();
	ns->net->nsid = local;	/* as documented: the id of the namespace that revealed it */
	if (local >= 0)
		graph_note(c->g, "network namespace %d as seen from net:[%llu] (interface "
		    "%s) was found by no other source: something nsfind cannot inspect "
		    "holds it", local, (unsigned long long)from->ns->ino, ifname);
	else	/* net:[X] has no id for it: say so, not "-1" */
		graph_note(c->g, "a network namespace with no nsid in net:[%llu] (peer of "
		    "interface %s) was found by no other source: something nsfind cannot "
		    "inspect holds it", (unsigned long long)from->ns->ino, ifname);
	add_item(c, ns, id);
	return ns;
}

/* The addresses of the namespace nl knows as nsid (-1: nl's own). */
static void
get_addrs(struct nsf_netinfo *ni, struct nsf_nl *nl, int nsid)
{
	int r;

	if ((r = nsf_nl_addrs_by_nsid(nl, nsid, &ni->addrs, &ni->naddrs)) == 0)
		ni->addrs_read = true;
	else
		ni->addrs_err = -r;
}

/* The links of item i, and where each one's peer lives. */
static void
list_item(struct nctx *c, size_t i)
{
	struct nsf_netinfo *ni = c->items[i].ns->net;
	struct nsf_link *links;
	struct item *peer;
	size_t n, k;
	int r, id;

	if ((r = nsf_nl_links_by_nsid(c->priv, c->items[i].id, &links, &n)) < 0) {
		ni->err = -r;
		return;
	}
	set_links(ni, links, n);
	if (c->addrs)
		get_addrs(ni, c->priv, c->items[i].id);
	for (k = 0; k < n; k++) {
		if ((id = links[k].link_netnsid) < 0)
			continue;
		/* items may grow below: look up by index, not pointer. */
		if ((peer = item_by_id(c, id)) != NULL)
			ni->peer[k] = peer->ns;
		else
			ni->peer[k] = unresolved(c, &c->items[i], id, links[k].name);
		ni = c->items[i].ns->net;
		nsf_nl_nsid_at(c->priv, c->items[i].id, -1, id, &ni->peer_nsid[k]);
	}
}

static void
via_private(struct nctx *c, struct nsf_ns **nets, size_t n)
{
	size_t i;
	int fd, id, r;

	/* An id in the private namespace holds nothing: each fd goes at once. */
	for (i = 0; i < n; i++) {
		if ((fd = nsf_ns_fd(c->g, nets[i])) < 0) {
			nets[i]->net->err = EBADF;	/* known only by inode */
			continue;
		}
		if ((r = nsf_nl_newnsid(c->priv, fd, &id)) < 0)
			nets[i]->net->err = -r;
		else
			add_item(c, nets[i], id);
		if (nsf_ns_reopenable(c->g, nets[i]))
			nsf_ns_close(c->g, nets[i]);
	}
	for (i = 0; i < c->n; i++)
		list_item(c, i);
}

/* Unprivileged: only our own namespace, its peers among the ones we hold. */
static void
via_self(struct nsf_graph *g, struct nsf_nl *self, struct nsf_ns **nets, size_t n,
    bool addrs)
{
	struct nsf_netinfo *ni;
	struct nsf_link *links;
	size_t i, k, m;
	int id;

	for (i = 0; i < n && !nets[i]->self; i++)
		;
	if (i == n || self == NULL || nsf_nl_links(self, &links, &m) < 0)
		return;
	ni = nets[i]->net;
	set_links(ni, links, m);
	if (addrs)
		get_addrs(ni, self, -1);
	for (k = 0; k < m; k++) {
		if (links[k].link_netnsid < 0)
			continue;
		ni->peer_nsid[k] = links[k].link_netnsid;
		for (i = 0; i < n; i++) {
			int fd = nsf_ns_fd(g, nets[i]);

			if (fd >= 0 && nsf_nl_nsid(self, fd, &id) == 0 &&
			    id == links[k].link_netnsid)
				ni->peer[k] = nets[i];
			if (nsf_ns_reopenable(g, nets[i]))
				nsf_ns_close(g, nets[i]);
		}
	}
	graph_note(g, "without the privilege to make a network namespace of its "
	    "own, nsfind lists only the interfaces of its own");
}

int
src_netlink(struct nsf_graph *g, bool addrs)
{
	struct nctx c = { g, addrs, NULL, NULL, 0, 0 };
	struct nsf_ns **nets;
	struct nsf_nl *self;
	size_t i, n = 0;
	int fd, id;

	nets = xcalloc(g->nns + 1, sizeof(*nets));
	for (i = 0; i < g->nns; i++)
		if (g->ns[i]->type == NSF_NET && !g->ns[i]->unresolved && !g->ns[i]->net)
			nets[n++] = g->ns[i];
	/* NETNSID: the id nsfind's own netns has for each; asking assigns none. */
	self = nsf_nl_open(-1);
	for (i = 0; i < n; i++) {
		nets[i]->net = netinfo_new();
		if (self && (fd = nsf_ns_fd(g, nets[i])) >= 0 &&
		    nsf_nl_nsid(self, fd, &id) == 0)
			nets[i]->net->nsid = id;
		if (nsf_ns_reopenable(g, nets[i]))
			nsf_ns_close(g, nets[i]);
	}
	if ((c.priv = nsf_nl_open(NSF_NL_PRIVATE)) != NULL)
		via_private(&c, nets, n);
	else
		via_self(g, self, nets, n, addrs);
	if (c.priv)
		nsf_nl_close(c.priv);
	if (self)
		nsf_nl_close(self);
	free(c.items);
	free(nets);
	return 0;
}
