/*
 * select.c - which namespaces a view shows, in what order, and how they
 * nest in a tree.
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "util.h"
#include "views.h"

/* Whether WHAT starts ID, at least 4 characters or all of it. */
static bool
id_prefix(const char *id, const char *what)
{
	size_t len = strlen(what);

	return id != NULL && (len >= 4 || strlen(id) == len) &&
	    strncmp(id, what, len) == 0;
}

/*
 * A container by name, pod name, unit, "NAMESPACE/NAME" (containerd,
 * Kubernetes), or the start of its id or its pod's id (4+ characters, or
 * the whole id): what `podman pod ps`, `docker ps` or `ctr task ls` print.
 */
bool
nsf_container_match(const struct nsf_container *c, const char *what)
{
	const char *slash = strchr(what, '/'), *nsp;
	size_t nslen;

	if (c == NULL)
		return false;
	if ((c->name && strcmp(c->name, what) == 0) ||
	    (c->pod && strcmp(c->pod, what) == 0) ||
	    (c->engine && strcmp(c->engine, "host") == 0 &&
	    strcmp(what, "host") == 0) ||
	    (c->unit && strcmp(c->unit, what) == 0))
		return true;
	if (slash != NULL) {
		nsp = c->ctr_namespace ? c->ctr_namespace : c->k8s_namespace;
		nslen = (size_t)(slash - what);
		if (nsp == NULL || strlen(nsp) != nslen ||
		    strncmp(nsp, what, nslen) != 0)
			return false;
		return nsf_container_match(c, slash + 1);
	}
	return id_prefix(c->id, what) || id_prefix(c->pod_uid, what);
}

static void
select_proc_ns(bool *sel, const struct nsf_proc *p)
{
	size_t t;
	int e;

	for (e = 0; e < NSF_NENTRIES; e++)
		if (p->ns[e])
			sel[p->ns[e]->index] = true;
	for (t = 0; t < p->nthr; t++)
		for (e = 0; e < NSF_NENTRIES; e++)
			if (p->threads[t].ns[e])
				sel[p->threads[t].ns[e]->index] = true;
}

static void
select_pid(struct nsf_graph *g, bool *sel, pid_t pid)
{
	struct nsf_proc *p = graph_find_proc(g, pid);

	memset(sel, 0, g->nns * sizeof(*sel));
	if (p != NULL)
		select_proc_ns(sel, p);
}

/*
 * Whether P runs inside its container, rather than being the engine's
 * monitor for it (conmon, lxc monitor, nspawn's supervisor) or a process
 * known only by its pod (podman's conmons under cgroupfs), which live in
 * the host's namespaces.
 */
static bool
is_member(const struct nsf_proc *p)
{
	const struct nsf_container *c = p->container;

	return !p->kthread && c != NULL && c->engine != NULL && !c->monitor &&
	    strcmp(c->engine, "kernel") != 0 && strcmp(c->engine, "host") != 0 &&
	    (c->id != NULL || c->name != NULL);
}

/*
 * --container X: the namespaces attributed to X, and every namespace a
 * task of X is in, shared with another container or not (a pod's net,
 * docker's --network container:).
 */
static void
select_container(struct nsf_graph *g, bool *want, const char *what)
{
	size_t i;

	for (i = 0; i < g->nns; i++)
		if (nsf_container_match(g->ns[i]->container, what))
			want[i] = true;
	for (i = 0; i < g->nprocs; i++)
		if (is_member(g->procs[i]) &&
		    nsf_container_match(g->procs[i]->container, what))
			select_proc_ns(want, g->procs[i]);
}

static bool
same_container(const struct nsf_container *a, const struct nsf_container *b)
{
	char *la, *lb;
	bool same;

	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	la = nsf_container_label(a);
	lb = nsf_container_label(b);
	same = la != NULL && lb != NULL && strcmp(la, lb) == 0;
	free(la);
	free(lb);
	return same;
}

/*
 * The other containers with a task in NS (the namespace is theirs too),
 * each once; known only when every process was attributed, and not said
 * of the host's namespaces.  The caller
 * frees the array, not what it points to.
 */
size_t
nsf_container_sharers(struct nsf_graph *g, struct nsf_ns *ns,
    const struct nsf_container ***out)
{
	const struct nsf_container **v = NULL, *c;
	size_t i, k, n = 0;
	int e;

	*out = NULL;
	if (ns->initial)
		return 0;	/* every container shares something of the host's */
	for (i = 0; i < g->nprocs; i++)
		if (!g->procs[i]->container_done && !g->procs[i]->kthread)
			return 0;	/* not every process was attributed */
	for (i = 0; i < g->nprocs; i++) {
		const struct nsf_proc *p = g->procs[i];

		if (!is_member(p) || same_container(c = p->container,
		    ns->container))
			continue;
		for (e = 0; e < NSF_NENTRIES && p->ns[e] != ns; e++)
			;
		if (e == NSF_NENTRIES)
			continue;
		for (k = 0; k < n && !same_container(v[k], c); k++)
			;
		if (k < n)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = c;
	}
	*out = v;
	return n;
}

bool *
nsf_select(struct nsf_graph *g, const struct nsf_filter *f)
{
	bool *sel = xcalloc(g->nns + 1, sizeof(*sel)), *want = NULL;
	struct nsf_ns *ns;
	size_t i;

	for (i = 0; i < g->nns; i++)
		sel[i] = true;
	if (f->pid > 0)
		select_pid(g, sel, f->pid);
	if (f->container) {
		want = xcalloc(g->nns + 1, sizeof(*want));
		select_container(g, want, f->container);
	}
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (f->types && !(f->types & (1u << ns->type)))
			sel[i] = false;
		if (f->ino && ns->ino != f->ino)
			sel[i] = false;
		if (f->hidden && !nsf_ns_hidden(ns))
			sel[i] = false;
		if (want && !want[i])
			sel[i] = false;
	}
	free(want);
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
