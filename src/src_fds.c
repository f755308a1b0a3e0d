/*
 * src_fds.c - namespaces held through a process's file descriptors.
 *
 * Three kinds of fd keep a namespace alive without any task in it: an fd
 * on an nsfs file (net:[...]), a socket created in a network namespace and
 * an open tun/tap device.  The first is reopened through /proc/PID/fd/N;
 * sockets and tun devices cannot be reopened that way, so they are copied
 * with pidfd_getfd(2) and asked for their namespace (SIOCGSKNS,
 * TUNGETDEVNETNS).  The copies are closed at once; nothing in the target
 * process changes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"
#include "nsfd.h"
#include "proc_gather.h"
#include "procparse.h"
#include "sources.h"
#include "util.h"

struct nsf_fdscan {
	struct nsf_graph *g;
	const char	*proc;
	pid_t		 pidfd_tid;	/* whose pidfd is cached */
	int		 pidfd;		/* -1 none yet, -2 refused */
	uint64_t	*socks;		/* socket inodes already asked, open hash */
	size_t		 nsocks, socks_cap;
	int		 nopidfd;	/* pidfd_getfd missing (ENOSYS) */
	int		 uring;		/* namespaces seen only in io_uring tables */
	int		 nothreadfd;	/* no pidfds for threads (before 6.9) */
};

struct nsf_fdscan *
src_fds_new(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct nsf_fdscan *fs = xcalloc(1, sizeof(*fs));

	fs->g = g;
	fs->proc = o->proc;
	fs->pidfd = -1;
	fs->socks_cap = 1024;
	fs->socks = xcalloc(fs->socks_cap, sizeof(*fs->socks));
	return fs;
}

static bool sock_seen(struct nsf_fdscan *, uint64_t);

static void
sock_rehash(struct nsf_fdscan *fs)
{
	uint64_t *old = fs->socks;
	size_t i, cap = fs->socks_cap;

	fs->socks_cap *= 2;
	fs->socks = xcalloc(fs->socks_cap, sizeof(*fs->socks));
	fs->nsocks = 0;
	for (i = 0; i < cap; i++)
		if (old[i])
			sock_seen(fs, old[i]);
	free(old);
}

/* Marks ino as seen; says whether it was already.  Shared sockets are asked once. */
static bool
sock_seen(struct nsf_fdscan *fs, uint64_t ino)
{
	size_t i;

	if (fs->nsocks * 2 >= fs->socks_cap)
		sock_rehash(fs);
	i = (ino * 0x9E3779B97F4A7C15ULL >> 17) & (fs->socks_cap - 1);
	while (fs->socks[i]) {
		if (fs->socks[i] == ino)
			return true;
		i = (i + 1) & (fs->socks_cap - 1);
	}
	fs->socks[i] = ino;
	fs->nsocks++;
	return false;
}

void
src_fds_done(struct nsf_fdscan *fs)
{
	if (fs->nopidfd)
		graph_note(fs->g, "pidfd_open or pidfd_getfd is missing (5.6+): "
		    "namespaces held only by sockets or tun devices are not seen");
	if (fs->nothreadfd)
		graph_note(fs->g, "sockets in a thread's own fd table need thread "
		    "pidfds (6.9+): not inspected");
	if (fs->uring)
		graph_note(fs->g, "could not open %d namespace%s held only through "
		    "io_uring registered files: owner and id unknown", fs->uring,
		    fs->uring == 1 ? "" : "s");
	if (fs->pidfd >= 0)
		close(fs->pidfd);
	free(fs->socks);
	free(fs);
}

void
src_fds_denied(struct nsf_fdscan *fs, pid_t pid)
{
	graph_note_item(fs->g, "could not read the open files of %d process%s",
	    EACCES, "%d", (int)pid);
}

/* One fd record being looked at, and the process it belongs to. */
struct fdctx {
	struct nsf_fdscan *fs;
	struct nsf_proc	*p;
	pid_t		 tid;		/* the task whose fd table this is */
};

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL		/* 6.9+: a pidfd for one thread */
#endif

/* A pidfd for the fd table's task, kept while its records come in a row. */
static int
task_pidfd(struct fdctx *c)
{
	struct nsf_fdscan *fs = c->fs;

	if (fs->pidfd_tid == c->tid)
		return fs->pidfd;
	if (fs->pidfd >= 0)
		close(fs->pidfd);
	fs->pidfd_tid = c->tid;
	fs->pidfd = syscall(SYS_pidfd_open, c->tid,
	    c->tid == c->p->pid ? 0 : PIDFD_THREAD);
	if (fs->pidfd < 0) {
		if (errno == ENOSYS)
			fs->nopidfd = 1;
		else if (errno == EINVAL && c->tid != c->p->pid)
			fs->nothreadfd = 1;
		fs->pidfd = -2;
	}
	return fs->pidfd;
}

