/*
 * graph.c - the namespace graph.
 *
 * Namespaces are keyed by the (st_dev, st_ino) of their nsfs file.  The
 * graph never touches the kernel: sources probe, the graph only records.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "details.h"
#include "graph.h"
#include "mounts.h"
#include "netinfo.h"
#include "util.h"

static const char *hkind_names[NSF_H_NKINDS] = {
	[NSF_H_PROCESS] = "process",
	[NSF_H_THREAD] = "thread",
	[NSF_H_CHILDREN] = "children",
	[NSF_H_OWNER] = "owner",
	[NSF_H_PARENT] = "parent",
	[NSF_H_FD] = "fd",
	[NSF_H_SOCKET] = "socket",
	[NSF_H_TUN] = "tun",
	[NSF_H_BINDMOUNT] = "bind-mount",
	[NSF_H_ZOMBIE] = "zombie",
	[NSF_H_UNKNOWN] = "unknown",
};

const char *
nsf_hkind_name(enum nsf_hkind k)
{
	return (unsigned)k < NSF_H_NKINDS ? hkind_names[k] : "?";
}

int
nsf_hkind_from_name(const char *s)
{
	int i;

	for (i = 0; i < NSF_H_NKINDS; i++)
		if (strcmp(s, hkind_names[i]) == 0)
			return i;
	return -1;
}

/* Hidden: no live process or thread is in it; something else keeps it. */
bool
nsf_ns_hidden(const struct nsf_ns *ns)
{
	return ns->ntasks == 0;
}

struct nsf_graph *
graph_new(void)
{
	struct nsf_graph *g = xcalloc(1, sizeof(*g));

	g->tabsize = 256;
	g->tab = xcalloc(g->tabsize, sizeof(*g->tab));
	return g;
}

static void
holder_free(struct nsf_holder *h)
{
	free(h->path);
	free(h->covered_by);
	free(h->ifname);
}

static void
ns_free(struct nsf_ns *ns)
{
	size_t i;

	nsf_netinfo_free(ns->net);
	nsf_nsmounts_free(ns->pre_m, ns->pre_n);
	nsf_details_free(ns->details);
	/* ns->container is borrowed from a process, or owned when ns_container_owned. */
	if (ns->container && ns->container_owned) {
		nsf_container_free(ns->container);
		free(ns->container);
	}
	if (ns->fd >= 0)
		close(ns->fd);
	for (i = 0; i < ns->nholders; i++)
		holder_free(&ns->holders[i]);
	free(ns->holders);
	for (i = 0; i < ns->nnames; i++)
		free(ns->names[i]);
	free(ns->names);
	free(ns->all);
	free(ns->owned);
	free(ns->kids);
	free(ns);
}

static void
proc_free(struct nsf_proc *p)
{
	if (p->container) {
		nsf_container_free(p->container);
		free(p->container);
	}
	free(p->comm);
	free(p->cmdline);
	free(p->argv);
	free(p->user);
	free(p->threads);
	free(p);
}

/* Notes of one kind and one error, with a few of their subjects. */
#define NOTE_EXAMPLES	3
struct nsf_notegroup {
	char	*what;		/* "could not open %d namespace bind mount%s" */
	int	 err;
	int	 count;
	char	*ex[NOTE_EXAMPLES];
};

static void
groups_free(struct nsf_graph *g)
{
	size_t i, k;

	for (i = 0; i < g->ngroups; i++) {
		free(g->groups[i].what);
		for (k = 0; k < NOTE_EXAMPLES; k++)
			free(g->groups[i].ex[k]);
	}
	free(g->groups);
	g->groups = NULL;
	g->ngroups = 0;
}

void
graph_free(struct nsf_graph *g)
{
	size_t i;

	if (g == NULL)
		return;
	groups_free(g);
	for (i = 0; i < g->nns; i++)
		ns_free(g->ns[i]);
	for (i = 0; i < g->nprocs; i++)
		proc_free(g->procs[i]);
	for (i = 0; i < g->nnotes; i++)
		free(g->notes[i]);
	free(g->notes);
	free(g->ns);
	free(g->tab);
	free(g->procs);
	free(g);
}

static size_t
slot(const struct nsf_graph *g, dev_t dev, uint64_t ino)
{
	uint64_t h = ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t)dev;

	return (h ^ (h >> 29)) & (g->tabsize - 1);
}

struct nsf_ns *
graph_find(struct nsf_graph *g, dev_t dev, uint64_t ino)
{
	size_t i = slot(g, dev, ino);
	struct nsf_ns *ns;

	while ((ns = g->tab[i]) != NULL) {
		if (ns->ino == ino && ns->dev == dev)
			return ns;
		i = (i + 1) & (g->tabsize - 1);
	}
	return NULL;
}

