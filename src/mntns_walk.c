/*
 * mntns_walk.c - every mount namespace the kernel lets us see
 * (NS_MNT_GET_PREV/NEXT, 6.12+), holding at most two fds at a time.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"
#include "mounts_int.h"

/* A growing array of fds, for the mount namespace walk. */
struct fdlist {
	int	*v;
	size_t	 n, cap;
};

static int
fdl_push(struct fdlist *l, int fd)
{
	size_t cap;
	int *v;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		if ((v = reallocarray(l->v, cap, sizeof(*v))) == NULL) {
			close(fd);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = fd;
	return 0;
}

static void
fdl_free(struct fdlist *l)
{
	nsf_close_fds(l->v, l->n);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/*
 * Step from start in one direction until ENOENT, handing each mount
 * namespace to cb while holding at most two fds.  Ids must move the
 * right way at every step: a kernel that loops would otherwise have us
 * step forever.
 */
static int
walk_dir(int start, unsigned long req, uint64_t id, nsf_mntns_cb cb,
    void *arg)
{
	struct mnt_ns_info info;
	int cur = start, fd, r = 0;
	bool up = req == NS_MNT_GET_NEXT;

	for (;;) {
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if ((fd = ioctl(cur, req, &info)) == -1) {
			r = errno == ENOENT ? 0 : -errno;
			break;
		}
		if (up ? info.mnt_ns_id <= id : info.mnt_ns_id >= id) {
			close(fd);
			r = -EPROTO;
			break;
		}
		if (cur != start)
			close(cur);
		cur = fd;
		id = info.mnt_ns_id;
		if ((r = cb(fd, arg)) != 0)
			break;
	}
	if (cur != start)
		close(cur);
	return r;
}

int
nsf_mntns_each(int start_fd, nsf_mntns_cb cb, void *arg)
{
	struct mnt_ns_info info;
	int r;

	if ((r = nsf_is_mntns(start_fd)) != 0)
		return r;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(start_fd, NS_MNT_GET_INFO, &info) == -1)
		return -errno;
	if ((r = walk_dir(start_fd, NS_MNT_GET_PREV, info.mnt_ns_id, cb,
	    arg)) != 0)
		return r;
	if ((r = cb(start_fd, arg)) != 0)
		return r;
	return walk_dir(start_fd, NS_MNT_GET_NEXT, info.mnt_ns_id, cb, arg);
}

/* nsf_mntns_walk() on top of nsf_mntns_each(): keep a dup of each. */
static int
keep_dup(int fd, void *arg)
{
	struct fdlist *l = arg;
	int d;

	if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -errno;
	return fdl_push(l, d);
}

static int
cmp_mntns_id(const void *a, const void *b)
{
	struct mnt_ns_info x, y;

	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	x.size = y.size = sizeof(x);
	ioctl(*(const int *)a, NS_MNT_GET_INFO, &x);
	ioctl(*(const int *)b, NS_MNT_GET_INFO, &y);
	return x.mnt_ns_id < y.mnt_ns_id ? -1 : x.mnt_ns_id > y.mnt_ns_id;
}

int
nsf_mntns_walk(int start_fd, int **fdsp, size_t *np)
{
	struct fdlist l = { 0 };
	int r;

	*fdsp = NULL;
	*np = 0;
	if ((r = nsf_mntns_each(start_fd, keep_dup, &l)) != 0) {
		fdl_free(&l);
		return r;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_mntns_id);
	*fdsp = l.v;
	*np = l.n;
	return 0;
}