/* A copy of the target's fd; the target's table does not change. */
static int
copy_fd(struct fdctx *c, int fd)
{
	int pidfd = task_pidfd(c), r;

	if (pidfd < 0)
		return -1;
	r = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (r < 0 && errno == ENOSYS)
		c->fs->nopidfd = 1;
	else if (r < 0 && (errno == EPERM || errno == EACCES)) {
		graph_note_item(c->fs->g, "could not inspect the sockets and tun "
		    "devices of %d process%s (pidfd_getfd refused)", 0, "%d",
		    (int)c->p->pid);
		close(pidfd);
		c->fs->pidfd = -2;
	}
	return r < 0 ? -1 : r;
}

/* "/proc/PID" or "/proc/PID/task/TID": where the record's fd table lives. */
static void
task_path(struct fdctx *c, const char *what, int fd, char *buf, size_t len)
{
	if (c->tid == c->p->pid)
		snprintf(buf, len, "%s/%d/%s/%d", c->fs->proc, (int)c->p->pid, what, fd);
	else
		snprintf(buf, len, "%s/%d/task/%d/%s/%d", c->fs->proc,
		    (int)c->p->pid, (int)c->tid, what, fd);
}

static void
add_holder(struct fdctx *c, struct nsf_ns *ns, enum nsf_hkind kind, int fd,
    const char *ifname)
{
	struct nsf_holder h;

	memset(&h, 0, sizeof(h));
	h.kind = kind;
	h.pid = c->p->pid;
	h.proc = c->p;
	h.tid = c->tid != c->p->pid ? c->tid : 0;
	h.slot = -1;
	h.fd = fd;
	h.ifname = (char *)ifname;
	graph_add_holder(ns, &h);
}

/*
 * An fd on a namespace: the link names it, so a namespace the graph knows
 * needs nothing more; otherwise the worker's fd, or a fresh open, probes it.
 */
static void
nsfs_fd(struct fdctx *c, struct nsf_frec *f)
{
	struct nsf_graph *g = c->fs->g;
	struct nsf_ns *ns;
	char path[96];
	int nfd = f->nsfd;

	f->nsfd = -1;
	ns = g->nsfs_dev ? graph_find(g, g->nsfs_dev, f->ino) : NULL;
	if (ns == NULL || (f->type >= 0 && (int)ns->type != f->type) ||
	    (ns->fd < 0 && !nsf_ns_reopenable(g, ns))) {
		if (nfd < 0) {
			task_path(c, "fd", f->fd, path, sizeof(path));
			nfd = open(path, O_RDONLY | O_CLOEXEC);
		}
		if (nfd >= 0)
			ns = nsf_ns_from_fd(g, nfd, f->type);
		else if (ns == NULL && f->id && f->type >= 0)
			ns = graph_add(g, f->type, g->nsfs_dev, f->ino, NULL);
		if (ns && f->id && ns->id == 0)
			ns->id = f->id;
	} else if (nfd >= 0)
		close(nfd);
	if (ns != NULL)
		add_holder(c, ns, NSF_H_FD, f->fd, NULL);
}

static void
socket_fd(struct fdctx *c, int fd, uint64_t ino)
{
	struct nsf_ns *ns;
	int copy, nfd;

	if (sock_seen(c->fs, ino) || (copy = copy_fd(c, fd)) < 0)
		return;
	nfd = ioctl(copy, SIOCGSKNS);
	close(copy);
	if (nfd < 0)
		return;
	ns = nsf_ns_from_fd(c->fs->g, nfd, NSF_NET);
	/* A socket in the process's own netns adds nothing: the process holds it. */
	if (ns != NULL && ns != c->p->ns[NSF_E_NET])
		add_holder(c, ns, NSF_H_SOCKET, fd, NULL);
}

/* The interface name from /proc/PID/fdinfo/N ("iff:\ttun0"). */
static char *
tun_name(struct fdctx *c, int fd)
{
	char path[96], buf[1024], *p, *e;

	task_path(c, "fdinfo", fd, path, sizeof(path));
	if (nsf_read_at(AT_FDCWD, path, buf, sizeof(buf)) <= 0 ||
	    (p = strstr(buf, "iff:")) == NULL)
		return NULL;
	p += 4;
	p += strspn(p, " \t");
	e = p + strcspn(p, "\n");
	return e > p ? xstrndup(p, e - p) : NULL;
}

