/*
 * src_container.c - who is behind each namespace: a container, pod,
 * systemd unit, sandbox or the kernel.
 *
 * The evidence comes in order of trust: the process's cgroup, then an
 * ancestor that is a container shim, monitor or sandbox setter, then the
 * process's own command line (sandboxes with no cgroup of their own),
 * then the state directories of bare OCI runtimes (runc, crun).  The
 * initial namespaces are the host's.  Names come from
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

/*
 * Sandbox setters (bwrap, firejail, unshare --fork) nest: an outer one
 * stays on the host and an inner one becomes the sandbox's first process.
 * `firejail --list` names a sandbox by the outer one's pid, so the
 * sandbox's id is the pid of the topmost of a run of the same tool.
 */
static void
sandbox_id(struct nsf_graph *g, const struct nsf_scanopts *o,
    struct nsf_proc *a, struct nsf_container *c)
{
	struct nsf_proc *up;
	int hops;

	if (c->id != NULL || (strcmp(c->engine, "bubblewrap") != 0 &&
	    strcmp(c->engine, "firejail") != 0 &&
	    strcmp(c->engine, "unshare") != 0))
		return;
	for (hops = 0; hops < MAX_ANCESTRY && a->ppid > 0 &&
	    (up = graph_find_proc(g, a->ppid)) != NULL; hops++) {
		src_proc_details(g, up, o);
		if (up->comm == NULL || a->comm == NULL ||
		    strcmp(up->comm, a->comm) != 0)
			break;
		a = up;
	}
	if (asprintf(&c->id, "%d", (int)a->pid) < 0)
		c->id = NULL;
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
		    a->argv ? a->argv : "", a->argvlen, c)) {
			sandbox_id(g, o, a, c);
			return 1;
		}
	}
	return 0;
}

/* The process's own command line; a sandbox setter is known by its pid. */
static int
from_cmdline(struct nsf_graph *g, const struct nsf_scanopts *o,
    struct nsf_proc *p, struct nsf_container *c)
{
	if (p->argv == NULL ||
	    !nsf_container_from_cmdline(p->argv, p->argvlen, c))
		return 0;
	sandbox_id(g, o, p, c);
	return 1;
}

/* P and its ancestors' pids, for engines that record one of them. */
static size_t
chain(struct nsf_graph *g, struct nsf_proc *p, int *pids)
{
	size_t n = 0;

	for (; p != NULL && p->pid > 1 && n < MAX_ANCESTRY;
	    p = p->ppid > 0 ? graph_find_proc(g, p->ppid) : NULL)
		pids[n++] = (int)p->pid;
	return n;
}

/* A bare runc or crun container: the process or an ancestor is its init. */
static int
from_oci_state(struct nsf_graph *g, const struct nsf_scanopts *o,
    struct nsf_proc *p, struct nsf_container *c)
{
	int pids[MAX_ANCESTRY];
	size_t n = chain(g, p, pids);

	return n > 0 && nsf_container_from_oci_state(o->state_root, pids, n, c);
}

/* A bubblewrap sandbox that is a Flatpak app says more as the app. */
static void
flatpak(struct nsf_graph *g, const struct nsf_scanopts *o, struct nsf_proc *p,
    struct nsf_container *c)
{
	struct nsf_container fp;
	int pids[MAX_ANCESTRY];
	size_t n;

	if (c->engine == NULL || strcmp(c->engine, "bubblewrap") != 0 ||
	    (n = chain(g, p, pids)) == 0 ||
	    !nsf_container_from_flatpak(o->state_root, pids, n, &fp))
		return;
	nsf_container_free(c);
	*c = fp;
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
	if (from_ancestry(g, o, p, &alt) || from_cmdline(g, o, p, &alt) ||
	    from_oci_state(g, o, p, &alt)) {
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
	flatpak(g, o, p, c);
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

/*
 * The initial namespaces are the host's, whichever task has the lowest
 * pid in them (kthreadd, when /proc/1 cannot be read).
 */
static struct nsf_container *
host_container(void)
{
	struct nsf_container *c = xcalloc(1, sizeof(*c));

	c->engine = xstrdup("host");
	c->source = "initial";
	return c;
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
		if (ns->initial) {
			ns->container = host_container();
			ns->container_owned = true;
			continue;
		}
		pid = ns->proc ? ns->proc->pid : ns->nthread_only ? ns->thread_pid :
		    ns->nchildren ? ns->children_pid : 0;
		if (pid > 0)
			ns->container = proc_container(g, o, pid);
		else
			hidden_ns(g, o, ns);
	}
	for (i = 0; all && i < g->nprocs; i++)
		proc_container(g, o, g->procs[i]->pid);
	nsf_container_oci_forget();
}
