/*
 * view_dot.c - the graph itself, for Graphviz: namespaces as nodes;
 * ownership (dashed), parenthood (bold), bind mounts inside a mount
 * namespace (dotted) and network links between namespaces (undirected).
 */
#include <stdio.h>

#include "netinfo.h"
#include "views.h"

static void
node_id(FILE *out, const struct nsf_ns *ns)
{
	if (ns->unresolved)
		fprintf(out, "\"unresolved_%zu\"", ns->index);
	else
		fprintf(out, "\"%s_%llu\"", nsf_type_name(ns->type),
		    (unsigned long long)ns->ino);
}

static void
node(FILE *out, const struct nsf_ns *ns)
{
	node_id(out, ns);
	if (ns->unresolved)
		fprintf(out, " [label=\"net ?\\nnsid %d\", style=dashed];\n", ns->nsid);
	else
		fprintf(out, " [label=\"%s\\n%llu%s\"%s];\n", nsf_type_name(ns->type),
		    (unsigned long long)ns->ino, ns->initial ? "\\n(initial)" : "",
		    nsf_ns_hidden(ns) ? ", style=filled, fillcolor=lightpink" : "");
}

static void
edge(FILE *out, const struct nsf_ns *a, const struct nsf_ns *b, const char *attr)
{
	node_id(out, a);
	fputs(" -> ", out);
	node_id(out, b);
	fprintf(out, " [%s];\n", attr);
}

/* One edge per mount namespace, however many mounts it has of ns. */
static bool
mount_seen(const struct nsf_ns *ns, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (ns->holders[i].mntns == ns->holders[k].mntns)
			return true;
	return false;
}

int
view_dot(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	struct nsf_ns *ns;
	size_t i, k;

	fputs("digraph namespaces {\n\trankdir=LR;\n\tnode [shape=box];\n", out);
	for (i = 0; i < g->nns; i++)
		if (v->sel[i])
			node(out, g->ns[i]);
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (!v->sel[i])
			continue;
		if (ns->owner && v->sel[ns->owner->index])
			edge(out, ns->owner, ns, "style=dashed, label=owns");
		if (ns->parent && v->sel[ns->parent->index])
			edge(out, ns->parent, ns, "style=bold, label=parent");
		for (k = 0; k < ns->nholders; k++)
			if (ns->holders[k].mntns && v->sel[ns->holders[k].mntns->index] &&
			    !mount_seen(ns, k))
				edge(out, ns->holders[k].mntns, ns, "style=dotted, label=mount");
		for (k = 0; ns->net && k < ns->net->nlinks; k++) {
			const struct nsf_ns *p = ns->net->peer[k];

			if (p && v->sel[p->index] && (p->index > ns->index || p->unresolved))
				edge(out, ns, p, "dir=none, color=red, label=link");
		}
	}
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}
