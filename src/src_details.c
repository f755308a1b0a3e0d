/*
 * src_details.c - what is inside each namespace (the DETAILS column, the
 * `details` JSON object, the NSPID column of -P).
 *
 * Read from outside wherever the kernel allows it: the procfs files of a
 * task in the namespace (uid_map, timens_offsets, mountinfo, cgroup,
 * status), NS_MNT_GET_INFO, and rtnetlink through IFA_TARGET_NETNSID from
 * a network namespace of nsfind's own (as src_netlink.c does, so that no
 * namespace's netnsid table changes).  What only a task inside can see
 * (the uts names, the SysV IPC counts, the cgroup path relative to the
 * namespace's root) is read by a forked child that enters the namespaces
 * of one type one after the other and writes a fixed-size record per
 * namespace down a pipe; the parent waits with a deadline and kills it.
 *
 * A namespace no task is in has only what can be read from outside: it is
 * said so (`missing`, `why`), nothing is guessed.  A task may leave its
 * namespace while it is read: every namespace fd is checked to be the one
 * asked for, and a procfs file is trusted only if the task is still in the
 * namespace after reading it.
 */
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <linux/mount.h>
#include <linux/openat2.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel.h"
#include "details.h"
#include "netinfo.h"
#include "nsfd.h"
#include "sources.h"
#include "util.h"

#define CHILD_BATCH	256	/* namespace fds open at once per child */
#define CHILD_TIMEOUT_MS 5000	/* per batch, then the child is killed */

/* What the child reports for one namespace: syscalls fill it, no malloc. */
struct rec {
	int	 err;		/* errno of setns or of the read, 0 */
	long	 n[4];		/* ipc: shm, sem, msg, mqueue (-1) */
	char	 s1[72];	/* uts: nodename */
	char	 s2[72];	/* uts: domainname */
	char	 text[4096];	/* cgroup: /proc/PID/cgroup as seen inside */
	size_t	 len;
};

/* One namespace for a child to enter. */
struct item {
	struct nsf_ns	*ns;
	int		 fd;
	char		 rel[64];	/* cgroup: "PID/task/TID/cgroup" under /proc */
	char		*host;		/* cgroup: the path the host sees */
};

struct dctx {
	struct nsf_graph *g;
	const struct nsf_scanopts *o;
	const bool	*sel;		/* by ns->index: shown, or NULL: all */
	pid_t		*tchild;	/* by ns->index: a task whose time_for_children it is */
	struct item	*items[NSF_NTYPES];
	size_t		 nitems[NSF_NTYPES], cap[NSF_NTYPES];
};

void
nsf_details_free(struct nsf_details *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->hostname);
	free(d->domainname);
	free(d->uid_map);
	free(d->gid_map);
	for (i = 0; i < d->ntasks; i++)
		free(d->tasks[i].v);
	free(d->tasks);
	free(d->cgroot);
	free(d->rootsrc);
	free(d->addrs);
	free(d);
}

struct nsf_details *
nsf_details_get(struct nsf_ns *ns)
{
	if (ns->details == NULL) {
		ns->details = xcalloc(1, sizeof(*ns->details));
		ns->details->level = -1;
		ns->details->nmounts = NSF_DET_UNKNOWN;
		ns->details->mqueue = NSF_DET_UNKNOWN;
	}
	return ns->details;
}

static int
cmp_nspid(const void *a, const void *b)
{
	const struct nsf_nspid *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

const struct nsf_nspid *
nsf_details_nspid(const struct nsf_ns *ns, pid_t tid)
{
	struct nsf_nspid key;

	if (ns == NULL || ns->details == NULL || ns->details->ntasks == 0)
		return NULL;
	key.tid = tid;
	return bsearch(&key, ns->details->tasks, ns->details->ntasks,
	    sizeof(key), cmp_nspid);
}

/* The procfs directory of a task in ns, "/proc/PID" or ".../task/TID". */
static bool
member_dir(const struct dctx *c, const struct nsf_ns *ns, char *buf,
    size_t size, char *rel, size_t relsize)
{
	if (ns->proc) {
		snprintf(buf, size, "%s/%d", c->o->proc, (int)ns->proc->pid);
		if (rel)
			snprintf(rel, relsize, "%d", (int)ns->proc->pid);
		return true;
	}
	if (ns->nthread_only) {
		snprintf(buf, size, "%s/%d/task/%d", c->o->proc,
		    (int)ns->thread_pid, (int)ns->thread_tid);
		if (rel)
			snprintf(rel, relsize, "%d/task/%d",
			    (int)ns->thread_pid, (int)ns->thread_tid);
		return true;
	}
	return false;
}

/* Is the task at dir still in ns (by its ns/entry link)? */
static bool
still_in(const char *dir, const char *entry, const struct nsf_ns *ns)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/ns/%s", dir, entry);
	return stat(path, &st) == 0 && st.st_ino == ns->ino &&
	    st.st_dev == ns->dev;
}

