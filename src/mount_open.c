/*
 * mount_open.c - open nsfs bind mounts safely, for kernels without nsfs
 * file handles (before 6.18; see mount_walk.c for the handle way).
 *
 * Opening goes through openat2(2) with no symlinks, first as O_PATH so
 * that nothing but an nsfs file is ever really opened (a FIFO or a device
 * planted on the path would block or act on open), then reopened through
 * our own /proc/thread-self/fd.  For a mount namespace with no process a
 * forked child enters it, opens, and passes the fds back.
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

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC	0x9fa0
#endif

#define OPEN_BATCH		64	/* fds per SCM_RIGHTS message */
#define OPEN_TIMEOUT_MS		10000	/* per batch, then the child is killed */
#define RESOLVE_SAFE \
	(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_IN_ROOT)

int
nsf_path_open_compat(int dirfd, const char *path)
{
	char name[NAME_MAX + 1];
	const char *s = path, *e;
	struct stat st;
	size_t len;
	int cur, next, r;

	while (*s == '/')
		s++;
	if (*s == '\0')
		return -EINVAL;
	cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur == -1)
		return -errno;
	while (*s != '\0') {
		e = strchrnul(s, '/');
		len = (size_t)(e - s);
		if (len > NAME_MAX) {
			close(cur);
			return -ENAMETOOLONG;
		}
		memcpy(name, s, len);
		name[len] = '\0';
		while (*e == '/')
			e++;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			close(cur);
			return -EINVAL;
		}
		next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		if (next == -1)
			return -errno;
		r = fstat(next, &st) == -1 ? -errno :
		    S_ISLNK(st.st_mode) ? -ELOOP :
		    *e != '\0' && !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
		if (r != 0) {
			close(next);
			return r;
		}
		cur = next;
		s = e;
	}
	return cur;
}

/* O_PATH fd of path under dirfd as its root, never through a symlink. */
static int
path_open(int dirfd, const char *path)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_SAFE;
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS)
		return -errno;
	return nsf_path_open_compat(dirfd, path);
}

/* 0 when fd is an nsfs file of inode ino, as the mount table said. */
static int
nsfs_check(int fd, uint64_t ino)
{
	struct statfs sfs;
	struct stat st;

	if (fstatfs(fd, &sfs) == -1)
		return -errno;
	if ((unsigned long)sfs.f_type != NSFS_MAGIC)
		return -EXDEV;
	if (fstat(fd, &st) == -1)
		return -errno;
	return (uint64_t)st.st_ino == ino ? 0 : -ESTALE;
}

/* Decimal of a small non-negative int; async-signal-safe, for the child. */
static void
fdname(int fd, char buf[16])
{
	char t[16];
	int i = 0, j = 0;

	do {
		t[i++] = (char)('0' + fd % 10);
		fd /= 10;
	} while (fd > 0 && i < 15);
	while (i > 0)
		buf[j++] = t[--i];
	buf[j] = '\0';
}

/*
 * Our own fd table in /proc, opened while still in our own mount
 * namespace: the only magic link ever followed is our own O_PATH fd.
 */
