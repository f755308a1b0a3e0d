/*
 * mount_table.c - the nsfs bind mounts of a mount namespace, from its
 * mount table: /proc/PID/mountinfo text where a process lives in it,
 * listmount(2)+statmount(2) on its fd where none does (or, before 6.8, a
 * child that enters it and reads its mountinfo), with which of them
 * something else covers.
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

#define LISTMOUNT_PAGE		128	/* mount ids per listmount call */
#define STATMOUNT_BUF0		(sizeof(struct nsf_statmount) + 1024)
#define STATMOUNT_BUFMAX	(16UL << 20)
#define MOUNTINFO_MAX		(256UL << 20)

/* A growing array of nsfs mounts; the result of both listers. */
struct nsmlist {
	struct nsf_nsmount	*v;
	size_t			 n, cap;
};

void
nsf_nsmounts_free(struct nsf_nsmount *m, size_t n)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(m[i].path);
		free(m[i].covered_by);
	}
	free(m);
}

/* Append a mount; takes path, which is freed on failure. */
static int
nsml_push(struct nsmlist *l, char *path, const char *type, uint64_t ino,
    uint64_t id)
{
	struct nsf_nsmount *v, *e;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 16;
		v = reallocarray(l->v, cap, sizeof(*v));
		if (v == NULL) {
			free(path);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->path = path;
	strcpy(e->type, type);	/* checked to fit by nsroot_parse */
	e->ino = ino;
	e->mnt_id = id;
	return 0;
}

/* Hand a list to the caller; an empty one as NULL so nothing leaks. */
static void
nsml_give(struct nsmlist *l, struct nsf_nsmount **out, size_t *n)
{
	if (l->n == 0) {
		free(l->v);
		l->v = NULL;
	}
	*out = l->v;
	*n = l->n;
}

/*
 * Every mount of a namespace, as much as coverage needs: which mount sits
 * on which, where, and what it is.
 */
struct mrec {
	uint64_t	 id, parent;
	char		*point;		/* NULL when unknown */
	char		 what[48];	/* "uts:[4026532300]" or "tmpfs" */
	bool		 nsfs;
};

struct mtable {
	struct mrec	*v;
	size_t		 n, cap;
};

static void
mt_free(struct mtable *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].point);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Append a mount; takes point. */
static int
mt_push(struct mtable *t, uint64_t id, uint64_t parent, char *point,
    const char *what, bool nsfs)
{
	struct mrec *v;
	size_t cap;

	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if ((v = reallocarray(t->v, cap, sizeof(*v))) == NULL) {
			free(point);
			return -ENOMEM;
		}
		t->v = v;
		t->cap = cap;
	}
	v = &t->v[t->n++];
	v->id = id;
	v->parent = parent;
	v->point = point;
	v->nsfs = nsfs;
	snprintf(v->what, sizeof(v->what), "%s", what);
	return 0;
}

static const struct mrec *
mt_find(const struct mtable *t, uint64_t id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

/* Is dir a directory above path (or path itself when same)? */
static bool
path_under(const char *dir, const char *path, bool same)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return same || strcmp(path, "/") != 0;
	if (strncmp(dir, path, n) != 0)
		return false;
	return path[n] == '/' || (same && path[n] == '\0');
}

/*
 * What covers the mount a: a mount sitting on it (an nsfs mount is a
 * file: anything on it is on top of it), or, at each level up, another
 * mount of the same parent on a directory above the path (or on the same
 * path, mounted later).  NULL when its path reaches it.
 */
static const struct mrec *
mt_cover(const struct mtable *t, const struct mrec *a)
{
	const struct mrec *p, *m = a;
	size_t i;
	int depth;

	for (i = 0; i < t->n; i++)
		if (t->v[i].parent == a->id && t->v[i].id != a->id)
			return &t->v[i];
	for (depth = 0; depth < 64 && m->point; depth++) {
		if ((p = mt_find(t, m->parent)) == NULL || p == m)
			break;
		for (i = 0; i < t->n; i++) {
			const struct mrec *s = &t->v[i];

			if (s == m || s->parent != p->id || s->point == NULL)
				continue;
			if (path_under(s->point, m->point, s->id > m->id))
				return s;
		}
		m = p;
	}
	return NULL;
}