/* A procfs file of the task at dir, trusted only if it stayed in ns. */
static ssize_t
read_member(const char *dir, const char *file, const char *entry,
    const struct nsf_ns *ns, char **out)
{
	char path[PATH_MAX];
	ssize_t r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((r = nsf_slurp_at(AT_FDCWD, path, out)) < 0)
		return r;
	if (!still_in(dir, entry, ns)) {
		free(*out);
		*out = NULL;
		return -ESRCH;
	}
	return r;
}

/* Is fd the namespace ns? */
static bool
is_ns(int fd, const struct nsf_ns *ns)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_ino == ns->ino && st.st_dev == ns->dev;
}

/*
 * Open path as O_PATH first, which never blocks nor acts on what it
 * finds (a FIFO or a device planted where an nsfs file was), and only if
 * it is ns open it for real through our own /proc/self/fd.
 */
static int
open_checked(int dirfd, const char *path, const struct nsf_ns *ns, bool nofollow)
{
	struct open_how how;
	char self[64];
	int pfd, fd = -1;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	if (nofollow)
		how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	if ((pfd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how))) < 0)
		return -1;
	if (is_ns(pfd, ns)) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
		if ((fd = open(self, O_RDONLY | O_CLOEXEC)) >= 0 && !is_ns(fd, ns)) {
			close(fd);
			fd = -1;
		}
	}
	close(pfd);
	return fd;
}

/*
 * An fd on ns, checked to be ns: through a task in it; else, for a
 * namespace no task is in, through what holds it and nsfind can reach:
 * an nsfs fd of a process, or a bind mount in nsfind's mount namespace.
 */
static int
ns_open(const struct dctx *c, const struct nsf_ns *ns, const char *dir,
    const char *entry)
{
	const struct nsf_holder *h;
	char path[PATH_MAX];
	size_t i;
	int fd;

	if (dir != NULL) {
		/* /proc/PID/ns links are nsfs files and nothing else. */
		snprintf(path, sizeof(path), "%s/ns/%s", dir, entry);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return -1;
		if (!is_ns(fd, ns)) {
			close(fd);
			return -1;
		}
		return fd;
	}
	/* By handle (6.18+): through nsfs itself, no path, no user's mount. */
	if (nsf_ns_reopenable(c->g, ns) &&
	    (fd = nsf_open_handle(ns->id, ns->type, ns->ino)) >= 0)
		return fd;
	for (i = 0; i < ns->nholders; i++) {
		h = &ns->holders[i];
		fd = -1;
		if (h->kind == NSF_H_FD && h->slot < 0) {
			if (h->tid)
				snprintf(path, sizeof(path), "%s/%d/task/%d/fd/%d",
				    c->o->proc, (int)h->pid, (int)h->tid, h->fd);
			else
				snprintf(path, sizeof(path), "%s/%d/fd/%d",
				    c->o->proc, (int)h->pid, h->fd);
			fd = open_checked(AT_FDCWD, path, ns, false);
		}
		/*
		 * Not a bind mount's path: a walk there can hang on a
		 * filesystem that stops answering, and an open file on it
		 * would make its owner's umount fail.
		 */
		if (fd >= 0)
			return fd;
	}
	return -1;
}

static void
set_missing(struct nsf_details *d, const char *what, const char *why, int err)
{
	d->missing = what;
	d->why = why;
	d->err = err;
}

