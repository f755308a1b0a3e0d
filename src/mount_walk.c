/*
 * mount_walk.c - identify nsfs mounts by their paths, in a child that
 * can be abandoned.
 *
 * A path walk is the one thing nsfind does that a container or user can
 * make hang: a mount below a FUSE filesystem whose server stopped
 * answering blocks any lookup through it, in an uninterruptible sleep.
 * So every walk runs in a forked child, which enters the mount namespace
 * (or resolves under /proc/PID/root of a process in it) and reports one
 * result per mount over a pipe; the parent waits only until its deadline,
 * then kills the child, does not wait for it, marks the mount whose walk
 * hung and skips the others on the same filesystem.
 *
 * The child only asks for a file handle (name_to_handle_at), one system
 * call per mount: it never opens the path, so it holds no reference on
 * anybody's mount beyond that call (a reference would make their umount
 * fail with EBUSY).  The parent then opens the namespace by handle,
 * through nsfs itself, and checks that type and inode are the ones the
 * mount table announced: anything else at the path (a mount over it, a
 * symlink, a swap) is refused as -ESTALE.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"
#include "nstype.h"
#include "util.h"

/* One result, written whole (well below PIPE_BUF). */
struct hrec {
	uint32_t	idx;
	int32_t		err;
	uint64_t	id;
	uint32_t	type;
	uint32_t	ino;
};

static void
put(int out, uint32_t idx, int err, const struct nsf_nsfs_file_handle *h)
{
	struct hrec r;

	memset(&r, 0, sizeof(r));
	r.idx = idx;
	r.err = err;
	if (h) {
		r.id = h->ns_id;
		r.type = h->ns_type;
		r.ino = h->ns_inum;
	}
	while (write(out, &r, sizeof(r)) == -1 && errno == EINTR)
		;
}

/* The child: system calls only (the parent may have had threads). */
static void __attribute__((noreturn))
child(int out, pid_t parent, int mntns_fd, int pid,
    const struct nsf_nsmount *m, const int *todo, size_t n)
{
	struct {
		struct file_handle fh;
		struct nsf_nsfs_file_handle nsfh;
		char spare[64];
	} h;
	char root[32];
	const char *p;
	size_t i;
	int dirfd = AT_FDCWD, mid, k;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	if (pid > 0) {
		/* Decimal by hand: no stdio in the child. */
		char num[16];

		k = 0;
		do
			num[k++] = (char)('0' + pid % 10);
		while ((pid /= 10) > 0 && k < 15);
		memcpy(root, "/proc/", 6);
		for (i = 0; k > 0; i++)
			root[6 + i] = num[--k];
		memcpy(root + 6 + i, "/root", 6);
		dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	/* No process (or it has gone): from the mount namespace's own root. */
	if (dirfd == -1 || pid <= 0) {
		if (mntns_fd < 0 || setns(mntns_fd, CLONE_NEWNS) == -1)
			_exit(2);
		dirfd = AT_FDCWD;
	}
	for (i = 0; i < n; i++) {
		p = m[todo[i]].path;
		if (dirfd != AT_FDCWD)
			while (*p == '/')
				p++;
		memset(&h, 0, sizeof(h));
		h.fh.handle_bytes = sizeof(h.nsfh) + sizeof(h.spare);
		if (syscall(SYS_name_to_handle_at, dirfd, p, &h.fh, &mid, 0) == -1)
			put(out, (uint32_t)todo[i], -errno, NULL);
		else if (h.fh.handle_type != NSF_FILEID_NSFS ||
		    h.fh.handle_bytes != sizeof(h.nsfh))
			put(out, (uint32_t)todo[i], -ESTALE, NULL);
		else
			put(out, (uint32_t)todo[i], 0, &h.nsfh);
	}
	_exit(0);
}

/* The child's answer for one mount, checked against the mount table. */
static void
take(const struct hrec *r, const struct nsf_nsmount *m, struct nsf_mhandle *res)
{
	int type = nsf_type_from_name(m->type);

	if (r->err < 0) {
		res->err = r->err >= -4095 ? r->err : -EPROTO;
		return;
	}
	if (type < 0 || r->type != (uint32_t)nsf_type_clone(type) ||
	    r->ino != m->ino || r->id == 0) {
		res->err = -ESTALE;
		return;
	}
	res->err = 0;
	res->id = r->id;
}

/* A child that hung: kill it, and do not wait for it longer than a moment. */
static void
abandon(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, WNOHANG);
}

/*
 * Run one child over the mounts in todo[0..n).  Returns how many got an
 * answer; *hung is the index of the mount whose walk did not finish in
 * time, or -1.
 */