/* Mark each nsfs mount of l that something covers, and by what. */
static int
mt_apply(const struct mtable *t, struct nsmlist *l)
{
	const struct mrec *a, *c;
	char buf[300];
	size_t i;

	for (i = 0; i < l->n; i++) {
		if ((a = mt_find(t, l->v[i].mnt_id)) == NULL ||
		    (c = mt_cover(t, a)) == NULL)
			continue;
		l->v[i].covered = 1;
		if (c->nsfs || c->point == NULL)
			snprintf(buf, sizeof(buf), "%s", c->what);
		else
			snprintf(buf, sizeof(buf), "%s on %s", c->what, c->point);
		if ((l->v[i].covered_by = strdup(buf)) == NULL)
			return -ENOMEM;
	}
	return 0;
}

/* Parse a decimal u64 of exactly len bytes; the kernel writes no sign. */
static bool
parse_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (len == 0 || len > 20)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return true;
}

/*
 * Split an nsfs mount root "net:[4026532460]" into type and inode.  Both
 * listers must agree on what they accept, so they share this.
 */
static bool
nsroot_parse(const char *root, char type[16], uint64_t *ino)
{
	const char *br;
	size_t tlen, rlen, i;

	br = strstr(root, ":[");
	if (br == NULL)
		return false;
	tlen = (size_t)(br - root);
	if (tlen == 0 || tlen > 15)
		return false;
	/* Kernel names are [a-z_]; anything else must not reach output. */
	for (i = 0; i < tlen; i++)
		if ((root[i] < 'a' || root[i] > 'z') && root[i] != '_')
			return false;
	rlen = strlen(br + 2);
	if (rlen < 2 || br[2 + rlen - 1] != ']')
		return false;
	if (!parse_u64(br + 2, rlen - 1, ino))
		return false;
	memcpy(type, root, tlen);
	type[tlen] = '\0';
	return true;
}

/* Value of an octal digit, or -1. */
static int
odigit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/*
 * Undo the kernel's mangle() of a mountinfo field: \ooo for space, tab,
 * newline and backslash.  A raw backslash or a NUL cannot come from the
 * kernel, so a field with one is malformed (-EINVAL), not guessed at.
 */
static int
mi_unescape(const char *s, size_t len, char **out)
{
	char *d, *p;
	size_t i;
	int a, b, c, v;

	if ((d = malloc(len + 1)) == NULL)
		return -ENOMEM;
	for (i = 0, p = d; i < len; i++) {
		if (s[i] == '\0')
			goto bad;
		if (s[i] != '\\') {
			*p++ = s[i];
			continue;
		}
		if (len - i < 4)
			goto bad;
		a = odigit(s[i + 1]);
		b = odigit(s[i + 2]);
		c = odigit(s[i + 3]);
		if (a < 0 || b < 0 || c < 0)
			goto bad;
		v = a * 64 + b * 8 + c;
		if (v == 0 || v > 0377)
			goto bad;
		*p++ = (char)v;
		i += 3;
	}
	*p = '\0';
	*out = d;
	return 0;
bad:
	free(d);
	return -EINVAL;
}

/* One space-separated field of a mountinfo line. */
struct field {
	const char	*p;
	size_t		 len;
};

/* Next field from *s (up to end); false when none or empty (malformed). */
static bool
next_field(const char **s, const char *end, struct field *f)
{
	const char *sp;

	if (*s >= end)
		return false;
	sp = memchr(*s, ' ', (size_t)(end - *s));
	if (sp == NULL)
		sp = end;
	f->p = *s;
	f->len = (size_t)(sp - *s);
	*s = sp < end ? sp + 1 : end;
	return f->len > 0;
}

static bool
field_is(const struct field *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->p, s, f->len) == 0;
}

/*
 * One mountinfo line:
 *   id parent maj:min root mountpoint opts [optional...] - fstype src sopts
 * Adds it to l when it is a well-formed nsfs mount.  Only -ENOMEM is an
 * error; anything malformed is skipped, since a truncated last line must
 * not cost the rest.
 */
