/*
 * src_mounts.c - namespaces bind-mounted anywhere, in every mount
 * namespace nsfind knows of.
 *
 * `ip netns add` is one case of a general one: an nsfs file bind-mounted
 * on any path keeps its namespace alive, and the mount may live in a
 * mount namespace that no process uses (itself held by an fd or a bind
 * mount).  Each mount namespace in the graph is searched once: through a
 * process in it when there is one (/proc/PID/mountinfo, opened under
 * /proc/PID/root), otherwise through the namespace itself (statmount, and a
 * forked child that enters it to open the mounts).  Mount namespaces found
 * on the way are searched on the next round of discover.c.
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
	int		 unreadable;	/* mount namespaces we could not list */
	int		 unopened;	/* mounts we could not open */
	int		 lasterr;
};

/* A process of ns that is still there, with its root and mountinfo open. */
static int
open_via_proc(struct mctx *c, struct nsf_ns *ns, int *rootfd, int *mifd)
{
	char path[64];
	struct stat st;
	int dirfd;

	if (ns->proc == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%d", c->o->proc, (int)ns->proc->pid);
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	*rootfd = openat(dirfd, "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*mifd = openat(dirfd, "mountinfo", O_RDONLY | O_CLOEXEC);
	/* The pid may have been reused since the scan: check it is still in ns. */
	if (*rootfd < 0 || *mifd < 0 || fstatat(dirfd, "ns/mnt", &st, 0) < 0 ||
	    st.st_ino != ns->ino || st.st_dev != ns->dev) {
		if (*rootfd >= 0)
			close(*rootfd);
		if (*mifd >= 0)
			close(*mifd);
		close(dirfd);
		return -1;
	}
	close(dirfd);
	return 0;
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

static void
add_mount(struct mctx *c, struct nsf_ns *mntns, const struct nsf_nsmount *m,
    int fd)
{
	struct nsf_holder h;
	struct nsf_ns *ns;
	size_t before = c->g->nns;
	int type;

	if (fd >= 0)
		ns = nsf_ns_from_fd(c->g, fd, -1);
	else if (fd == -EEXIST)
		ns = known(c, m);
	else {
		/*
		 * Not openable (a symlink planted on the path, a race): the
		 * mount table still names type and inode, and every namespace
		 * lives on the one nsfs device.
		 */
		c->unopened++;
		c->lasterr = -fd;
		if ((type = nsf_type_from_name(m->type)) < 0 || c->g->nsfs_dev == 0)
			return;
		ns = graph_add(c->g, type, c->g->nsfs_dev, m->ino, NULL);
	}
	if (ns == NULL)
		return;
	if (c->g->nns > before)
		c->added++;
	memset(&h, 0, sizeof(h));
	h.kind = NSF_H_BINDMOUNT;
	h.path = m->path;
	h.mntns = mntns;
	graph_add_holder(ns, &h);
}

/*
 * Only mounts of namespaces the graph does not know yet are opened: the
 * mount table already names the others, and opening costs a path walk,
 * or a fork for a mount namespace that has no process.
 */
static void
open_unknown(struct mctx *c, struct nsf_ns *mntns, int rootfd,
    struct nsf_nsmount *m, size_t n)
{
	struct nsf_nsmount *todo;
	size_t i, k = 0;
	int *fds;

	todo = xcalloc(n, sizeof(*todo));
	for (i = 0; i < n; i++) {
		if (known(c, &m[i]))
			add_mount(c, mntns, &m[i], -EEXIST);
		else
			todo[k++] = m[i];
	}
	if (k > 0) {
		fds = xcalloc(k, sizeof(*fds));
		nsf_nsmounts_open(mntns->fd, rootfd, todo, k, fds);
		for (i = 0; i < k; i++)
			add_mount(c, mntns, &todo[i], fds[i]);
		free(fds);
	}
	free(todo);	/* the entries still belong to m */
}

static void
search(struct mctx *c, struct nsf_ns *mntns)
{
	struct nsf_nsmount *m = NULL;
	size_t n = 0;
	int rootfd = -1, mifd = -1, r;

	if (open_via_proc(c, mntns, &rootfd, &mifd) == 0) {
		r = nsf_mountinfo_nsfs_fd(mifd, &m, &n);
		close(mifd);
	} else if (mntns->fd >= 0) {
		r = nsf_statmount_nsfs(mntns->fd, &m, &n);
		/* Before 6.8 (or under tools that do not know the syscall). */
		if (r == -ENOSYS)
			r = nsf_mountinfo_in_ns(mntns->fd, &m, &n);
	} else
		r = -EBADF;
	if (r < 0) {
		c->unreadable++;
		c->lasterr = -r;
	}
	if (r == 0 && n > 0)
		open_unknown(c, mntns, rootfd, m, n);
	if (rootfd >= 0)
		close(rootfd);
	nsf_nsmounts_free(m, n);
}

int
src_mounts(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct mctx c = { g, o, 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < g->nns; i++) {
		if (g->ns[i]->type != NSF_MNT || g->ns[i]->mounts_done)
			continue;
		g->ns[i]->mounts_done = true;
		search(&c, g->ns[i]);
		nsf_ns_close(g->ns[i]);
	}
	if (c.unreadable)
		graph_note(g, "could not list the mounts of %d mount namespace%s: %s",
		    c.unreadable, c.unreadable == 1 ? "" : "s", strerror(c.lasterr));
	if (c.unopened)
		graph_note(g, "could not open %d namespace bind mount%s: %s",
		    c.unopened, c.unopened == 1 ? "" : "s", strerror(c.lasterr));
	return c.added;
}