static int
proc_fd_dir(bool thread)
{
	struct statfs sfs;
	int fd;

	fd = open(thread ? "/proc/thread-self/fd" : "/proc/self/fd",
	    O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 && thread)
		fd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -errno;
	if (fstatfs(fd, &sfs) == -1 ||
	    (unsigned long)sfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

/*
 * Open one mount: O_PATH first, checked to be the announced nsfs inode,
 * and only then reopened read-only through our own fd table, so that a
 * FIFO or device swapped onto the path is never opened for real.
 */
static int
open_one(int rootfd, int procfd, const char *path, uint64_t ino)
{
	char name[16];
	int pfd, fd, r;

	if (path == NULL)
		return -EINVAL;
	if ((pfd = path_open(rootfd, path)) < 0)
		return pfd;
	if ((r = nsfs_check(pfd, ino)) != 0) {
		close(pfd);
		return r;
	}
	fdname(pfd, name);
	fd = openat(procfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	r = fd == -1 ? -errno : 0;
	close(pfd);
	if (r == 0 && (r = nsfs_check(fd, ino)) != 0)
		close(fd);
	return r == 0 ? fd : r;
}

/* Without a fork: resolve under a /proc/PID/root directory fd. */
static int
open_in_root(int root_fd, const struct nsf_nsmount *m, size_t n, int *fds)
{
	size_t i;
	int procfd;

	if ((procfd = proc_fd_dir(true)) < 0) {
		for (i = 0; i < n; i++)
			fds[i] = procfd;
		return procfd;
	}
	for (i = 0; i < n; i++)
		fds[i] = open_one(root_fd, procfd, m[i].path, m[i].ino);
	close(procfd);
	return 0;
}

/* One batch from the child: a status, then a result per mount. */
struct open_msg {
	int32_t		status;
	uint32_t	count;
	int32_t		res[OPEN_BATCH];
};

/* Send a batch with its fds; async-signal-safe, for the child. */
static int
send_batch(int sock, const struct open_msg *msg, const int *fds, size_t nfd)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int) * OPEN_BATCH)];
		struct cmsghdr	align;
	} u;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	memset(&u, 0, sizeof(u));
	iov.iov_base = (void *)msg;
	iov.iov_len = sizeof(*msg);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfd > 0) {
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfd);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfd);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfd);
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) == -1)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* The child's failure before any batch: every entry gets it. */
static void __attribute__((noreturn))
child_fail(int sock, int err)
{
	struct open_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.status = err;
	send_batch(sock, &msg, NULL, 0);
	_exit(1);
}

/*
 * The forked child: enter the mount namespace, open every path from its
 * root and send the fds back in batches.  Only system calls from here on:
 * the parent may have had threads, so no malloc and no stdio.
 */
static void __attribute__((noreturn))
child_main(int sock, pid_t parent, int mntns_fd, const struct nsf_nsmount *m,
    size_t n)
{
	struct open_msg msg;
	int fds[OPEN_BATCH], procfd, rootfd, r;
	size_t off, i, k, nfd;

	/* Die with the caller rather than linger on a hung lookup. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	if ((procfd = proc_fd_dir(false)) < 0)
		child_fail(sock, procfd);
	if (setns(mntns_fd, CLONE_NEWNS) == -1)
		child_fail(sock, -errno);
	if ((rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		child_fail(sock, -errno);
	for (off = 0; off < n; off += k) {
		k = n - off < OPEN_BATCH ? n - off : OPEN_BATCH;
		memset(&msg, 0, sizeof(msg));
		msg.count = (uint32_t)k;
		for (i = 0, nfd = 0; i < k; i++) {
			r = open_one(rootfd, procfd, m[off + i].path,
			    m[off + i].ino);
			msg.res[i] = r < 0 ? r : 0;
			if (r >= 0)
				fds[nfd++] = r;
		}
		if (send_batch(sock, &msg, fds, nfd) == -1)
			_exit(1);
		for (i = 0; i < nfd; i++)
			close(fds[i]);
	}
	_exit(0);
}

/* Close the fds of a batch that cannot be used. */
void
nsf_close_fds(const int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/*
 * Receive one batch, with a deadline so that a child stuck on a hostile
 * filesystem (FUSE) cannot hang us.  0, or -errno with no fd left open.
 */
static int
recv_batch(int sock, int timeout_ms, struct open_msg *msg, int *fds,
    size_t *nfd)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int) * OPEN_BATCH)];
		struct cmsghdr	align;
	} u;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	size_t k;
	ssize_t got;
	int r;

	*nfd = 0;
	while ((r = poll(&pfd, 1, timeout_ms)) == -1 && errno == EINTR)
		;
	if (r == -1)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = msg;
	iov.iov_len = sizeof(*msg);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	while ((got = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (got == -1)
		return -errno;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (k > OPEN_BATCH - *nfd) {
			nsf_close_fds(fds, *nfd);
			nsf_close_fds((int *)CMSG_DATA(c), k);
			*nfd = 0;
			return -EPROTO;
		}
		memcpy(fds + *nfd, CMSG_DATA(c), k * sizeof(int));
		*nfd += k;
	}
	if (got == 0)
		r = -ECHILD;	/* the child ended before this batch */
	else if (mh.msg_flags & MSG_CTRUNC)
		r = -EMFILE;	/* the kernel dropped fds: we are at our limit */
	else if ((size_t)got != sizeof(*msg) || (mh.msg_flags & MSG_TRUNC))
		r = -EPROTO;
	else
		r = 0;
	if (r != 0) {
		nsf_close_fds(fds, *nfd);
		*nfd = 0;
	}
	return r;
}