static int
mi_line(const char *s, const char *end, struct nsmlist *l, struct mtable *t)
{
	struct field f[6], opt, fstype, src, sopts;
	char *root = NULL, *path = NULL, *point = NULL, type[16], what[48];
	uint64_t id, parent, ino;
	bool nsfs;
	int i, r;

	for (i = 0; i < 6; i++)
		if (!next_field(&s, end, &f[i]))
			return 0;
	do {
		if (!next_field(&s, end, &opt))
			return 0;
	} while (!field_is(&opt, "-"));
	if (!next_field(&s, end, &fstype) || !next_field(&s, end, &src) ||
	    !next_field(&s, end, &sopts))
		return 0;
	if (!parse_u64(f[0].p, f[0].len, &id) ||
	    !parse_u64(f[1].p, f[1].len, &parent))
		return 0;
	if ((r = mi_unescape(f[4].p, f[4].len, &point)) != 0)
		return r == -ENOMEM ? r : 0;
	nsfs = field_is(&fstype, "nsfs");
	snprintf(what, sizeof(what), "%.*s", (int)(fstype.len < 40 ?
	    fstype.len : 40), fstype.p);
	if (nsfs && (r = mi_unescape(f[3].p, f[3].len, &root)) == 0) {
		if (nsroot_parse(root, type, &ino)) {
			snprintf(what, sizeof(what), "%s:[%llu]", type,
			    (unsigned long long)ino);
			if ((path = strdup(point)) == NULL ||
			    (r = nsml_push(l, path, type, ino, id)) != 0) {
				free(root);
				free(point);
				return -ENOMEM;
			}
			l->v[l->n - 1].parent_id = parent;
		}
		free(root);
	} else if (r == -ENOMEM) {
		free(point);
		return r;
	}
	return mt_push(t, id, parent, point, what, nsfs);
}

int
nsf_mountinfo_nsfs(const char *text, size_t len, struct nsf_nsmount **out,
    size_t *n)
{
	struct nsmlist l = { 0 };
	struct mtable t = { 0 };
	const char *s = text, *end = text + len, *nl;
	int r = 0;

	*out = NULL;
	*n = 0;
	if (text == NULL && len > 0)
		return -EINVAL;
	while (s < end && r == 0) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		r = mi_line(s, nl, &l, &t);
		s = nl + 1;
	}
	if (r == 0)
		r = mt_apply(&t, &l);
	mt_free(&t);
	if (r != 0) {
		nsf_nsmounts_free(l.v, l.n);
		return r;
	}
	nsml_give(&l, out, n);
	return 0;
}

/* Read all of fd: /proc files must be read whole to be consistent. */
static int
read_all(int fd, char **buf, size_t *len)
{
	char *b = NULL, *nb;
	size_t cap = 0, n = 0;
	ssize_t r;

	for (;;) {
		if (cap - n < 4096) {
			if (cap >= MOUNTINFO_MAX) {
				free(b);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(b, cap)) == NULL) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			r = -errno;
			free(b);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

int
nsf_mountinfo_nsfs_fd(int fd, struct nsf_nsmount **out, size_t *n)
{
	char *text = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = read_all(fd, &text, &len)) != 0)
		return r;
	r = nsf_mountinfo_nsfs(text, len, out, n);
	free(text);
	return r;
}

/* 0 when fd is a mount namespace; what else it is decides the error. */
int
nsf_is_mntns(int fd)
{
	int t;

	t = ioctl(fd, NS_GET_NSTYPE);
	if (t == -1)
		return errno == EBADF ? -EBADF : -EINVAL;
	return t == CLONE_NEWNS ? 0 : -EINVAL;
}

/*
 * statmount into a buffer that grows on EOVERFLOW (a long mount point).
 * The kernel's reply is checked before anyone reads a string from it.
 */
static int
statmount_get(uint64_t nsid, uint64_t mnt, uint64_t mask,
    struct nsf_statmount **bufp, size_t *sizep)
{
	struct nsf_mnt_id_req req;
	struct nsf_statmount *nb;
	size_t ns;

	for (;;) {
		memset(&req, 0, sizeof(req));
		req.size = NSF_MNT_ID_REQ_SIZE_VER1;
		req.mnt_id = mnt;
		req.param = mask;
		req.mnt_ns_id = nsid;
		if (syscall(SYS_statmount, &req, *bufp, *sizep, 0) == 0)
			break;
		if (errno != EOVERFLOW)
			return -errno;
		if (*sizep >= STATMOUNT_BUFMAX)
			return -ENAMETOOLONG;
		ns = *sizep * 2;
		if ((nb = realloc(*bufp, ns)) == NULL)
			return -ENOMEM;
		*bufp = nb;
		*sizep = ns;
	}
	if ((*bufp)->size < sizeof(**bufp) || (*bufp)->size > *sizep)
		return -EPROTO;
	return 0;
}