static void
tun_fd(struct fdctx *c, int fd)
{
	struct nsf_ns *ns;
	char *ifname;
	int copy, nfd;

	if ((copy = copy_fd(c, fd)) < 0)
		return;
	nfd = ioctl(copy, TUNGETDEVNETNS);
	close(copy);
	if (nfd < 0)
		return;		/* not attached to a device */
	if ((ns = nsf_ns_from_fd(c->fs->g, nfd, NSF_NET)) == NULL)
		return;
	ifname = tun_name(c, fd);
	add_holder(c, ns, NSF_H_TUN, fd, ifname);
	free(ifname);
}

/*
 * io_uring keeps registered files after their fds are closed: fdinfo of
 * the ring lists them ("UserFiles:" then "  N: net:[ino]").  Taking one
 * out would mean submitting to the target's ring, which changes it, so
 * the namespace is recorded by inode on the nsfs device, without an fd.
 */
struct uring {
	struct fdctx	*c;
	int		 fd;
};

static void
uring_file(int slot, int type, uint64_t ino, void *arg)
{
	struct uring *u = arg;
	struct nsf_graph *g = u->c->fs->g;
	struct nsf_ns *ns;

	if (g->nsfs_dev == 0)
		return;
	ns = graph_add(g, type, g->nsfs_dev, ino, NULL);
	add_holder(u->c, ns, NSF_H_FD, u->fd, NULL);
	ns->holders[ns->nholders - 1].slot = slot;
	if (ns->fd < 0 && ns->id == 0)
		u->c->fs->uring++;
}

static void
uring_fd(struct fdctx *c, int fd)
{
	struct uring u = { c, fd };
	char path[96], *buf;

	task_path(c, "fdinfo", fd, path, sizeof(path));
	if (nsf_slurp_at(AT_FDCWD, path, &buf) < 0)
		return;
	nsf_parse_uring_files(buf, uring_file, &u);
	free(buf);
}

/*
 * A detached mount tree (open_tree(2) with OPEN_TREE_CLONE): no mount
 * namespace that /proc or the kernel walk shows holds it, so its nsfs
 * mounts are found by walking the tree through a copy of the fd, in a
 * child with a deadline (mount_walk.c).
 */
static void
tree_fd(struct fdctx *c, struct nsf_frec *f)
{
	struct nsf_graph *g = c->fs->g;
	struct nsf_treemount *m = NULL;
	struct nsf_holder h;
	struct nsf_ns *ns;
	size_t n = 0, i;
	long long t0, deadline;
	int copy, fd, type, r;

	if ((copy = copy_fd(c, f->fd)) < 0)
		return;
	deadline = graph_walk_begin(g, &t0);
	r = nsf_tree_walk(copy, g->nsfs_dev, deadline, &m, &n);
	graph_walk_end(g, t0);
	close(copy);
	if (r == -ETIMEDOUT || r == -E2BIG) {
		graph_note_item(g, "could not search %d detached mount tree%s to "
		    "the end", -r, "fd %d of %d", f->fd, (int)c->p->pid);
		g->incomplete++;
	}
	for (i = 0; i < n; i++) {
		ns = NULL;
		type = nsf_type_from_clone(m[i].nstype);
		if (type >= 0 && (fd = nsf_open_handle(m[i].id, type, m[i].ino)) >= 0)
			ns = nsf_ns_from_fd(g, fd, type);
		else if (type >= 0)
			ns = graph_add(g, type, g->nsfs_dev, m[i].ino, NULL);
		if (ns == NULL)
			continue;
		memset(&h, 0, sizeof(h));
		h.kind = NSF_H_BINDMOUNT;
		h.path = m[i].path;
		h.pid = c->p->pid;
		h.proc = c->p;
		h.tid = c->tid != c->p->pid ? c->tid : 0;
		h.fd = f->fd;
		h.slot = -1;
		h.tree = true;
		graph_add_holder(ns, &h);
	}
	nsf_treemounts_free(m, n);
}

/* One fd record from proc_gather.c into the graph. */
void
src_fds_take(struct nsf_fdscan *fs, struct nsf_proc *p, struct nsf_frec *f)
{
	struct fdctx c = { fs, p, f->tid };

	switch (f->kind) {
	case NSF_FR_NSFS:
		nsfs_fd(&c, f);
		break;
	case NSF_FR_SOCKET:
		socket_fd(&c, f->fd, f->ino);
		break;
	case NSF_FR_TUN:
		tun_fd(&c, f->fd);
		break;
	case NSF_FR_URING:
		uring_fd(&c, f->fd);
		break;
	case NSF_FR_TREE:
		tree_fd(&c, f);
		break;
	}
}
