/*
 * src_mounts.c - namespaces bind-mounted anywhere, in every mount
 * namespace nsfind knows of.
 *
 * `ip netns add` is one case of a general one: an nsfs file bind-mounted
 * on any path keeps its namespace alive, and the mount may live in a
 * mount namespace that no process uses (itself held by an fd or a bind
 * mount).  Each mount namespace in the graph is searched once: its mount
 * table through a process in it when there is one (/proc/PID/mountinfo),
 * otherwise through the namespace itself (statmount).  The table names
 * type and inode of every nsfs mount, and which are covered by another
 * mount; only a namespace the graph does not know yet is looked up by
 * its path, in a child with a deadline (mount_walk.c), and opened by
 * handle.  Mount namespaces found on the way are searched on the next
 * round of discover.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "nsfd.h"
#include "sources.h"
#include "util.h"

struct mctx {
	struct nsf_graph *g;
	const struct nsf_scanopts *o;
	int		 added;
};

/* mountinfo of a process of ns that is still in it, or -1. */
static int
open_via_proc(struct mctx *c, struct nsf_ns *ns, pid_t *pid)
{
	char path[64];
	struct stat st;
	int dirfd, mifd;

	if (ns->proc == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%d", c->o->proc, (int)ns->proc->pid);
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	mifd = openat(dirfd, "mountinfo", O_RDONLY | O_CLOEXEC);
	/* The pid may have been reused since the scan: check it is still in ns. */
	if (mifd >= 0 && (fstatat(dirfd, "ns/mnt", &st, 0) < 0 ||
	    st.st_ino != ns->ino || st.st_dev != ns->dev)) {
		close(mifd);
		mifd = -1;
	}
	close(dirfd);
	*pid = ns->proc->pid;
	return mifd;
}

/* The namespace a mount root names, if the graph knows it already. */
static struct nsf_ns *
known(struct mctx *c, const struct nsf_nsmount *m)
{
	struct nsf_ns *ns;

	if (c->g->nsfs_dev == 0 || (ns = graph_find(c->g, c->g->nsfs_dev, m->ino)) == NULL)
		return NULL;
	return (int)ns->type == nsf_type_from_name(m->type) ? ns : NULL;
}

/* Known by the mount table alone: type and inode, on the one nsfs device. */
static struct nsf_ns *
by_inode(struct mctx *c, const struct nsf_nsmount *m)
{
	struct nsf_ns *ns;
	int type;

	if ((type = nsf_type_from_name(m->type)) < 0 || c->g->nsfs_dev == 0)
		return NULL;
	ns = graph_add(c->g, type, c->g->nsfs_dev, m->ino, NULL);
	if (ns->id == 0 && ns->fd < 0)
		ns->inode_only = true;
	return ns;
}

static void
add_holder(struct nsf_ns *mntns, const struct nsf_nsmount *m,
    struct nsf_ns *ns)
{
	struct nsf_holder h;

	if (ns == NULL)
		return;
	memset(&h, 0, sizeof(h));
	h.kind = NSF_H_BINDMOUNT;
	h.path = m->path;
	h.mntns = mntns;
	h.covered = m->covered;
	h.covered_by = m->covered_by;
	h.slot = -1;
	graph_add_holder(ns, &h);
}

/* Why a mount's namespace could not be opened, in a grouped note. */
static void
note_unopened(struct mctx *c, struct nsf_ns *mntns, const struct nsf_nsmount *m,
    int err)
{
	struct strbuf sb = STRBUF_INIT;

	sb_adds(&sb, m->path);
	if (!mntns->self)
		sb_addf(&sb, " in mnt:[%llu]", (unsigned long long)mntns->ino);
	if (err == ETIMEDOUT) {
		graph_note_item(c->g, "%d mount%s whose filesystem did not answer "
		    "in time (--timeout): their namespaces are listed by inode only",
		    0, "%s", sb_str(&sb));
		c->g->incomplete++;
	} else if (err == ECANCELED) {
		graph_note_item(c->g, "%d mount%s not looked up: nsfind's time "
		    "limit (--timeout) was reached; listed by inode only", 0, "%s",
		    sb_str(&sb));
		c->g->incomplete++;
	} else if (m->covered)
		graph_note_item(c->g, "%d covered namespace bind mount%s, "
		    "listed by inode only", 0, "%s (covered by %s)", sb_str(&sb),
		    m->covered_by ? m->covered_by : "another mount");
	else {
		graph_note_item(c->g, "could not open %d namespace bind mount%s",
		    err, "%s", sb_str(&sb));
		if (err == EMFILE || err == ENFILE || err == ENOMEM)
			c->g->incomplete++;
	}
	sb_free(&sb);
}

/* An identified mount: open its namespace by handle. */
static struct nsf_ns *
open_identified(struct mctx *c, const struct nsf_nsmount *m, uint64_t id,
    int *err)
{
	int fd, type = nsf_type_from_name(m->type);

	if (type < 0) {
		*err = EINVAL;
		return NULL;
	}
	if ((fd = nsf_open_handle(id, type, m->ino)) < 0) {
		*err = -fd;
		return NULL;
	}
	return nsf_ns_from_fd(c->g, fd, type);
}

/* Look up, by handle in one child, the mounts whose res[i].err is 1. */
static void
identify(struct mctx *c, int mntns_fd, pid_t pid, const struct nsf_nsmount *m,
    size_t n, struct nsf_mhandle *res)
{
	struct nsf_nsmount *todo = xcalloc(n, sizeof(*todo));
	struct nsf_mhandle *tres = xcalloc(n, sizeof(*tres));
	size_t *map = xcalloc(n, sizeof(*map)), i, k = 0;
	long long t0, deadline;

	for (i = 0; i < n; i++)
		if (res[i].err == 1) {
			map[k] = i;
			todo[k++] = m[i];
		}
	deadline = graph_walk_begin(c->g, &t0);
	if (k > 0 && nsf_nsmounts_identify(mntns_fd, pid, todo, k, tres,
	    deadline) == 0)
		for (i = 0; i < k; i++)
			res[map[i]] = tres[i];
	graph_walk_end(c->g, t0);
	free(todo);
	free(tres);
	free(map);
}

/*
 * Before 6.18 there are no nsfs handles: a child enters the mount
 * namespace, opens the mounts and passes the fds back (mount_open.c),
 * under the walk budget.  The fds are probed and let go at once.
 */
static void
open_fds(struct mctx *c, int mntns_fd, pid_t pid, const struct nsf_nsmount *m,
    size_t n, struct nsf_mhandle *res, struct nsf_ns **got)
{
	struct nsf_nsmount *todo = xcalloc(n, sizeof(*todo));
	size_t *map = xcalloc(n, sizeof(*map)), i, k = 0;
	long long t0, left = graph_walk_begin(c->g, &t0) - t0;
	int own = -1, *tf;
	char path[64];

	/* Through the process's mount namespace: never a walk in our own process. */
	if (mntns_fd < 0 && pid > 0) {
		snprintf(path, sizeof(path), "%s/%d/ns/mnt", c->o->proc, (int)pid);
		mntns_fd = own = open(path, O_RDONLY | O_CLOEXEC);
	}
	for (i = 0; i < n; i++)
		if (res[i].err == 1) {
			map[k] = i;
			todo[k++] = m[i];
		}
	tf = xcalloc(k + 1, sizeof(*tf));
	if (k > 0 && left > 0 && mntns_fd >= 0)
		nsf_nsmounts_open_timeout(mntns_fd, -1, todo, k, tf,
		    left > 60000 ? 60000 : (int)left);
	else
		for (i = 0; i < k; i++)
			tf[i] = left <= 0 ? -ECANCELED : -EBADF;
	for (i = 0; i < k; i++) {
		if (tf[i] >= 0) {
			res[map[i]].err = 0;
			got[map[i]] = nsf_ns_from_fd(c->g, tf[i], -1);
		} else
			res[map[i]].err = tf[i];
	}
	if (own >= 0)
		close(own);
	free(todo);
	free(map);
	free(tf);
	graph_walk_end(c->g, t0);
}

/*
 * Only mounts of namespaces the graph does not know yet are looked up:
 * the mount table already names the others, and a lookup costs a path
 * walk in a forked child.  A covered mount is not looked up at all: its
 * path leads to what covers it.
 */
static void
resolve(struct mctx *c, struct nsf_ns *mntns, int mntns_fd, pid_t pid,
    struct nsf_nsmount *m, size_t n)
{
	struct nsf_mhandle *res = xcalloc(n, sizeof(*res));
	struct nsf_ns **got = xcalloc(n, sizeof(*got)), *ns;
	size_t i, before, unknown;
	int err;

	for (i = 0, unknown = 0; i < n; i++) {
		res[i].err = known(c, &m[i]) ? 0 : m[i].covered ? -ESTALE : 1;
		unknown += res[i].err == 1;
	}
	/* In case the process it was read through has gone since. */
	if (unknown && mntns_fd < 0 && nsf_ns_reopenable(c->g, mntns))
		mntns_fd = nsf_ns_fd(c->g, mntns);
	if (c->g->handles)
		identify(c, mntns_fd, pid, m, n, res);
	else
		open_fds(c, mntns_fd, pid, m, n, res, got);
	for (i = 0; i < n; i++) {
		before = c->g->nns;
		err = 0;
		if ((ns = known(c, &m[i])) == NULL && (ns = got[i]) == NULL) {
			if (res[i].err == 0 && res[i].id)
				ns = open_identified(c, &m[i], res[i].id, &err);
			else
				err = -res[i].err;
			if (ns == NULL) {
				note_unopened(c, mntns, &m[i], err > 0 ? err : EIO);
				ns = by_inode(c, &m[i]);
			}
		}
		if (c->g->nns > before)
			c->added++;
		add_holder(mntns, &m[i], ns);
	}
	free(res);
	free(got);
}

/* List the nsfs mounts of mntns (through fd, or a process in it). */
static void
search(struct mctx *c, struct nsf_ns *mntns, int fd)
{
	struct nsf_nsmount *m = NULL;
	size_t n = 0;
	pid_t pid = 0;
	int mifd, r;

	if (mntns->pre_read) {
		/* Read already, in parallel, by the worker that met it first. */
		m = mntns->pre_m;
		n = mntns->pre_n;
		pid = mntns->pre_pid;
		mntns->pre_m = NULL;
		mntns->pre_n = 0;
		r = 0;
	} else if ((mifd = open_via_proc(c, mntns, &pid)) >= 0) {
		r = nsf_mountinfo_nsfs_fd(mifd, &m, &n);
		close(mifd);
	} else if (fd >= 0) {
		pid = 0;
		r = nsf_statmount_nsfs(fd, &m, &n);
		/* Before 6.8 (or under tools that do not know the syscall). */
		if (r == -ENOSYS)
			r = nsf_mountinfo_in_ns(fd, &m, &n);
	} else if (mntns->lost)
		r = -EMFILE;
	else
		return;		/* gone since it was found, or by inode only */
	if (r < 0) {
		graph_note_item(c->g, "could not list the mounts of %d mount "
		    "namespace%s", -r, "mnt:[%llu]", (unsigned long long)mntns->ino);
		if (r == -EMFILE || r == -ENFILE || r == -ENOMEM)
			c->g->incomplete++;
	}
	if (r == 0 && n > 0)
		resolve(c, mntns, fd, pid, m, n);
	nsf_nsmounts_free(m, n);
}

void
src_mounts_in(struct nsf_graph *g, const struct nsf_scanopts *o,
    struct nsf_ns *mntns, int fd)
{
	struct mctx c = { g, o, 0 };

	mntns->mounts_done = true;
	search(&c, mntns, fd);
}

int
src_mounts(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct mctx c = { g, o, 0 };
	struct nsf_ns *ns;
	size_t i;
	int fd;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->type != NSF_MNT || ns->mounts_done || ns->unresolved)
			continue;
		/* --no-mounts: only our own, where `ip netns` names live. */
		if (!o->mounts && !ns->self)
			continue;
		ns->mounts_done = true;
		/* A process in it is enough; otherwise the namespace itself. */
		fd = ns->proc || ns->pre_read ? -1 : nsf_ns_fd(g, ns);
		if (ns->proc && !ns->pre_read && nsf_ns_reopenable(g, ns))
			fd = nsf_ns_fd(g, ns);	/* in case the process is gone */
		search(&c, ns, fd);
		nsf_ns_close(g, ns);
	}
	return c.added;
}

/*
 * `ip netns` names: the bind mounts in nsfind's own mount namespace right
 * under the netns directory.  Read from the mount table, never opened:
 * an open file there would make `ip netns del` fail with EBUSY.
 */
void
src_netns_names(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	const struct nsf_holder *h;
	const char *dir = o->netns_dir, *rest;
	size_t i, k, dl = strlen(dir);

	for (i = 0; i < g->nns; i++) {
		if (g->ns[i]->type != NSF_NET)
			continue;
		for (k = 0; k < g->ns[i]->nholders; k++) {
			h = &g->ns[i]->holders[k];
			if (h->kind != NSF_H_BINDMOUNT || h->covered ||
			    h->mntns == NULL || !h->mntns->self || h->path == NULL)
				continue;
			if (strncmp(h->path, dir, dl) != 0 || h->path[dl] != '/')
				continue;
			rest = h->path + dl + 1;
			if (*rest && strchr(rest, '/') == NULL)
				graph_add_name(g->ns[i], rest);
		}
	}
}