/* A string of a statmount reply, or NULL when out of bounds. */
static const char *
sm_str(const struct nsf_statmount *sm, uint32_t off)
{
	size_t room = sm->size - sizeof(*sm);

	if (off >= room || memchr(sm->str + off, '\0', room - off) == NULL)
		return NULL;
	return sm->str + off;
}

/*
 * Look at one mount: first cheaply (no strings) for the nsfs magic and
 * where it sits, and only then for the root and mount point, since d_path
 * for every mount of a big namespace costs.  A mount gone meanwhile is
 * skipped.  Every mount goes into t, for coverage.
 */
static int
sm_mount(uint64_t nsid, uint64_t mnt, struct nsf_statmount **bufp,
    size_t *sizep, struct nsmlist *l, struct mtable *t)
{
	const uint64_t need = NSF_STATMOUNT_MNT_ROOT | NSF_STATMOUNT_MNT_POINT |
	    NSF_STATMOUNT_FS_TYPE;
	const char *fstype, *root, *point;
	char type[16], what[48], *path, *pt;
	uint64_t ino, parent;
	int r;

	r = statmount_get(nsid, mnt, NSF_STATMOUNT_SB_BASIC |
	    NSF_STATMOUNT_MNT_BASIC, bufp, sizep);
	if (r == -ENOENT)
		return 0;
	if (r != 0)
		return r;
	parent = (*bufp)->mnt_parent_id;
	if (!((*bufp)->mask & NSF_STATMOUNT_SB_BASIC) ||
	    (*bufp)->sb_magic != NSFS_MAGIC)
		return mt_push(t, mnt, parent, NULL, "", false);
	r = statmount_get(nsid, mnt, NSF_STATMOUNT_MNT_BASIC | need, bufp,
	    sizep);
	if (r == -ENOENT)
		return 0;
	if (r != 0)
		return r;
	if (((*bufp)->mask & need) != need)
		return 0;
	fstype = sm_str(*bufp, (*bufp)->fs_type);
	root = sm_str(*bufp, (*bufp)->mnt_root);
	point = sm_str(*bufp, (*bufp)->mnt_point);
	if (fstype == NULL || root == NULL || point == NULL)
		return -EPROTO;
	if (strcmp(fstype, "nsfs") != 0 || !nsroot_parse(root, type, &ino))
		return 0;
	if ((path = strdup(point)) == NULL || (pt = strdup(point)) == NULL) {
		free(path);
		return -ENOMEM;
	}
	if ((r = nsml_push(l, path, type, ino, (*bufp)->mnt_id)) != 0) {
		free(pt);
		return r;
	}
	l->v[l->n - 1].parent_id = parent;
	snprintf(what, sizeof(what), "%s:[%llu]", type, (unsigned long long)ino);
	return mt_push(t, mnt, parent, pt, what, true);
}

/*
 * Where a namespace has nsfs mounts, the mount points of the others too,
 * to tell which nsfs mounts are covered.  A mount gone meanwhile keeps no
 * point.
 */
static int
sm_points(uint64_t nsid, struct mtable *t, struct nsf_statmount **bufp,
    size_t *sizep)
{
	const uint64_t need = NSF_STATMOUNT_MNT_POINT | NSF_STATMOUNT_FS_TYPE;
	const char *point, *fstype;
	size_t i;
	int r;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].point != NULL)
			continue;
		r = statmount_get(nsid, t->v[i].id, need, bufp, sizep);
		if (r == -ENOENT)
			continue;
		if (r != 0)
			return r;
		if (((*bufp)->mask & need) != need ||
		    (point = sm_str(*bufp, (*bufp)->mnt_point)) == NULL ||
		    (fstype = sm_str(*bufp, (*bufp)->fs_type)) == NULL)
			continue;
		if ((t->v[i].point = strdup(point)) == NULL)
			return -ENOMEM;
		snprintf(t->v[i].what, sizeof(t->v[i].what), "%s", fstype);
	}
	return 0;
}