static void
user_details(struct dctx *c, struct nsf_ns *ns, struct nsf_details *d)
{
	char dir[PATH_MAX], *t = NULL;
	ssize_t r;

	if (!member_dir(c, ns, dir, sizeof(dir), NULL, 0)) {
		set_missing(d, "maps", "no member", 0);
		return;
	}
	if ((r = read_member(dir, "uid_map", "user", ns, &t)) < 0 ||
	    nsf_parse_idmap(t, &d->uid_map, &d->nuid) != 0) {
		free(t);
		set_missing(d, "maps", "cannot read", r < 0 ? (int)-r : EINVAL);
		return;
	}
	free(t);
	t = NULL;
	if ((r = read_member(dir, "gid_map", "user", ns, &t)) < 0 ||
	    nsf_parse_idmap(t, &d->gid_map, &d->ngid) != 0) {
		free(t);
		set_missing(d, "maps", "cannot read", r < 0 ? (int)-r : EINVAL);
		return;
	}
	free(t);
	d->maps = true;
}

/* The level from the parent chain; from a task's NSpid when it breaks. */
static void
pid_details(struct dctx *c, struct nsf_ns *ns, struct nsf_details *d)
{
	char dir[PATH_MAX], *t = NULL;
	struct nsf_ns *p;
	pid_t *v;
	int level = 0, n, depth = 0;

	for (p = ns; p && !p->initial && depth < 64; p = p->parent, depth++)
		level++;
	if (p && p->initial) {
		d->level = level;
		return;
	}
	if (!member_dir(c, ns, dir, sizeof(dir), NULL, 0)) {
		set_missing(d, "level", "no member", 0);
		return;
	}
	if (read_member(dir, "status", "pid", ns, &t) >= 0 &&
	    nsf_parse_nspid(t, &v, &n) == 0) {
		d->level = n - 1;
		free(v);
	} else
		set_missing(d, "level", "cannot read", ESRCH);
	free(t);
}

/* timens_offsets shows the task's time_for_children: find such a task. */
static void
time_details(struct dctx *c, struct nsf_ns *ns, struct nsf_details *d)
{
	char dir[PATH_MAX], *t = NULL;
	pid_t pid = c->tchild[ns->index];
	ssize_t r;

	if (ns->initial) {
		d->offsets = true;	/* the initial one's are zero */
		return;
	}
	if (pid <= 0) {
		set_missing(d, "offsets", "no member", 0);
		return;
	}
	snprintf(dir, sizeof(dir), "%s/%d", c->o->proc, (int)pid);
	if ((r = read_member(dir, "timens_offsets", "time_for_children", ns,
	    &t)) < 0 || nsf_parse_timens(t, &d->mono_sec, &d->mono_nsec,
	    &d->boot_sec, &d->boot_nsec) != 0)
		set_missing(d, "offsets", "cannot read", r < 0 ? (int)-r : EINVAL);
	else
		d->offsets = true;
	free(t);
}

/* nr_mounts from the kernel (6.12+), else mountinfo's lines; the root's source. */
static void
mnt_details(struct dctx *c, struct nsf_ns *ns, struct nsf_details *d)
{
	struct mnt_ns_info info;
	char dir[PATH_MAX], *t = NULL;
	bool member = member_dir(c, ns, dir, sizeof(dir), NULL, 0);
	long count = -1;
	ssize_t r;
	int fd;

	if ((fd = ns_open(c, ns, member ? dir : NULL, "mnt")) >= 0) {
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (ioctl(fd, NS_MNT_GET_INFO, &info) == 0)
			d->nmounts = info.nr_mounts;
		close(fd);
	}
	if (!member) {
		set_missing(d, d->nmounts < 0 ? "mounts" : "root", "no member", 0);
		return;
	}
	if ((r = read_member(dir, "mountinfo", "mnt", ns, &t)) < 0 ||
	    nsf_parse_mountinfo_root(t, (size_t)r, &count, &d->rootsrc) != 0) {
		set_missing(d, "root", "cannot read", r < 0 ? (int)-r : EINVAL);
	} else if (d->nmounts < 0)
		d->nmounts = count;
	free(t);
}

static struct item *
add_item(struct dctx *c, struct nsf_ns *ns, int fd)
{
	enum nsf_type t = ns->type;
	struct item *it;

	nsf_grow(&c->items[t], &c->cap[t], c->nitems[t], sizeof(*it));
	it = &c->items[t][c->nitems[t]++];
	memset(it, 0, sizeof(*it));
	it->ns = ns;
	it->fd = fd;
	return it;
}

