/*
 * src_proc.c - namespaces of every process and every thread.
 *
 * The hot path of nsfind: one fstatat per /proc/PID/ns entry, per task.
 * A namespace is opened only the first time it is seen; everything else a
 * view may want about a process (command, parent, user) is read later and
 * only for the processes a view shows (src_proc_details).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>

#include "nsfd.h"
#include "sources.h"
#include "util.h"

#define PF_KTHREAD	0x00200000

struct scan {
	struct nsf_graph	*g;
	const struct nsf_scanopts *o;
	struct nsf_fdscan	*fds;
	/* The last namespace seen per entry: most tasks share it. */
	struct nsf_ns		*last[NSF_NENTRIES];
	int			 denied;
	pid_t			 denied_pid[4];
	pid_t			 self;
};

static pid_t
parse_pid(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > 0 ? (pid_t)v : -1;
}

/*
 * Fill ns[] from one /proc/.../ns directory.  Returns the number of entries
 * read, or -EACCES when the kernel refused every one of them.
 */
static int
scan_entries(struct scan *s, int nsdir, struct nsf_ns **ns)
{
	struct stat st;
	int e, n = 0, denied = 0;
	struct nsf_ns *last;

	for (e = 0; e < NSF_NENTRIES; e++) {
		ns[e] = NULL;
		if (fstatat(nsdir, nsf_entry_name(e), &st, 0) < 0) {
			if (errno == EACCES || errno == EPERM)
				denied++;
			continue;
		}
		last = s->last[e];
		if (last && last->ino == st.st_ino && last->dev == st.st_dev)
			ns[e] = last;
		else
			ns[e] = s->last[e] = nsf_ns_from_stat(s->g,
			    nsf_entry_type(e), &st, nsdir, nsf_entry_name(e),
			    NSF_VIA_PROC);
		n++;
	}
	return n == 0 && denied ? -EACCES : n;
}

/* Is e one of pid_for_children / time_for_children, and which is its own entry? */
static int
own_entry(int e)
{
	if (e == NSF_E_PID_CHILDREN)
		return NSF_E_PID;
	if (e == NSF_E_TIME_CHILDREN)
		return NSF_E_TIME;
	return -1;
}

/*
 * Count one task into the namespaces it is in.  lead is the leader's
 * namespaces (NULL entries when the leader could not be read, e.g. a
 * process whose main thread exited: its threads then hold everything).
 */
static void
count_task(struct nsf_proc *p, pid_t tid, struct nsf_ns **ns,
    struct nsf_ns **lead, bool leader)
{
	struct nsf_ns *n;
	int e, own;

	for (e = 0; e < NSF_NENTRIES; e++) {
		if ((n = ns[e]) == NULL)
			continue;
		if ((own = own_entry(e)) >= 0) {
			if (n == ns[own] || (!leader && n == lead[e]))
				continue;
			if (n->nchildren++ == 0 || p->pid < n->children_pid) {
				n->children_pid = p->pid;
				n->children_entry = nsf_entry_name(e);
			}
			continue;
		}
		n->ntasks++;
		if (leader) {
			n->nprocs++;
			if (n->proc == NULL || p->pid < n->proc->pid)
				n->proc = p;
		} else if (n != lead[e]) {
			if (n->nthread_only++ == 0 || tid < n->thread_tid) {
				n->thread_tid = tid;
				n->thread_pid = p->pid;
			}
		}
	}
}

static void
add_thread(struct nsf_proc *p, pid_t tid, struct nsf_ns **ns)
{
	struct nsf_thread *t;

	nsf_grow(&p->threads, &p->thr_cap, p->nthr, sizeof(*t));
	t = &p->threads[p->nthr++];
	t->tid = tid;
	memcpy(t->ns, ns, sizeof(t->ns));
}

/*
 * A thread that did unshare(CLONE_FILES) has an fd table of its own,
 * where an fd can hold a namespace that the process's table does not show.
 */
