/*
 * select.c - which namespaces a view shows, in what order, and how they
 * nest in a tree.
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "util.h"
#include "views.h"

static void
select_pid(struct nsf_graph *g, bool *sel, pid_t pid)
{
	struct nsf_proc *p = graph_find_proc(g, pid);
	size_t t;
	int e;

	memset(sel, 0, g->nns * sizeof(*sel));
	if (p == NULL)
		return;
	for (e = 0; e < NSF_NENTRIES; e++)
		if (p->ns[e])
			sel[p->ns[e]->index] = true;
	for (t = 0; t < p->nthr; t++)
		for (e = 0; e < NSF_NENTRIES; e++)
			if (p->threads[t].ns[e])
				sel[p->threads[t].ns[e]->index] = true;
}

/* A container by name, pod, unit, or the start of its id (4+ characters). */
bool
nsf_container_match(const struct nsf_container *c, const char *what)
{
	size_t len = strlen(what);

	if (c == NULL)
		return false;
	if ((c->name && strcmp(c->name, what) == 0) ||
	    (c->pod && strcmp(c->pod, what) == 0) ||
	    (c->unit && strcmp(c->unit, what) == 0))
		return true;
	return c->id && len >= 4 && strncmp(c->id, what, len) == 0;
}

bool *
nsf_select(struct nsf_graph *g, const struct nsf_filter *f)
{
	bool *sel = xcalloc(g->nns + 1, sizeof(*sel));
	struct nsf_ns *ns;
	size_t i;

	for (i = 0; i < g->nns; i++)
		sel[i] = true;
	if (f->pid > 0)
		select_pid(g, sel, f->pid);
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (f->types && !(f->types & (1u << ns->type)))
			sel[i] = false;
		if (f->ino && ns->ino != f->ino)
			sel[i] = false;
		if (f->hidden && !nsf_ns_hidden(ns))
			sel[i] = false;
		if (f->container && !nsf_container_match(ns->container, f->container))
			sel[i] = false;
	}
	return sel;
}

static int
cmp_ns(const void *a, const void *b)
{
	const struct nsf_ns *x = *(struct nsf_ns * const *)a;
	const struct nsf_ns *y = *(struct nsf_ns * const *)b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->type - y->type;
}

/* The selected namespaces by inode, as lsns orders them. */
struct nsf_ns **
nsf_sorted(struct nsf_graph *g, const bool *sel, size_t *n)
{
	struct nsf_ns **v = xcalloc(g->nns + 1, sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < g->nns; i++)
		if (sel == NULL || sel[i])
			v[(*n)++] = g->ns[i];
	qsort(v, *n, sizeof(*v), cmp_ns);
	return v;
}

struct nsf_ns *
nsf_tree_up(struct nsf_ns *ns, enum nsf_tree t)
{
	struct nsf_ns *up = t == NSF_TREE_OWNER ? ns->owner : ns->parent;

	return up == ns ? NULL : up;
}

/* The children of ns in tree t, sorted; the caller frees *out. */
void
nsf_tree_down(struct nsf_ns *ns, enum nsf_tree t, struct nsf_ns ***out, size_t *n)
{
	struct nsf_ns **src = t == NSF_TREE_OWNER ? ns->owned : ns->kids;

	*n = t == NSF_TREE_OWNER ? ns->nowned : ns->nkids;
	*out = xcalloc(*n + 1, sizeof(**out));
	if (*n)
		memcpy(*out, src, *n * sizeof(**out));
	qsort(*out, *n, sizeof(**out), cmp_ns);
}
