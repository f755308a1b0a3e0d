/*
 * proc_gather.c - see proc_gather.h.
 *
 * Per task: one fstatat per ns entry.  A namespace is opened the first
 * time a worker sees it, while the task is surely alive, so the merge has
 * an fd for every namespace without a second trip to /proc.  Per fd
 * table: one readlinkat per fd; only nsfs files, sockets, tun devices
 * and io_uring rings are kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nsfd.h"
#include "proc_gather.h"
#include "procparse.h"
#include "util.h"

#define CHUNK	32	/* pids a worker takes at a time */

/* Namespaces a worker has opened already: (dev, ino), open hash. */
struct seen {
	uint64_t	*ino;
	dev_t		*dev;
	size_t		 n, cap;
	struct work	*w;
};

/* A limit, not a refusal: the process is read again, alone, later. */
static bool
is_limit(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == EAGAIN;
}

struct work {
	const struct nsf_gather_opts *o;
	atomic_int	 kept;		/* namespace fds kept (keep_fds) */
	int		 procfd;
	pid_t		*pids;
	struct nsf_prec	*recs;
	size_t		 n;
	atomic_size_t	 next;
};

static bool
seen_add(struct seen *s, dev_t dev, uint64_t ino)
{
	size_t i, oldcap;
	uint64_t *oi;
	dev_t *od;

	if (s->n * 2 >= s->cap) {
		oi = s->ino, od = s->dev, oldcap = s->cap;
		s->cap = s->cap ? s->cap * 2 : 512;
		s->ino = xcalloc(s->cap, sizeof(*s->ino));
		s->dev = xcalloc(s->cap, sizeof(*s->dev));
		s->n = 0;
		for (i = 0; i < oldcap; i++)
			if (oi[i])
				seen_add(s, od[i], oi[i]);
		free(oi);
		free(od);
	}
	i = (ino * 0x9E3779B97F4A7C15ULL >> 20) & (s->cap - 1);
	while (s->ino[i]) {
		if (s->ino[i] == ino && s->dev[i] == dev)
			return false;
		i = (i + 1) & (s->cap - 1);
	}
	s->ino[i] = ino;
	s->dev[i] = dev;
	s->n++;
	return true;
}

/*
 * The first sighting of a namespace: its id (and creator) now, while the
 * task surely holds it.  The fd goes at once where handles reopen it;
 * otherwise it is kept, within the budget, for the merge to adopt.
 */
static int
first_open(struct seen *sn, int dirfd, const char *name, enum nsf_type type,
    uint64_t *id, bool *has_creator, uid_t *creator, struct nsf_hprobe **up,
    int *err)
{
	const struct nsf_gather_opts *o = sn->w->o;
	struct nsf_probe p;
	int fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) < 0) {
		if (is_limit(errno))
			*err = errno;
		return -1;
	}
	nsf_probe_fd(fd, type, &p);
	*id = p.id;
	if (up != NULL) {
		*up = xmalloc(sizeof(**up));
		nsf_hprobe_fd(fd, type, *up);
	}
	if (has_creator) {
		*has_creator = p.has_creator;
		*creator = p.creator;
	}
	if (o->keep_fds && atomic_fetch_add(&sn->w->kept, 1) < o->fd_budget)
		return fd;
	close(fd);
	return -1;
}

static pid_t
parse_pid(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 ? (pid_t)v : -1;
}

/* The ns entries of one task; false when every one was refused. */
static bool
read_entries(struct seen *sn, int nsdir, struct nsf_trec *t, int *limit)
{
	struct stat st;
	int e, denied = 0;

	for (e = 0; e < NSF_NENTRIES; e++) {
		struct nsf_erec *r = &t->e[e];

		r->fd = -1;
		r->first = false;
		r->up = NULL;
		if (fstatat(nsdir, nsf_entry_name(e), &st, 0) < 0) {
			r->err = errno;
			denied += errno == EACCES || errno == EPERM;
			continue;
		}
		r->err = 0;
		r->dev = st.st_dev;
		r->ino = st.st_ino;
		t->read = true;
		if ((r->first = seen_add(sn, st.st_dev, st.st_ino)))
			r->fd = first_open(sn, nsdir, nsf_entry_name(e),
			    nsf_entry_type(e), &r->id, &r->has_creator,
			    &r->creator, &r->up, limit);
	}
	return t->read || denied == 0;
}

/* A task record that is not kept: what its entries hold goes. */
static void
drop_task(struct nsf_trec *t)
{
	int e;

	for (e = 0; e < NSF_NENTRIES; e++) {
		if (t->e[e].fd >= 0)
			close(t->e[e].fd);
		free(t->e[e].up);
		t->e[e].fd = -1;
		t->e[e].up = NULL;
	}
}