static void
thread_fds(struct scan *s, struct nsf_proc *p, pid_t tid, int taskfd)
{
	char name[16];
	int dirfd;

	if (syscall(SYS_kcmp, p->pid, tid, KCMP_FILES, 0, 0) == 0)
		return;		/* shares the process's table: already read */
	snprintf(name, sizeof(name), "%d", (int)tid);
	if ((dirfd = openat(taskfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	src_fds_scan(s->fds, p, tid, dirfd);
	close(dirfd);
}

static void
scan_threads(struct scan *s, struct nsf_proc *p, int piddir)
{
	struct nsf_ns *ns[NSF_NENTRIES];
	struct nsf_dir d;
	const char *name;
	char path[64];
	int taskfd, nsdir;
	pid_t tid;

	if ((taskfd = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	nsf_dir_init(&d, taskfd);
	while ((name = nsf_dir_next(&d)) != NULL) {
		if ((tid = parse_pid(name)) < 0)
			continue;
		p->nthreads++;
		if (tid == p->pid)
			continue;
		snprintf(path, sizeof(path), "%d/ns", (int)tid);
		nsdir = openat(taskfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (nsdir < 0)
			continue;
		if (scan_entries(s, nsdir, ns) > 0) {
			count_task(p, tid, ns, p->ns, false);
			if (memcmp(ns, p->ns, sizeof(ns)) != 0)
				add_thread(p, tid, ns);
		}
		close(nsdir);
		if (s->fds && p->pid != s->self)
			thread_fds(s, p, tid, taskfd);
	}
	close(taskfd);
}

static void
note_denied(struct scan *s, pid_t pid)
{
	if (s->denied < (int)NSF_ARRAY_SIZE(s->denied_pid))
		s->denied_pid[s->denied] = pid;
	s->denied++;
}

static void
scan_pid(struct scan *s, int procfd, const char *name, pid_t pid)
{
	struct nsf_ns *ns[NSF_NENTRIES];
	struct nsf_proc *p;
	int piddir, nsdir, n;

	if ((piddir = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;		/* gone: normal */
	nsdir = openat(piddir, "ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	n = nsdir < 0 ? -errno : scan_entries(s, nsdir, ns);
	if (nsdir >= 0)
		close(nsdir);
	if (n == -EACCES || n == -EPERM) {
		note_denied(s, pid);
		close(piddir);
		return;
	}
	if (n <= 0 && !s->o->threads) {
		close(piddir);
		return;
	}
	if (n <= 0)
		memset(ns, 0, sizeof(ns));
	p = graph_add_proc(s->g, pid);
	memcpy(p->ns, ns, sizeof(ns));
	count_task(p, pid, ns, ns, true);
	if (s->o->threads)
		scan_threads(s, p, piddir);
	/* nsfind's own fds on the namespaces it probes hold nothing. */
	if (s->fds && pid != s->self)
		src_fds_scan(s->fds, p, pid, piddir);
	close(piddir);
}

static void
report_denied(struct scan *s)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	s->g->uninspected = s->denied;
	if (s->denied == 0)
		return;
	for (i = 0; i < s->denied && i < (int)NSF_ARRAY_SIZE(s->denied_pid); i++)
		sb_addf(&sb, "%s%d", i ? ", " : "", (int)s->denied_pid[i]);
	if (s->denied > i)
		sb_adds(&sb, ", ...");
	graph_note(s->g, "could not inspect %d process%s (pid %s): permission denied%s",
	    s->denied, s->denied == 1 ? "" : "es", sb_str(&sb),
	    geteuid() == 0 ? " (it holds capabilities that nsfind lacks)" :
	    " (run as root to see them)");
	sb_free(&sb);
}

int
src_proc_scan(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct scan s;
	struct nsf_dir *d;
	const char *name;
	int procfd;
	pid_t pid;

	memset(&s, 0, sizeof(s));
	s.g = g;
	s.o = o;
	s.self = getpid();
	if ((procfd = open(o->proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (o->fds)
		s.fds = src_fds_new(g);
	d = xmalloc(sizeof(*d));
	nsf_dir_init(d, procfd);
	while ((name = nsf_dir_next(d)) != NULL)
		if ((pid = parse_pid(name)) > 0)
			scan_pid(&s, procfd, name, pid);
	free(d);
	close(procfd);
	if (s.fds)
		src_fds_done(s.fds);
	report_denied(&s);
	return 0;
}

/* "pid (comm) S ppid ... flags": comm may hold spaces and parentheses. */
static void
parse_stat(struct nsf_proc *p, const char *buf)
{
	const char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	unsigned long flags = 0;
	int ppid = -1;
	char state;

	if (l == NULL || r == NULL || r < l)
		return;
	p->comm = xstrndup(l + 1, r - l - 1);
	if (sscanf(r + 1, " %c %d %*d %*d %*d %*d %lu", &state, &ppid, &flags) >= 2)
		p->ppid = ppid;
	p->kthread = (flags & PF_KTHREAD) != 0;
}

/* argv as the kernel keeps it, and a copy with spaces for display. */
static void
read_cmdline(struct nsf_proc *p, int dirfd)
{
	char *buf;
	ssize_t n, i;

	if ((n = nsf_slurp_at(dirfd, "cmdline", &buf)) <= 0) {
		free(n == 0 ? buf : NULL);
		return;
	}
	p->argv = buf;
	p->argvlen = n;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	p->cmdline = xstrndup(buf, n);
	for (i = 0; i < n; i++)
		if (p->cmdline[i] == '\0')
			p->cmdline[i] = ' ';
	if (n == 0) {
		free(p->cmdline);
		p->cmdline = NULL;
	}
}

static char *
user_name(uid_t uid)
{
	static struct { uid_t uid; char *name; } cache[64];
	static size_t n;
	struct passwd *pw;
	char buf[32];
	size_t i;

	for (i = 0; i < n; i++)
		if (cache[i].uid == uid)
			return xstrdup(cache[i].name);
	if ((pw = getpwuid(uid)) != NULL)
		snprintf(buf, sizeof(buf), "%s", pw->pw_name);
	else
		snprintf(buf, sizeof(buf), "%u", (unsigned)uid);
	if (n < NSF_ARRAY_SIZE(cache)) {
		cache[n].uid = uid;
		cache[n++].name = xstrdup(buf);
	}
	return xstrdup(buf);
}

/* Command, parent and user of one process, read once and only when shown. */
void
src_proc_details(struct nsf_graph *g, struct nsf_proc *p,
    const struct nsf_scanopts *o)
{
	char path[64], buf[1024];
	struct stat st;
	int dirfd;

	(void)g;
	if (p->detailed)
		return;
	p->detailed = true;
	snprintf(path, sizeof(path), "%s/%d", o->proc, (int)p->pid);
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	/* /proc/PID belongs to the process's effective uid. */
	if (fstat(dirfd, &st) == 0)
		p->uid = st.st_uid;
	p->user = user_name(p->uid);
	if (nsf_read_at(dirfd, "stat", buf, sizeof(buf)) > 0)
		parse_stat(p, buf);
	if (!p->kthread)
		read_cmdline(p, dirfd);
	close(dirfd);
}
