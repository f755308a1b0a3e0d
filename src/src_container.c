/*
 * src_container.c - who is behind each namespace: a container, pod,
 * systemd unit, sandbox or the kernel.
 *
 * The evidence comes in order of trust: the process's cgroup, then an
 * ancestor that is a container shim or monitor, then the process's own
 * command line (sandboxes with no cgroup of their own).  Names come from
 * what the engines leave on disk (container.c), never from their APIs.
 * A namespace no process is in is attributed through the process that
 * holds it, or the path it is bind-mounted on.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "sources.h"
#include "util.h"

#define MAX_ANCESTRY	64

static int
from_cgroup(const struct nsf_scanopts *o, pid_t pid, struct nsf_container *c)
{
	char path[64], *text;
	int r = 0;

	snprintf(path, sizeof(path), "%s/%d/cgroup", o->proc, (int)pid);
	if (nsf_slurp_at(AT_FDCWD, path, &text) < 0)
		return 0;
	r = nsf_container_from_cgroup(text, c);
	free(text);
	return r;
}

static int
from_ancestry(struct nsf_graph *g, const struct nsf_scanopts *o,
    struct nsf_proc *p, struct nsf_container *c)
{
	struct nsf_proc *a = p;
	int hops;

	for (hops = 0; hops < MAX_ANCESTRY; hops++) {
		if (a->ppid <= 0 || (a = graph_find_proc(g, a->ppid)) == NULL)
			return 0;
		src_proc_details(g, a, o);
		if (a->comm && nsf_container_from_ancestor(a->comm,
		    a->argv ? a->argv : "", a->argvlen, c))
			return 1;
	}
	return 0;
}

static struct nsf_container *
attribute(struct nsf_graph *g, const struct nsf_scanopts *o, struct nsf_proc *p)
{
	struct nsf_container *c = xcalloc(1, sizeof(*c)), alt;

	src_proc_details(g, p, o);
	if (p->kthread) {
		/* Kernel threads: flagged, so that every row names an owner. */
		c->engine = xstrdup("kernel");
		c->name = p->comm ? xstrdup(p->comm) : NULL;
		c->source = "kthread";
		return c;
	}
	if (from_cgroup(o, p->pid, c) && c->engine)
		goto found;
	/* A unit from the cgroup is kept unless something says more. */
	if (from_ancestry(g, o, p, &alt) ||
	    (p->argv && nsf_container_from_cmdline(p->argv, p->argvlen, &alt))) {
		nsf_container_free(c);
		*c = alt;
		goto found;
	}
	if (c->unit)
		return c;
	nsf_container_free(c);
	free(c);
	return NULL;
found:
	nsf_container_resolve_name(c, o->state_root);
	return c;
}

static struct nsf_container *
proc_container(struct nsf_graph *g, const struct nsf_scanopts *o, pid_t pid)
{
	struct nsf_proc *p;

	if (pid <= 0 || (p = graph_find_proc(g, pid)) == NULL)
		return NULL;
	if (p->container == NULL && !p->container_done) {
		p->container_done = true;
		p->container = attribute(g, o, p);
	}
	return p->container;
}

/* The container of one process (--why names it for each process it shows). */
struct nsf_container *
src_proc_container(struct nsf_graph *g, const struct nsf_scanopts *o, pid_t pid)
{
	return proc_container(g, o, pid);
}

/* Paths engines bind-mount namespaces on, for namespaces with no process. */
static struct nsf_container *
from_mount_path(const char *path)
{
	static const struct { const char *prefix, *engine; } known[] = {
		{ "/run/docker/netns/", "docker" },
		{ "/var/run/docker/netns/", "docker" },
		{ "/run/netns/cni-", "kubernetes" },
		{ "/var/run/netns/cni-", "kubernetes" },
		{ "/run/snapd/ns/", "snap" },
		{ "/run/user/", NULL },
	};
	struct nsf_container *c;
	const char *rest, *dot;
	size_t i;

	for (i = 0; i < NSF_ARRAY_SIZE(known); i++) {
		if (known[i].engine == NULL ||
		    strncmp(path, known[i].prefix, strlen(known[i].prefix)) != 0)
			continue;
		rest = path + strlen(known[i].prefix);
		c = xcalloc(1, sizeof(*c));
		c->engine = xstrdup(known[i].engine);
		c->source = "mount";
		/* /run/snapd/ns/<snap>.mnt names the snap; docker's is a sandbox key. */
		if ((dot = strrchr(rest, '.')) != NULL && strcmp(dot, ".mnt") == 0)
			c->name = xstrndup(rest, dot - rest);
		else
			c->id = xstrdup(rest);
		return c;
	}
	return NULL;
}

static void
hidden_ns(struct nsf_graph *g, const struct nsf_scanopts *o, struct nsf_ns *ns)
{
	size_t i;

	for (i = 0; i < ns->nholders && ns->container == NULL; i++) {
		const struct nsf_holder *h = &ns->holders[i];

		if (h->kind == NSF_H_BINDMOUNT && h->path) {
			if ((ns->container = from_mount_path(h->path)) != NULL)
				ns->container_owned = true;
		} else if (h->pid > 0)
			ns->container = proc_container(g, o, h->pid);
	}
}

/* Attribute every namespace, and every process when all is set. */
void
src_containers(struct nsf_graph *g, const struct nsf_scanopts *o, bool all)
{
	struct nsf_ns *ns;
	pid_t pid;
	size_t i;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		pid = ns->proc ? ns->proc->pid : ns->nthread_only ? ns->thread_pid :
		    ns->nchildren ? ns->children_pid : 0;
		if (pid > 0)
			ns->container = proc_container(g, o, pid);
		else
			hidden_ns(g, o, ns);
	}
	for (i = 0; all && i < g->nprocs; i++)
		proc_container(g, o, g->procs[i]->pid);
}