/*
 * Match a batch's results to its fds and check every fd again: the
 * parent trusts the kernel's answer, not only the child's word.
 */
static int
take_batch(const struct open_msg *msg, const int *got, size_t ngot,
    const struct nsf_nsmount *m, size_t k, int *fds)
{
	size_t i, j, want = 0;
	int r;

	if (msg->status < 0)
		return msg->status >= -4095 ? msg->status : -EPROTO;
	if (msg->count != k)
		return -EPROTO;
	for (i = 0; i < k; i++) {
		if (msg->res[i] > 0 || msg->res[i] < -4095)
			return -EPROTO;
		want += msg->res[i] == 0;
	}
	if (want != ngot)
		return -EPROTO;
	for (i = 0, j = 0; i < k; i++) {
		if (msg->res[i] < 0) {
			fds[i] = msg->res[i];
			continue;
		}
		fds[i] = got[j++];
		if ((r = nsfs_check(fds[i], m[i].ino)) != 0) {
			close(fds[i]);
			fds[i] = r;
		}
	}
	return 0;
}

/* The parent's side: collect every batch, then reap the child. */
static int
open_parent(int sock, pid_t pid, int timeout_ms, const struct nsf_nsmount *m,
    size_t n, int *fds)
{
	struct open_msg msg;
	int got[OPEN_BATCH], r = 0, st;
	size_t off, k, ngot, i;

	for (off = 0; off < n; off += k) {
		k = n - off < OPEN_BATCH ? n - off : OPEN_BATCH;
		if ((r = recv_batch(sock, timeout_ms, &msg, got, &ngot)) != 0)
			break;
		if ((r = take_batch(&msg, got, ngot, m + off, k,
		    fds + off)) != 0) {
			nsf_close_fds(got, ngot);
			break;
		}
	}
	for (i = off; i < n; i++)
		fds[i] = r;
	if (r != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	/* Every entry failing the same way means nothing could be tried. */
	return off == 0 && r != 0 ? r : 0;
}

/*
 * The child of nsf_mountinfo_in_ns(): enter the namespace, then open
 * mountinfo through the procfs it had before (the file describes the
 * namespace of the task at open time, and that namespace may have no
 * /proc of its own), and copy it into the pipe.  System calls only.
 */
static int
open_in_ns(int mntns_fd, int timeout_ms, const struct nsf_nsmount *m,
    size_t n, int *fds)
{
	size_t i;
	pid_t pid, self = getpid();
	int sv[2], r;

	if ((r = nsf_is_mntns(mntns_fd)) != 0)
		goto fail;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		r = -errno;
		goto fail;
	}
	if ((pid = fork()) == -1) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		goto fail;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], self, mntns_fd, m, n);
	}
	close(sv[1]);
	r = open_parent(sv[0], pid, timeout_ms, m, n, fds);
	close(sv[0]);
	return r;
fail:
	for (i = 0; i < n; i++)
		fds[i] = r;
	return r;
}

int
nsf_nsmounts_open_timeout(int mntns_fd, int root_fd,
    const struct nsf_nsmount *m, size_t n, int *fds, int timeout_ms)
{
	if (n == 0)
		return 0;
	if (m == NULL || fds == NULL)
		return -EINVAL;
	if (root_fd >= 0)
		return open_in_root(root_fd, m, n, fds);
	return open_in_ns(mntns_fd, timeout_ms, m, n, fds);
}

int
nsf_nsmounts_open(int mntns_fd, int root_fd, const struct nsf_nsmount *m,
    size_t n, int *fds)
{
	return nsf_nsmounts_open_timeout(mntns_fd, root_fd, m, n, fds,
	    OPEN_TIMEOUT_MS);
}

/* Append an fd to a list; the fd is closed on failure. */