/* uts, ipc and cgroup are read from inside: queue them for the child. */
static void
queue_inside(struct dctx *c, struct nsf_ns *ns, struct nsf_details *d)
{
	static const char *what[NSF_NTYPES] = {
		[NSF_UTS] = "hostname", [NSF_IPC] = "counts", [NSF_CGROUP] = "root",
	};
	char dir[PATH_MAX], rel[40], *t = NULL;
	bool member = member_dir(c, ns, dir, sizeof(dir), rel, sizeof(rel));
	struct item *it;
	int fd;

	if (ns->type == NSF_CGROUP && ns->initial) {
		d->cgroot = xstrdup("/");
		return;
	}
	if (ns->type == NSF_CGROUP && !member) {
		set_missing(d, what[ns->type], "no member", 0);
		return;
	}
	if ((fd = ns_open(c, ns, member ? dir : NULL, nsf_type_name(ns->type))) < 0) {
		set_missing(d, what[ns->type], member ? "cannot open" : "no member",
		    member ? errno : 0);
		return;
	}
	if (ns->type == NSF_CGROUP) {
		if (read_member(dir, "cgroup", "cgroup", ns, &t) < 0) {
			close(fd);
			set_missing(d, what[ns->type], "cannot read", ESRCH);
			return;
		}
		it = add_item(c, ns, fd);
		snprintf(it->rel, sizeof(it->rel), "%s/cgroup", rel);
		if (nsf_parse_cgroup_path(t, &it->host) != 0)
			it->host = NULL;
		free(t);
		return;
	}
	add_item(c, ns, fd);
}

/* POSIX message queues: a detached mqueue mount of the current ipc ns. */
static long
count_mqueues(void)
{
	struct nsf_dir dir;
	long n = 0;
	int fs, mnt, fd;

	if ((fs = syscall(SYS_fsopen, "mqueue", FSOPEN_CLOEXEC)) < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY)) < 0) {
		close(fs);
		return -1;
	}
	close(fs);
	fd = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(mnt);
	if (fd < 0)
		return -1;
	nsf_dir_init(&dir, fd);
	while (nsf_dir_next(&dir) != NULL)
		n++;
	close(fd);
	return n;
}

static void
ipc_counts(struct rec *r)
{
	struct msginfo mi;
	struct shm_info si;
	struct seminfo se;
	union semun {
		int		 val;
		struct semid_ds	*buf;
		unsigned short	*array;
		struct seminfo	*__buf;
	} arg;

	memset(&mi, 0, sizeof(mi));
	memset(&si, 0, sizeof(si));
	memset(&se, 0, sizeof(se));
	arg.__buf = &se;
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si) < 0 ||
	    semctl(0, 0, SEM_INFO, arg) < 0 ||
	    msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi) < 0) {
		r->err = errno;
		return;
	}
	r->n[0] = si.used_ids;
	r->n[1] = se.semusz;
	r->n[2] = mi.msgpool;
	r->n[3] = count_mqueues();
}

static void
child_one(enum nsf_type t, const struct item *it, int procfd, struct rec *r)
{
	struct utsname u;
	ssize_t got;
	int fd;

	if (setns(it->fd, nsf_type_clone(t)) == -1) {
		r->err = errno;
		return;
	}
	switch (t) {
	case NSF_UTS:
		if (uname(&u) == -1) {
			r->err = errno;
			break;
		}
		memcpy(r->s1, u.nodename, sizeof(u.nodename));
		memcpy(r->s2, u.domainname, sizeof(u.domainname));
		break;
	case NSF_IPC:
		ipc_counts(r);
		break;
	case NSF_CGROUP:
		/* The file is rendered for the reader's cgroup namespace. */
		if ((fd = openat(procfd, it->rel, O_RDONLY | O_CLOEXEC)) == -1) {
			r->err = errno;
			break;
		}
		while ((got = read(fd, r->text + r->len,
		    sizeof(r->text) - 1 - r->len)) > 0 ||
		    (got == -1 && errno == EINTR))
			if (got > 0)
				r->len += got;
		if (got < 0)
			r->err = errno;
		else if (r->len == sizeof(r->text) - 1)
			r->err = ENAMETOOLONG;
		close(fd);
		break;
	default:
		r->err = EINVAL;
	}
}

/*
 * The child: one namespace after the other, a record each.  System calls
 * only: the parent may have threads, so no malloc and no stdio.
 */