/* Lookup by inode alone, as a user names a namespace on the command line. */
struct nsf_ns *
graph_find_ino(struct nsf_graph *g, uint64_t ino)
{
	size_t i;

	for (i = 0; i < g->nns; i++)
		if (g->ns[i]->ino == ino)
			return g->ns[i];
	return NULL;
}

static void
tab_insert(struct nsf_graph *g, struct nsf_ns *ns)
{
	size_t i = slot(g, ns->dev, ns->ino);

	while (g->tab[i] != NULL)
		i = (i + 1) & (g->tabsize - 1);
	g->tab[i] = ns;
}

static void
tab_grow(struct nsf_graph *g)
{
	size_t i;

	free(g->tab);
	g->tabsize *= 2;
	g->tab = xcalloc(g->tabsize, sizeof(*g->tab));
	for (i = 0; i < g->nns; i++)
		tab_insert(g, g->ns[i]);
}

/* Find or add; *isnew says which. */
struct nsf_ns *
graph_add(struct nsf_graph *g, enum nsf_type type, dev_t dev, uint64_t ino,
    bool *isnew)
{
	struct nsf_ns *ns;

	if ((ns = graph_find(g, dev, ino)) != NULL) {
		if (isnew)
			*isnew = false;
		return ns;
	}
	ns = xcalloc(1, sizeof(*ns));
	ns->type = type;
	ns->dev = dev;
	ns->ino = ino;
	ns->fd = -1;
	ns->index = g->nns;
	nsf_grow(&g->ns, &g->ns_cap, g->nns, sizeof(*g->ns));
	g->ns[g->nns++] = ns;
	if (g->nns * 2 > g->tabsize)
		tab_grow(g);
	else
		tab_insert(g, ns);
	if (isnew)
		*isnew = true;
	return ns;
}

/*
 * A namespace known only indirectly (a peer netnsid that maps to no
 * namespace nsfind holds): it has no identity, so it is kept out of the
 * hash and only listed.
 */
struct nsf_ns *
graph_add_unresolved(struct nsf_graph *g, enum nsf_type type)
{
	struct nsf_ns *ns = xcalloc(1, sizeof(*ns));

	ns->type = type;
	ns->fd = -1;
	ns->unresolved = true;
	ns->index = g->nns;
	nsf_grow(&g->ns, &g->ns_cap, g->nns, sizeof(*g->ns));
	g->ns[g->nns++] = ns;
	return ns;
}

struct nsf_proc *
graph_add_proc(struct nsf_graph *g, pid_t pid)
{
	struct nsf_proc *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->ppid = -1;
	nsf_grow(&g->procs, &g->procs_cap, g->nprocs, sizeof(*g->procs));
	g->procs[g->nprocs++] = p;
	return p;
}