static struct nsf_trec *
new_task(struct nsf_prec *r, pid_t tid)
{
	struct nsf_trec *t;

	nsf_grow(&r->t, &r->tcap, r->nt, sizeof(*t));
	t = &r->t[r->nt++];
	t->tid = tid;
	return t;
}

static void
keep_fd(struct nsf_prec *r, struct nsf_frec *f)
{
	nsf_grow(&r->f, &r->fcap, r->nf, sizeof(*f));
	r->f[r->nf++] = *f;
}

/*
 * An fd whose link reads "/": the root of a process in another mount
 * namespace, or an open_tree(2) clone, which reads "/" whatever it is.  A
 * clone of a namespace bind mount is an nsfs file; a clone of a directory
 * is a detached mount tree that may hold nsfs mounts no mount namespace
 * shows.  Only such fds are stat'ed, so the scan stays one readlink per
 * fd for everything else.
 */
static bool
root_link(struct seen *sn, const struct nsf_gather_opts *o, int fdd,
    const char *name, int taskdir, struct nsf_frec *f, int *limit)
{
	struct stat st, root;

	if (fstatat(fdd, name, &st, 0) < 0)
		return false;
	if (o->nsfs_dev && st.st_dev == o->nsfs_dev) {
		f->kind = NSF_FR_NSFS;
		f->type = -1;
		f->ino = st.st_ino;
		if (seen_add(sn, o->nsfs_dev, f->ino))
			f->nsfd = first_open(sn, fdd, name, NSF_NTYPES, &f->id,
			    NULL, NULL, NULL, limit);
		return true;
	}
	if (!S_ISDIR(st.st_mode))
		return false;
	/* The process's own root, as container processes often hold: nothing. */
	if (fstatat(taskdir, "root", &root, 0) == 0 && root.st_dev == st.st_dev &&
	    root.st_ino == st.st_ino)
		return false;
	f->kind = NSF_FR_TREE;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return true;
}