/* Page through listmount; a mount id at or below the cursor stops it. */
static int
sm_list(uint64_t nsid, struct nsmlist *l)
{
	struct nsf_mnt_id_req req;
	struct nsf_statmount *buf;
	struct mtable t = { 0 };
	uint64_t ids[LISTMOUNT_PAGE], last = 0;
	size_t size = STATMOUNT_BUF0;
	long got, i;
	int r = 0;

	if ((buf = malloc(size)) == NULL)
		return -ENOMEM;
	for (;;) {
		memset(&req, 0, sizeof(req));
		req.size = NSF_MNT_ID_REQ_SIZE_VER1;
		req.mnt_id = LSMT_ROOT;
		req.param = last;
		req.mnt_ns_id = nsid;
		got = syscall(SYS_listmount, &req, ids, LISTMOUNT_PAGE, 0);
		if (got == -1) {
			/*
			 * We hold the namespace, so ENOENT means "not
			 * yours"; E2BIG is a kernel without mnt_ns_id.
			 */
			r = errno == ENOENT ? -EPERM :
			    errno == E2BIG ? -ENOSYS : -errno;
			break;
		}
		for (i = 0; i < got && r == 0; i++) {
			if (ids[i] <= last) {
				r = -EPROTO;
				break;
			}
			r = sm_mount(nsid, ids[i], &buf, &size, l, &t);
			last = ids[i];
		}
		if (r != 0 || got < LISTMOUNT_PAGE)
			break;
	}
	if (r == 0 && l->n > 0 && (r = sm_points(nsid, &t, &buf, &size)) == 0)
		r = mt_apply(&t, l);
	mt_free(&t);
	free(buf);
	return r;
}

int
nsf_statmount_nsfs(int mntns_fd, struct nsf_nsmount **out, size_t *n)
{
	struct nsmlist l = { 0 };
	uint64_t nsid;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = nsf_is_mntns(mntns_fd)) != 0)
		return r;
	/* Naming another namespace by id needs 6.11; say so as ENOSYS. */
	if (ioctl(mntns_fd, NS_GET_MNTNS_ID, &nsid) == -1)
		return errno == ENOTTY ? -ENOSYS : -errno;
	if ((r = sm_list(nsid, &l)) != 0) {
		nsf_nsmounts_free(l.v, l.n);
		return r;
	}
	nsml_give(&l, out, n);
	return 0;
}

static void __attribute__((noreturn))
mountinfo_child(int out, pid_t parent, int mntns_fd)
{
	char buf[8192];
	ssize_t r, w, off;
	int procfd, fd;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	if ((procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    setns(mntns_fd, CLONE_NEWNS) == -1 ||
	    (fd = openat(procfd, "thread-self/mountinfo", O_RDONLY | O_CLOEXEC)) == -1)
		_exit(2);
	while ((r = read(fd, buf, sizeof(buf))) > 0 || (r == -1 && errno == EINTR)) {
		for (off = 0; r > 0 && off < r; off += w)
			if ((w = write(out, buf + off, r - off)) <= 0)
				_exit(3);
	}
	_exit(r == 0 ? 0 : 4);
}

/*
 * The nsfs mounts of a mount namespace with no process, for kernels
 * without statmount(2) (before 6.8): a forked child enters it and reads
 * its mountinfo.  Paths are from that namespace's root.  0 or -errno.
 */
int
nsf_mountinfo_in_ns(int mntns_fd, struct nsf_nsmount **out, size_t *n)
{
	pid_t pid, self = getpid();
	char *buf = NULL;
	size_t len = 0;
	int p[2], r, st;

	*out = NULL;
	*n = 0;
	if ((r = nsf_is_mntns(mntns_fd)) != 0)
		return r;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -errno;
	if ((pid = fork()) == -1) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		close(p[0]);
		mountinfo_child(p[1], self, mntns_fd);
	}
	close(p[1]);
	r = read_all(p[0], &buf, &len);
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (r == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		r = WIFEXITED(st) && WEXITSTATUS(st) == 2 ? -EPERM : -EIO;
	if (r == 0)
		r = nsf_mountinfo_nsfs(buf, len, out, n);
	free(buf);
	return r;
}

/* With a fork: the child enters the mount namespace, we stay. */
