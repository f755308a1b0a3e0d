/*
 * view_dot.c - the graph itself, for Graphviz: namespaces as nodes
 * (with their `ip netns` names and, when hidden, what holds them);
 * ownership (dashed), parenthood (bold), bind mounts inside a mount
 * namespace (dotted) and network links between namespaces (red,
 * undirected), each container's namespaces in a cluster named for it.
 *
 * It stays readable, and quick to lay out, on a host of hundreds of
 * containers: what adds nothing is folded.  Nearly every namespace is
 * owned by the initial user namespace and has the initial pid or user
 * namespace as parent; those edges are left out and counted in the
 * initial namespace's label instead.  The copies of one bind mount in
 * other mount namespaces are one edge, with their count.
 *
 * Labels carry host strings (container names, paths, interface names):
 * they are escaped by escape.h's text policy, then for DOT's quoted
 * strings (quote and backslash).
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "escape.h"
#include "netinfo.h"
#include "views.h"

/* A host string inside a DOT "...": \xHH escapes, then \" and \\. */
static void
dot_str(struct strbuf *out, const char *s)
{
	struct strbuf t = STRBUF_INIT;
	const char *p;

	nsf_esc_text(&t, s ? s : "");
	for (p = sb_str(&t); *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(out, '\\');
		sb_addc(out, *p);
	}
	sb_free(&t);
}

static void
node_id(struct strbuf *sb, const struct nsf_ns *ns)
{
	if (ns->unresolved)
		sb_addf(sb, "\"unresolved_%zu\"", ns->index);
	else
		sb_addf(sb, "\"%s_%llu\"", nsf_type_name(ns->type),
		    (unsigned long long)ns->ino);
}

/* Edges folded into an initial namespace: it owns, or is the parent of. */
struct fold {
	size_t	*owns, *kids;
};

static void
node(struct strbuf *sb, const struct nsf_ns *ns, const struct fold *f)
{
	size_t i, k, n;

	node_id(sb, ns);
	if (ns->unresolved) {
		if (ns->nsid >= 0)
			sb_addf(sb, " [label=\"net ?\\nnsid %d\", style=dashed];\n", ns->nsid);
		else
			sb_adds(sb, " [label=\"net ?\\nnsid unassigned\", style=dashed];\n");
		return;
	}
	sb_addf(sb, " [label=\"%s\\n%llu", nsf_type_name(ns->type),
	    (unsigned long long)ns->ino);
	if (ns->initial)
		sb_adds(sb, "\\n(initial)");
	for (i = 0; i < ns->nnames && i < 2; i++) {
		sb_adds(sb, "\\n");
		dot_str(sb, ns->names[i]);
	}
	/* What keeps a hidden one alive is why it is in the picture. */
	for (i = 0, n = 0; nsf_ns_hidden(ns) && i < ns->nall; i++) {
		for (k = 0; k < i; k++)
			if (ns->all[k].kind == ns->all[i].kind)
				break;
		if (k == i)
			sb_addf(sb, "%s%s", n++ ? ", " : "\\nheld by ",
			    nsf_hkind_name(ns->all[i].kind));
	}
	if (f->owns[ns->index])
		sb_addf(sb, "\\nowns %zu more", f->owns[ns->index]);
	if (f->kids[ns->index])
		sb_addf(sb, "\\nparent of %zu more", f->kids[ns->index]);
	sb_addc(sb, '"');
	if (nsf_ns_hidden(ns))
		sb_adds(sb, ", style=filled, fillcolor=lightpink");
	sb_adds(sb, "];\n");
}

static void
edge(struct strbuf *sb, const struct nsf_ns *a, const struct nsf_ns *b,
    const char *attr)
{
	node_id(sb, a);
	sb_adds(sb, " -> ");
	node_id(sb, b);
	sb_addf(sb, " [%s];\n", attr);
}

/* The cluster a namespace is drawn in: its container's name, or none. */
static char *
cluster_of(const struct nsf_ns *ns)
{
	const struct nsf_container *c = ns->container;

	if (ns->initial || ns->unresolved || c == NULL ||
	    (c->engine && strcmp(c->engine, "kernel") == 0))
		return NULL;
	return nsf_container_label(c);
}

struct member {
	char		*label;
	struct nsf_ns	*ns;
};

static int
by_label(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	int r = strcmp(x->label, y->label);

	if (r != 0)
		return r;
	return x->ns->index < y->ns->index ? -1 : x->ns->index > y->ns->index;
}

/* Nodes: those of each container in its cluster, then the others. */
static void
nodes(struct nsf_graph *g, const struct nsf_viewopts *v, const struct fold *f,
    struct strbuf *sb)
{
	struct member *m;
	size_t i, n = 0, nc = 0;
	char *label;

	m = xcalloc(g->nns + 1, sizeof(*m));
	for (i = 0; i < g->nns; i++) {
		if (!v->sel[i])
			continue;
		if ((label = cluster_of(g->ns[i])) == NULL)
			node(sb, g->ns[i], f);
		else {
			m[n].label = label;
			m[n++].ns = g->ns[i];
		}
	}
	qsort(m, n, sizeof(*m), by_label);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(m[i].label, m[i - 1].label) != 0) {
			sb_addf(sb, "subgraph \"cluster_%zu\" {\n\tlabel=\"", nc++);
			dot_str(sb, m[i].label);
			sb_adds(sb, "\";\n\tstyle=rounded;\n");
		}
		sb_addc(sb, '\t');
		node(sb, m[i].ns, f);
		if (i + 1 == n || strcmp(m[i].label, m[i + 1].label) != 0)
			sb_adds(sb, "}\n");
	}
	for (i = 0; i < n; i++)
		free(m[i].label);
	free(m);
}