static void __attribute__((noreturn))
child_main(int out, pid_t parent, enum nsf_type t, const struct item *it,
    size_t n, int procfd)
{
	static struct rec r;
	size_t i, off;
	ssize_t w;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	for (i = 0; i < n; i++) {
		memset(&r, 0, sizeof(r));
		child_one(t, &it[i], procfd, &r);
		for (off = 0; off < sizeof(r); off += (size_t)w)
			if ((w = write(out, (char *)&r + off, sizeof(r) - off)) <= 0) {
				if (w == -1 && errno == EINTR) {
					w = 0;
					continue;
				}
				_exit(2);
			}
	}
	_exit(0);
}

static int
ms_left(const struct timespec *end)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (end->tv_sec - now.tv_sec) * 1000 +
	    (end->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Read one record with the batch's deadline: 0 or -errno. */
static int
read_rec(int fd, struct rec *r, const struct timespec *end)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t off = 0;
	ssize_t got;
	int p;

	while (off < sizeof(*r)) {
		while ((p = poll(&pfd, 1, ms_left(end))) == -1 && errno == EINTR)
			;
		if (p == -1)
			return -errno;
		if (p == 0)
			return -ETIMEDOUT;
		got = read(fd, (char *)r + off, sizeof(*r) - off);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1)
			return -errno;
		if (got == 0)
			return -ECHILD;
		off += (size_t)got;
	}
	return 0;
}

static void
take_rec(const struct item *it, struct rec *r)
{
	struct nsf_details *d = it->ns->details;
	char *inside = NULL;

	if (r->err) {
		set_missing(d, it->ns->type == NSF_UTS ? "hostname" :
		    it->ns->type == NSF_IPC ? "counts" : "root", "cannot enter",
		    r->err);
		return;
	}
	switch (it->ns->type) {
	case NSF_UTS:
		r->s1[sizeof(r->s1) - 1] = r->s2[sizeof(r->s2) - 1] = '\0';
		d->hostname = xstrdup(r->s1);
		d->domainname = xstrdup(r->s2);
		break;
	case NSF_IPC:
		d->ipc_read = true;
		d->shm = r->n[0];
		d->sem = r->n[1];
		d->msg = r->n[2];
		d->mqueue = r->n[3];
		break;
	case NSF_CGROUP:
		r->text[r->len < sizeof(r->text) ? r->len : sizeof(r->text) - 1] = '\0';
		if (it->host && nsf_parse_cgroup_path(r->text, &inside) == 0)
			d->cgroot = nsf_cgroup_root(it->host, inside);
		if (d->cgroot == NULL)
			set_missing(d, "root", "cannot tell", 0);
		free(inside);
		break;
	default:
		break;
	}
}

/* One child for n namespaces of type t; every item gets an answer. */
static void
run_child(enum nsf_type t, struct item *it, size_t n, int procfd)
{
	struct timespec end;
	struct rec *r = xmalloc(sizeof(*r));
	size_t i = 0;
	pid_t pid, self = getpid();
	int p[2], err = 0, st;

	if (pipe2(p, O_CLOEXEC) == -1)
		err = -errno;
	else if ((pid = fork()) == -1) {
		err = -errno;
		close(p[0]);
		close(p[1]);
	} else if (pid == 0) {
		close(p[0]);
		child_main(p[1], self, t, it, n, procfd);
	}
	if (err == 0) {
		close(p[1]);
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += CHILD_TIMEOUT_MS / 1000;
		for (i = 0; i < n; i++) {
			if ((err = read_rec(p[0], r, &end)) != 0)
				break;
			take_rec(&it[i], r);
		}
		close(p[0]);
		if (err != 0)
			kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
	}
	for (; i < n; i++) {
		memset(r, 0, sizeof(*r));
		r->err = -err;
		take_rec(&it[i], r);
	}
	free(r);
}