/* Binary search: the procfs source adds processes in pid order. */
struct nsf_proc *
graph_find_proc(struct nsf_graph *g, pid_t pid)
{
	size_t lo = 0, hi = g->nprocs, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->procs[mid]->pid == pid)
			return g->procs[mid];
		if (g->procs[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct nsf_holder *
graph_add_holder(struct nsf_ns *ns, const struct nsf_holder *h)
{
	struct nsf_holder *n;

	nsf_grow(&ns->holders, &ns->holders_cap, ns->nholders, sizeof(*n));
	n = &ns->holders[ns->nholders++];
	*n = *h;
	n->path = h->path ? xstrdup(h->path) : NULL;
	n->covered_by = h->covered_by ? xstrdup(h->covered_by) : NULL;
	n->ifname = h->ifname ? xstrdup(h->ifname) : NULL;
	return n;
}

void
graph_add_name(struct nsf_ns *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->nnames; i++)
		if (strcmp(ns->names[i], name) == 0)
			return;
	ns->names = xreallocarray(ns->names, ns->nnames + 1, sizeof(char *));
	ns->names[ns->nnames++] = xstrdup(name);
}

/* Notes say what nsfind could not inspect; each is kept once. */
void
graph_note(struct nsf_graph *g, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (i = 0; i < g->nnotes; i++) {
		if (strcmp(g->notes[i], sb_str(&sb)) == 0) {
			sb_free(&sb);
			return;
		}
	}
	nsf_grow(&g->notes, &g->notes_cap, g->nnotes, sizeof(char *));
	g->notes[g->nnotes++] = sb_detach(&sb);
}

/*
 * A note about one subject (a mount, a process, a namespace), grouped with
 * the others of the same kind and error: what is a format with one %d
 * (how many) and one %s (the plural "s"), err an errno or 0.  The groups
 * become notes in graph_finalize(), each naming its first subjects.
 */
void
graph_note_item(struct nsf_graph *g, const char *what, int err,
    const char *fmt, ...)
{
	struct nsf_notegroup *ng = NULL;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	size_t i;

	for (i = 0; i < g->ngroups && ng == NULL; i++)
		if (g->groups[i].err == err && strcmp(g->groups[i].what, what) == 0)
			ng = &g->groups[i];
	if (ng == NULL) {
		g->groups = xreallocarray(g->groups, g->ngroups + 1, sizeof(*ng));
		ng = &g->groups[g->ngroups++];
		memset(ng, 0, sizeof(*ng));
		ng->what = xstrdup(what);
		ng->err = err;
	}
	if (ng->count++ >= NOTE_EXAMPLES)
		return;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ng->ex[ng->count - 1] = sb_detach(&sb);
}

static void
render_groups(struct nsf_graph *g)
{
	struct strbuf sb = STRBUF_INIT;
	struct nsf_notegroup *ng;
	size_t i;
	int k;

	for (i = 0; i < g->ngroups; i++) {
		ng = &g->groups[i];
		sb_reset(&sb);
		sb_addf(&sb, ng->what, ng->count, ng->count == 1 ? "" : "s");
		if (ng->err)
			sb_addf(&sb, " (%s)", strerror(ng->err));
		for (k = 0; k < ng->count && k < NOTE_EXAMPLES; k++)
			sb_addf(&sb, "%s%s", k ? ", " : ": ", ng->ex[k]);
		if (ng->count > NOTE_EXAMPLES)
			sb_addf(&sb, " and %d more", ng->count - NOTE_EXAMPLES);
		graph_note(g, "%s", sb_str(&sb));
	}
	sb_free(&sb);
	groups_free(g);
}

static void
push(struct nsf_ns ***arr, size_t *n, struct nsf_ns *ns)
{
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = ns;
}

/* Append a derived holder: a kind, how many, and who stands for them. */
static struct nsf_holder *
derived(struct nsf_ns *ns, enum nsf_hkind kind, int count)
{
	struct nsf_holder *h = &ns->all[ns->nall++];

	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->count = count;
	h->slot = -1;
	return h;
}

/* Holders that follow from membership and hierarchy, then the explicit ones. */
static void
derive_holders(struct nsf_graph *g, struct nsf_ns *ns)
{
	struct nsf_holder *h;
	size_t i;

	ns->all = xcalloc(ns->nholders + 7, sizeof(*ns->all));
	if (ns->nprocs > 0) {
		h = derived(ns, NSF_H_PROCESS, ns->nprocs);
		h->proc = ns->proc;
		h->pid = ns->proc ? ns->proc->pid : 0;
	}
	if (ns->nthread_only > 0) {
		h = derived(ns, NSF_H_THREAD, ns->nthread_only);
		h->proc = graph_find_proc(g, h->pid = ns->thread_pid);
		h->tid = ns->thread_tid;
	}
	if (ns->nzombies > 0) {
		h = derived(ns, NSF_H_ZOMBIE, ns->nzombies);
		h->proc = graph_find_proc(g, h->pid = ns->zombie_pid);
		if (h->proc) {
			h->ppid = h->proc->ppid;
			h->parent = graph_find_proc(g, h->ppid);
		}
	}
	if (ns->nchildren > 0) {
		h = derived(ns, NSF_H_CHILDREN, ns->nchildren);
		h->proc = graph_find_proc(g, h->pid = ns->children_pid);
		h->entry = ns->children_entry;
	}
	if (ns->nowned > 0)
		derived(ns, NSF_H_OWNER, ns->nowned)->other = ns->owned[0];
	if (ns->nkids > 0)
		derived(ns, NSF_H_PARENT, ns->nkids)->other = ns->kids[0];
	for (i = 0; i < ns->nholders; i++)
		ns->all[ns->nall++] = ns->holders[i];
	if (ns->nall == 0)
		derived(ns, NSF_H_UNKNOWN, 0);
}

void
graph_finalize(struct nsf_graph *g)
{
	struct nsf_ns *ns;
	size_t i;

	if (g->finalized)
		return;
	g->finalized = true;
	render_groups(g);
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->owner && ns->owner != ns)
			push(&ns->owner->owned, &ns->owner->nowned, ns);
		if (ns->parent && ns->parent != ns)
			push(&ns->parent->kids, &ns->parent->nkids, ns);
	}
	for (i = 0; i < g->nns; i++)
		derive_holders(g, g->ns[i]);
}

/* A deadline for one path walk from what is left of the budget (mounts.h). */
long long
graph_walk_begin(struct nsf_graph *g, long long *start)
{
	*start = nsf_now_ms();
	return *start + (g->walk_left > 0 ? g->walk_left : 0);
}

void
graph_walk_end(struct nsf_graph *g, long long start)
{
	g->walk_left -= nsf_now_ms() - start;
}