/* The fds of one fd table (taskdir: /proc/PID or /proc/PID/task/TID). */
static void
read_fds(struct seen *sn, const struct nsf_gather_opts *o, int taskdir,
    pid_t tid, struct nsf_prec *r, int *limit)
{
	char link[128];
	struct nsf_frec f;
	struct nsf_dir d;
	const char *name;
	ssize_t n;
	int fdd, type;

	if ((fdd = openat(taskdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r->fd_denied |= errno == EACCES || errno == EPERM;
		if (is_limit(errno))
			*limit = errno;
		return;
	}
	nsf_dir_init(&d, fdd);
	while ((name = nsf_dir_next(&d)) != NULL) {
		if ((n = readlinkat(fdd, name, link, sizeof(link) - 1)) <= 0)
			continue;
		link[n] = '\0';
		memset(&f, 0, sizeof(f));
		f.tid = tid;
		f.fd = atoi(name);
		f.nsfd = -1;
		if (nsf_parse_nslink(link, &type, &f.ino) == 0) {
			f.kind = NSF_FR_NSFS;
			f.type = type;
			if (o->nsfs_dev == 0 || seen_add(sn, o->nsfs_dev, f.ino))
				f.nsfd = first_open(sn, fdd, name, type, &f.id,
				    NULL, NULL, NULL, limit);
		} else if (strcmp(link, "/") == 0) {
			if (!root_link(sn, o, fdd, name, taskdir, &f, limit))
				continue;
		} else if (strncmp(link, "socket:[", 8) == 0) {
			f.kind = NSF_FR_SOCKET;
			f.ino = strtoull(link + 8, NULL, 10);
		} else if (strcmp(link, "/dev/net/tun") == 0)
			f.kind = NSF_FR_TUN;
		else if (strcmp(link, "anon_inode:[io_uring]") == 0)
			f.kind = NSF_FR_URING;
		else
			continue;
		keep_fd(r, &f);
	}
	close(fdd);
}

static void
read_threads(struct seen *sn, const struct nsf_gather_opts *o, int piddir,
    struct nsf_prec *r, int *limit)
{
	struct nsf_dir d;
	const char *name;
	int taskfd, dir, nsdir;
	pid_t tid;

	if ((taskfd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (is_limit(errno))
			*limit = errno;
		return;
	}
	nsf_dir_init(&d, taskfd);
	while ((name = nsf_dir_next(&d)) != NULL) {
		if ((tid = parse_pid(name)) < 0)
			continue;
		if (tid == r->pid)
			continue;
		if ((dir = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
			if (is_limit(errno))
				*limit = errno;
			continue;
		}
		if ((nsdir = openat(dir, "ns", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			struct nsf_trec *t = new_task(r, tid);

			if (!read_entries(sn, nsdir, t, limit) || !t->read) {
				drop_task(t);
				r->nt--;
			}
			close(nsdir);
		} else if (is_limit(errno))
			*limit = errno;
		/* A thread that did unshare(CLONE_FILES) has a table of its own. */
		if (o->fds && r->pid != o->self &&
		    syscall(SYS_kcmp, r->pid, tid, KCMP_FILES, 0, 0) != 0)
			read_fds(sn, o, dir, tid, r, limit);
		close(dir);
	}
	close(taskfd);
}

/* Drop what was read of a process: it will be read again (a limit hit). */
static void
forget(struct nsf_prec *r)
{
	size_t t, f;
	int e;

	for (t = 0; t < r->nt; t++)
		for (e = 0; e < NSF_NENTRIES; e++) {
			if (r->t[t].e[e].fd >= 0)
				close(r->t[t].e[e].fd);
			free(r->t[t].e[e].up);
			r->t[t].e[e].up = NULL;
		}
	for (f = 0; f < r->nf; f++)
		if (r->f[f].nsfd >= 0)
			close(r->f[f].nsfd);
	r->nt = r->nf = 0;
	nsf_nsmounts_free(r->mnt, r->nmnt);
	r->mnt = NULL;
	r->nmnt = 0;
	r->mnt_read = false;
}

/*
 * A process whose leader cannot name its net namespace any more but
 * still its pid namespace has exited: a zombie, unless other threads live
 * on.  A zombie keeps its pid and user namespaces until its parent reaps
 * it, so it is told apart, with that parent.
 */
static void
check_zombie(int piddir, struct nsf_prec *r)
{
	const struct nsf_erec *e = r->t[0].e;
	char buf[1024], state;
	long nthreads;
	int ppid;

	if (e[NSF_E_NET].err != ENOENT || e[NSF_E_PID].err != 0)
		return;
	if (nsf_read_at(piddir, "stat", buf, sizeof(buf)) <= 0 ||
	    nsf_parse_stat_state(buf, &state, &ppid, &nthreads) != 0)
		return;
	if ((state == 'Z' || state == 'X') && nthreads <= 1) {
		r->zombie = true;
		r->ppid = ppid;
	}
}

/*
 * The nsfs mounts of a mount namespace this worker meets first, from the
 * mountinfo of the process it met it in, checked to be in it still.
 */
static void
read_mounts(int piddir, struct nsf_prec *r, int *limit)
{
	struct stat st;
	int fd, rc;

	if ((fd = openat(piddir, "mountinfo", O_RDONLY | O_CLOEXEC)) < 0) {
		if (is_limit(errno))
			*limit = errno;
		return;
	}
	rc = nsf_mountinfo_nsfs_fd(fd, &r->mnt, &r->nmnt);
	close(fd);
	if (rc == -ENOMEM || rc == -EMFILE)
		*limit = -rc;
	if (rc == 0 && fstatat(piddir, "ns/mnt", &st, 0) == 0 &&
	    st.st_ino == r->t[0].e[NSF_E_MNT].ino &&
	    st.st_dev == r->t[0].e[NSF_E_MNT].dev) {
		r->mnt_read = true;
		return;
	}
	nsf_nsmounts_free(r->mnt, r->nmnt);
	r->mnt = NULL;
	r->nmnt = 0;
}

static void
read_pid(struct seen *sn, const struct nsf_gather_opts *o, int procfd,
    struct nsf_prec *r)
{
	char name[16];
	struct nsf_trec *t;
	int piddir, nsdir, limit = 0;

	snprintf(name, sizeof(name), "%d", (int)r->pid);
	if ((piddir = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r->state = is_limit(errno) ? NSF_PR_RETRY : NSF_PR_GONE;
		r->err = errno;
		return;
	}
	t = new_task(r, r->pid);
	/* O_PATH: search permission is enough, the links themselves are checked. */
	if ((nsdir = openat(piddir, "ns", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (!read_entries(sn, nsdir, t, &limit))
			r->state = NSF_PR_DENIED;
		close(nsdir);
	} else if (errno == EACCES || errno == EPERM)
		r->state = NSF_PR_DENIED;
	else if (is_limit(errno))
		limit = errno;
	if (r->state == NSF_PR_OK && !limit)
		check_zombie(piddir, r);
	if (r->state == NSF_PR_OK && !limit && !r->zombie && o->mounts &&
	    r->t[0].e[NSF_E_MNT].first && r->t[0].e[NSF_E_MNT].err == 0)
		read_mounts(piddir, r, &limit);
	/* A leader that exited leaves its threads: they are read all the same. */
	if (r->state == NSF_PR_OK && !r->zombie && (o->threads || r->t[0].read)) {
		if (o->threads)
			read_threads(sn, o, piddir, r, &limit);
		if (o->fds && r->pid != o->self)
			read_fds(sn, o, piddir, r->pid, r, &limit);
	}
	/* r->t may have moved while threads were added: index, not t. */
	if (!r->t[0].read && r->nt == 1 && r->state == NSF_PR_OK && !limit)
		r->state = NSF_PR_GONE;
	if (limit) {
		forget(r);
		r->state = NSF_PR_RETRY;
		r->err = limit;
	}
	close(piddir);
}

static void *
worker(void *arg)
{
	struct work *w = arg;
	struct seen sn = { NULL, NULL, 0, 0, w };
	size_t i, end;

	for (;;) {
		i = atomic_fetch_add(&w->next, CHUNK);
		if (i >= w->n)
			break;
		end = i + CHUNK < w->n ? i + CHUNK : w->n;
		for (; i < end; i++)
			read_pid(&sn, w->o, w->procfd, &w->recs[i]);
	}
	free(sn.ino);
	free(sn.dev);
	return NULL;
}

/*
 * What the workers could not read for want of fds or memory is read
 * again by one thread, now that the others are done.  What fails again
 * is an error the caller counts.
 */
static void
retry(struct work *w)
{
	struct seen sn = { NULL, NULL, 0, 0, w };
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->recs[i].state != NSF_PR_RETRY)
			continue;
		w->recs[i].state = NSF_PR_OK;
		read_pid(&sn, w->o, w->procfd, &w->recs[i]);
		if (w->recs[i].state == NSF_PR_RETRY)
			w->recs[i].state = NSF_PR_ERROR;
	}
	free(sn.ino);
	free(sn.dev);
}

static size_t
list_pids(int procfd, pid_t **out)
{
	struct nsf_dir *d = xmalloc(sizeof(*d));
	const char *name;
	size_t n = 0, cap = 0;
	pid_t pid, *v = NULL;

	nsf_dir_init(d, procfd);
	while ((name = nsf_dir_next(d)) != NULL) {
		if ((pid = parse_pid(name)) < 0)
			continue;
		nsf_grow(&v, &cap, n, sizeof(*v));
		v[n++] = pid;
	}
	free(d);
	*out = v;
	return n;
}

/* One per CPU, at most four, and only as many as the fd limit feeds. */
static int
workers(const struct nsf_gather_opts *o, size_t npids)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = o->workers > 0 ? o->workers : cpus > 4 ? 4 : cpus < 1 ? 1 : (int)cpus;
	struct rlimit rl;
	long room;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		room = ((long)rl.rlim_cur - 32) / 8;
		if (room < n)
			n = room < 1 ? 1 : (int)room;
	}
	return npids < 2 * CHUNK ? 1 : n;
}

int
nsf_gather(const struct nsf_gather_opts *o, struct nsf_prec **out, size_t *nout)
{
	struct work w;
	pthread_t tids[4];
	int nw, started = 0, i;
	size_t k;

	memset(&w, 0, sizeof(w));
	w.o = o;
	if ((w.procfd = open(o->proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	w.n = list_pids(w.procfd, &w.pids);
	w.recs = xcalloc(w.n + 1, sizeof(*w.recs));
	for (k = 0; k < w.n; k++)
		w.recs[k].pid = w.pids[k];
	atomic_init(&w.next, 0);
	nw = workers(o, w.n);
	for (i = 1; i < nw; i++)
		if (pthread_create(&tids[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);	/* the calling thread works too */
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	retry(&w);
	close(w.procfd);
	free(w.pids);
	*out = w.recs;
	*nout = w.n;
	return 0;
}

void
nsf_gather_free(struct nsf_prec *recs, size_t n)
{
	size_t i, t, f;
	int e;

	for (i = 0; i < n; i++) {
		for (t = 0; t < recs[i].nt; t++)
			for (e = 0; e < NSF_NENTRIES; e++) {
				if (recs[i].t[t].e[e].fd >= 0)
					close(recs[i].t[t].e[e].fd);
				free(recs[i].t[t].e[e].up);
			}
		for (f = 0; f < recs[i].nf; f++)
			if (recs[i].f[f].nsfd >= 0)
				close(recs[i].f[f].nsfd);
		free(recs[i].t);
		free(recs[i].f);
		nsf_nsmounts_free(recs[i].mnt, recs[i].nmnt);
	}
	free(recs);
}