static size_t
run_child(int mntns_fd, int pid, const struct nsf_nsmount *m, const int *todo,
    size_t n, struct nsf_mhandle *res, long long deadline, int *hung)
{
	struct pollfd pfd;
	struct hrec r;
	size_t got = 0;
	ssize_t k;
	pid_t c, self = getpid();
	long long left;
	int p[2], st, rc;

	*hung = -1;
	if (pipe2(p, O_CLOEXEC) == -1)
		return 0;
	if ((c = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return 0;
	}
	if (c == 0) {
		close(p[0]);
		child(p[1], self, mntns_fd, pid, m, todo, n);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (got < n) {
		left = deadline - nsf_now_ms();
		rc = left > 0 ? poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) : 0;
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0) {
			*hung = todo[got];
			break;
		}
		k = read(p[0], &r, sizeof(r));
		if (k == -1 && errno == EINTR)
			continue;
		if (k != (ssize_t)sizeof(r))
			break;	/* the child failed or ended */
		if (r.idx != (uint32_t)todo[got])
			break;
		take(&r, &m[todo[got]], &res[todo[got]]);
		got++;
	}
	close(p[0]);
	if (*hung >= 0 || got < n)
		abandon(c);
	else
		while (waitpid(c, &st, 0) == -1 && errno == EINTR)
			;
	return got;
}

int
nsf_nsmounts_identify(int mntns_fd, int pid, const struct nsf_nsmount *m,
    size_t n, struct nsf_mhandle *res, long long deadline)
{
	int todo_buf[256], *todo = todo_buf, hung;
	size_t i, k, got, tries = 0;

	if (n == 0)
		return 0;
	if (n > 256 && (todo = calloc(n, sizeof(*todo))) == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		res[i].err = -ECANCELED;
		res[i].id = 0;
	}
	for (;;) {
		for (i = 0, k = 0; i < n; i++)
			if (res[i].err == -ECANCELED)
				todo[k++] = (int)i;
		if (k == 0 || nsf_now_ms() >= deadline || tries++ > n)
			break;
		got = run_child(mntns_fd, pid, m, todo, k, res, deadline, &hung);
		if (hung < 0) {
			if (got < k) {
				/* The child could not start or died: say so once. */
				for (i = got; i < k; i++)
					res[todo[i]].err = -ECHILD;
				break;
			}
			continue;
		}
		/* The filesystem it sits on did not answer: skip its others. */
		res[hung].err = -ETIMEDOUT;
		for (i = 0; i < n; i++)
			if (res[i].err == -ECANCELED &&
			    m[i].parent_id == m[hung].parent_id)
				res[i].err = -ETIMEDOUT;
	}
	if (todo != todo_buf)
		free(todo);
	return 0;
}

/*
 * Detached mount trees.  statmount(2) does not reach a tree made by
 * open_tree(OPEN_TREE_CLONE), so the child walks the directories of the
 * tree from the fd, at most TREE_DEPTH deep and TREE_ENTRIES entries in
 * all, and reports every entry that is an nsfs file (a namespace bind
 * mount inside the tree) with its handle.
 */
#define TREE_DEPTH	8
#define TREE_ENTRIES	20000

struct trec {
	uint32_t	len;		/* of the path that follows; 0: the end */
	int32_t		status;		/* the end: 0 or -errno */
	uint64_t	id;
	uint32_t	type;
	uint32_t	ino;
};

struct tlevel {
	int		 fd;
	long		 pos, end;
	size_t		 plen;		/* path length at this level */
	char		 buf[4096] __attribute__((aligned(8)));
};

static void
tree_put(int out, const char *path, size_t len, const struct nsf_nsfs_file_handle *h,
    int status)
{
	char msg[sizeof(struct trec) + 4096];
	struct trec r;

	memset(&r, 0, sizeof(r));
	r.len = (uint32_t)len;
	r.status = status;
	if (h) {
		r.id = h->ns_id;
		r.type = h->ns_type;
		r.ino = h->ns_inum;
	}
	memcpy(msg, &r, sizeof(r));
	memcpy(msg + sizeof(r), path, len);
	while (write(out, msg, sizeof(r) + len) == -1 && errno == EINTR)
		;
}