static void
run_children(struct dctx *c)
{
	static const enum nsf_type types[] = { NSF_UTS, NSF_IPC, NSF_CGROUP };
	size_t k, i, off, n;
	int procfd;
	enum nsf_type t;

	procfd = open(c->o->proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (k = 0; k < NSF_ARRAY_SIZE(types); k++) {
		t = types[k];
		for (off = 0; off < c->nitems[t]; off += n) {
			n = c->nitems[t] - off;
			if (n > CHILD_BATCH)
				n = CHILD_BATCH;
			run_child(t, c->items[t] + off, n, procfd);
		}
		for (i = 0; i < c->nitems[t]; i++) {
			close(c->items[t][i].fd);
			free(c->items[t][i].host);
		}
		free(c->items[t]);
	}
	if (procfd >= 0)
		close(procfd);
}

/*
 * Addresses: the netlink source listed them beside the links, from its
 * private network namespace (so no second one is made here).
 */
static void
net_details(struct dctx *c)
{
	struct nsf_netinfo *ni;
	struct nsf_details *d;
	struct nsf_ns *ns;
	size_t i;

	for (i = 0; i < c->g->nns; i++) {
		ns = c->g->ns[i];
		if (ns->type != NSF_NET || (c->sel && !c->sel[ns->index]))
			continue;
		d = nsf_details_get(ns);
		if ((ni = ns->net) != NULL && ni->addrs_read) {
			d->addrs = ni->addrs;
			d->naddrs = ni->naddrs;
			d->addrs_read = true;
			ni->addrs = NULL;
			ni->naddrs = 0;
		} else if (ns->unresolved)
			set_missing(d, "addresses", "known only by a netnsid", 0);
		else if (ni != NULL && ni->addrs_err)
			set_missing(d, "addresses", "cannot list", ni->addrs_err);
		else
			set_missing(d, "addresses", ni && ni->err == EBADF ?
			    "no member" : "cannot list", ni ? ni->err : 0);
	}
}

void
src_details(struct nsf_graph *g, const struct nsf_scanopts *o, const bool *sel)
{
	struct dctx c;
	struct nsf_details *d;
	struct nsf_ns *ns;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.o = o;
	c.tchild = xcalloc(g->nns + 1, sizeof(*c.tchild));
	for (i = 0; i < g->nprocs; i++)
		if ((ns = g->procs[i]->ns[NSF_E_TIME_CHILDREN]) != NULL &&
		    c.tchild[ns->index] == 0)
			c.tchild[ns->index] = g->procs[i]->pid;
	c.sel = sel;
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (sel && !sel[ns->index])
			continue;
		d = nsf_details_get(ns);
		d->done = true;
		if (ns->unresolved)
			continue;
		switch (ns->type) {
		case NSF_USER: user_details(&c, ns, d); break;
		case NSF_PID: pid_details(&c, ns, d); break;
		case NSF_TIME: time_details(&c, ns, d); break;
		case NSF_MNT: mnt_details(&c, ns, d); break;
		case NSF_UTS:
		case NSF_IPC:
		case NSF_CGROUP: queue_inside(&c, ns, d); break;
		default: break;
		}
	}
	run_children(&c);
	net_details(&c);
	free(c.tchild);
}

/* The NSpid chain of one task, kept in its pid namespace's details. */
static void
add_nspid(const struct nsf_scanopts *o, struct nsf_ns *ns, pid_t pid, pid_t tid)
{
	struct nsf_details *d;
	char path[PATH_MAX], *t = NULL;
	pid_t *v;
	int n;

	if (ns == NULL || ns->initial)
		return;
	if (pid == tid)
		snprintf(path, sizeof(path), "%s/%d/status", o->proc, (int)pid);
	else
		snprintf(path, sizeof(path), "%s/%d/task/%d/status", o->proc,
		    (int)pid, (int)tid);
	if (nsf_slurp_at(AT_FDCWD, path, &t) < 0 || nsf_parse_nspid(t, &v, &n) != 0) {
		free(t);
		return;
	}
	free(t);
	d = nsf_details_get(ns);
	nsf_grow(&d->tasks, &d->tasks_cap, d->ntasks, sizeof(*d->tasks));
	d->tasks[d->ntasks].tid = tid;
	d->tasks[d->ntasks].n = n;
	d->tasks[d->ntasks++].v = v;
}

void
src_nspid(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct nsf_proc *p;
	size_t i, t;

	for (i = 0; i < g->nprocs; i++) {
		p = g->procs[i];
		add_nspid(o, p->ns[NSF_E_PID], p->pid, p->pid);
		for (t = 0; t < p->nthr; t++)
			add_nspid(o, p->threads[t].ns[NSF_E_PID], p->pid,
			    p->threads[t].tid);
	}
	for (i = 0; i < g->nns; i++)
		if (g->ns[i]->details && g->ns[i]->details->ntasks > 1)
			qsort(g->ns[i]->details->tasks, g->ns[i]->details->ntasks,
			    sizeof(struct nsf_nspid), cmp_nspid);
}