/*
 * Bind-mount edges: one per path, from the mount namespace of the copy
 * nsfind sees (or the first), with how many copies other mount
 * namespaces have.
 */
static void
mount_edges(const struct nsf_viewopts *v, struct nsf_ns *ns, struct strbuf *sb)
{
	const struct nsf_holder *h, *rep;
	struct strbuf attr = STRBUF_INIT;
	size_t k, i, copies;

	for (k = 0; k < ns->nholders; k++) {
		h = &ns->holders[k];
		if (h->kind != NSF_H_BINDMOUNT || h->path == NULL)
			continue;
		for (i = 0; i < k; i++)
			if (ns->holders[i].kind == NSF_H_BINDMOUNT &&
			    ns->holders[i].path && strcmp(ns->holders[i].path, h->path) == 0)
				break;
		if (i < k)
			continue;	/* a copy of one drawn already */
		rep = NULL;
		copies = 0;
		for (i = k; i < ns->nholders; i++) {
			if (ns->holders[i].kind != NSF_H_BINDMOUNT ||
			    ns->holders[i].path == NULL ||
			    strcmp(ns->holders[i].path, h->path) != 0)
				continue;
			copies++;
			if (ns->holders[i].mntns && v->sel[ns->holders[i].mntns->index] &&
			    (rep == NULL || ns->holders[i].mntns->self))
				rep = &ns->holders[i];
		}
		if (rep == NULL)
			continue;
		sb_reset(&attr);
		sb_adds(&attr, "style=dotted, label=\"mount ");
		dot_str(&attr, h->path);
		if (copies > 1)
			sb_addf(&attr, " +%zu cop%s", copies - 1, copies == 2 ? "y" : "ies");
		sb_addc(&attr, '"');
		edge(sb, rep->mntns, ns, sb_str(&attr));
	}
	sb_free(&attr);
}

/* Does p list the other end of ns's link k, pointing back at ns? */
static bool
paired(const struct nsf_ns *ns, size_t k)
{
	const struct nsf_ns *p = ns->net->peer[k];
	const struct nsf_link *l = &ns->net->links[k];
	size_t i;

	if (p == NULL || p->net == NULL)
		return false;
	for (i = 0; i < p->net->nlinks; i++)
		if (p->net->peer[i] == ns && p->net->links[i].ifindex == l->link_ifindex &&
		    p->net->links[i].link_ifindex == l->ifindex)
			return true;
	return false;
}

/*
 * Links: every link whose other end is in another namespace.  A veth
 * pair, which both ends list, is drawn once; a macvlan, ipvlan or vxlan,
 * which only its own namespace lists, is drawn from there.
 */
static void
link_edges(const struct nsf_viewopts *v, struct nsf_ns *ns, struct strbuf *sb)
{
	struct strbuf attr = STRBUF_INIT;
	const struct nsf_link *l;
	const struct nsf_ns *p;
	const char *pn;
	size_t k;

	for (k = 0; ns->net && k < ns->net->nlinks; k++) {
		p = ns->net->peer[k];
		l = &ns->net->links[k];
		if (p == NULL || p == ns || !v->sel[p->index])
			continue;
		if (paired(ns, k) && p->index < ns->index)
			continue;	/* drawn from p */
		sb_reset(&attr);
		sb_adds(&attr, "dir=none, color=red, label=\"");
		dot_str(&attr, l->name);
		if (l->kind[0] && strcmp(l->kind, "veth") != 0) {
			sb_addc(&attr, ' ');
			dot_str(&attr, l->kind);
		}
		if ((pn = nsf_peer_name(p, l->link_ifindex)) != NULL) {
			sb_adds(&attr, " - ");
			dot_str(&attr, pn);
		}
		sb_addc(&attr, '"');
		edge(sb, ns, p, sb_str(&attr));
	}
	sb_free(&attr);
}

/* Is the edge up -> ns one that every namespace has (folded)? */
static bool
folded(const struct nsf_ns *up)
{
	return up->initial;
}

int
view_dot(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct fold f;
	struct nsf_ns *ns;
	size_t i;

	f.owns = xcalloc(g->nns + 1, sizeof(size_t));
	f.kids = xcalloc(g->nns + 1, sizeof(size_t));
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (!v->sel[i])
			continue;
		if (ns->owner && ns->owner != ns && v->sel[ns->owner->index] &&
		    folded(ns->owner))
			f.owns[ns->owner->index]++;
		if (ns->parent && ns->parent != ns && v->sel[ns->parent->index] &&
		    folded(ns->parent))
			f.kids[ns->parent->index]++;
	}
	sb_adds(&sb, "digraph namespaces {\n\trankdir=LR;\n\tnode [shape=box];\n");
	nodes(g, v, &f, &sb);
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (!v->sel[i])
			continue;
		if (ns->owner && ns->owner != ns && v->sel[ns->owner->index] &&
		    !folded(ns->owner))
			edge(&sb, ns->owner, ns, "style=dashed, label=owns");
		if (ns->parent && ns->parent != ns && v->sel[ns->parent->index] &&
		    !folded(ns->parent))
			edge(&sb, ns->parent, ns, "style=bold, label=parent");
		mount_edges(v, ns, &sb);
		link_edges(v, ns, &sb);
	}
	sb_adds(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, out);
	sb_free(&sb);
	free(f.owns);
	free(f.kids);
	return ferror(out) ? -1 : 0;
}