static void __attribute__((noreturn))
tree_child(int out, pid_t parent, int treefd, dev_t nsfs_dev)
{
	static struct tlevel lv[TREE_DEPTH];
	static char path[4096];
	struct {
		struct file_handle fh;
		struct nsf_nsfs_file_handle nsfh;
	} h;
	struct dirent64 *de;
	struct stat st;
	long n, entries = 0;
	size_t nl;
	int d = 0, mid, fd, status = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	/* open_tree(2) gives an O_PATH fd: a directory fd to read it by. */
	if ((lv[0].fd = openat(treefd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		tree_put(out, "", 0, NULL, -errno);
		_exit(0);
	}
	lv[0].pos = lv[0].end = 0;
	lv[0].plen = 0;
	while (d >= 0) {
		struct tlevel *l = &lv[d];

		if (l->pos >= l->end) {
			n = syscall(SYS_getdents64, l->fd, l->buf, sizeof(l->buf));
			if (n <= 0) {
				close(l->fd);
				d--;
				continue;
			}
			l->pos = 0;
			l->end = n;
		}
		de = (struct dirent64 *)(l->buf + l->pos);
		l->pos += de->d_reclen;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++entries > TREE_ENTRIES) {
			status = -E2BIG;
			break;
		}
		nl = strlen(de->d_name);
		if (l->plen + 1 + nl >= sizeof(path))
			continue;
		path[l->plen] = '/';
		memcpy(path + l->plen + 1, de->d_name, nl + 1);
		if (fstatat(l->fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (st.st_dev == nsfs_dev) {
			memset(&h, 0, sizeof(h));
			h.fh.handle_bytes = sizeof(h.nsfh);
			if (syscall(SYS_name_to_handle_at, l->fd, de->d_name,
			    &h.fh, &mid, 0) == 0 &&
			    h.fh.handle_type == NSF_FILEID_NSFS)
				tree_put(out, path, l->plen + 1 + nl, &h.nsfh, 0);
			continue;
		}
		if (!S_ISDIR(st.st_mode) || d + 1 >= TREE_DEPTH)
			continue;
		fd = openat(l->fd, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd == -1)
			continue;
		d++;
		lv[d].fd = fd;
		lv[d].pos = lv[d].end = 0;
		lv[d].plen = l->plen + 1 + nl;
	}
	tree_put(out, "", 0, NULL, status);
	_exit(0);
}

void
nsf_treemounts_free(struct nsf_treemount *m, size_t n)
{
	size_t i;

	for (i = 0; m && i < n; i++)
		free(m[i].path);
	free(m);
}

/* Read exactly len bytes before the deadline; 0, or -errno. */
static int
read_full(int fd, void *buf, size_t len, long long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	long long left;
	ssize_t k;
	int rc;

	while (got < len) {
		left = deadline - nsf_now_ms();
		rc = left > 0 ? poll(&pfd, 1, (int)(left > 60000 ? 60000 : left)) : 0;
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -ETIMEDOUT;
		k = read(fd, (char *)buf + got, len - got);
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EPIPE;
		got += (size_t)k;
	}
	return 0;
}

int
nsf_tree_walk(int treefd, dev_t nsfs_dev, long long deadline,
    struct nsf_treemount **out, size_t *nout)
{
	struct nsf_treemount *v = NULL, *nv;
	struct trec r;
	size_t n = 0;
	pid_t c, self = getpid();
	int p[2], rc = 0, st;
	char *path;

	*out = NULL;
	*nout = 0;
	if (nsf_now_ms() >= deadline)
		return -ETIMEDOUT;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -errno;
	if ((c = fork()) == -1) {
		rc = -errno;
		close(p[0]);
		close(p[1]);
		return rc;
	}
	if (c == 0) {
		close(p[0]);
		tree_child(p[1], self, treefd, nsfs_dev);
	}
	close(p[1]);
	for (;;) {
		if ((rc = read_full(p[0], &r, sizeof(r), deadline)) != 0)
			break;
		if (r.len == 0) {
			rc = r.status;
			break;
		}
		if (r.len >= 4096 || (path = malloc(r.len + 1)) == NULL) {
			rc = -EPROTO;
			break;
		}
		if ((rc = read_full(p[0], path, r.len, deadline)) != 0) {
			free(path);
			break;
		}
		path[r.len] = '\0';
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL) {
			free(path);
			rc = -ENOMEM;
			break;
		}
		v = nv;
		v[n].path = path;
		v[n].id = r.id;
		v[n].nstype = r.type;
		v[n].ino = r.ino;
		n++;
	}
	close(p[0]);
	if (rc == -ETIMEDOUT || rc == -EPIPE || rc == -EPROTO)
		abandon(c);
	else
		while (waitpid(c, &st, 0) == -1 && errno == EINTR)
			;
	*out = v;
	*nout = n;
	return rc;
}
