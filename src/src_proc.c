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
#include <unistd.h>

#include "mounts.h"
#include "nsfd.h"
#include "proc_gather.h"
#include "procparse.h"
#include "sources.h"
#include "util.h"


struct scan {
	struct nsf_graph	*g;
	int			 errors;	/* processes a limit kept us from */
	const struct nsf_scanopts *o;
	struct nsf_fdscan	*fds;
	/* The last namespace seen per entry: most tasks share it. */
	struct nsf_ns		*last[NSF_NENTRIES];
	int			 denied;
	pid_t			 denied_pid[4];
};

/*
 * The namespace an entry record names.  The worker opened it if it was
 * the first to see it; that fd goes to the graph, or is closed when the
 * graph knew the namespace already.
 */
static struct nsf_ns *
resolve(struct scan *s, int e, struct nsf_erec *r)
{
	struct nsf_ns *ns = s->last[e];
	struct nsf_probe p = { r->id, r->has_creator, r->creator };

	if (r->fd >= 0)			/* nsf_ns_from_fd adopts or closes it */
		ns = nsf_ns_from_fd(s->g, r->fd, nsf_entry_type(e));
	else if (ns == NULL || ns->ino != r->ino || ns->dev != r->dev)
		ns = graph_find(s->g, r->dev, r->ino);
	/* Not seen before, or the worker probed and let go of it. */
	if (ns == NULL)
		ns = graph_add(s->g, nsf_entry_type(e), r->dev, r->ino, NULL);
	nsf_ns_set_probe(ns, &p);
	if (r->up)
		nsf_ns_set_hprobe(s->g, ns, r->up);
	r->fd = -1;
	return s->last[e] = ns;
}

static void
resolve_task(struct scan *s, struct nsf_trec *t, struct nsf_ns **ns)
{
	int e;

	for (e = 0; e < NSF_NENTRIES; e++)
		ns[e] = t->e[e].err == 0 && t->read ? resolve(s, e, &t->e[e]) : NULL;
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
 * A zombie is in no namespace any more but still pins its pid and user
 * namespaces, until its parent reaps it: that is a holder of its own.
 */
static void
zombie(struct nsf_proc *p, const struct nsf_prec *r)
{
	struct nsf_ns *ns;
	int e;

	p->zombie = true;
	p->ppid = r->ppid;
	for (e = 0; e < NSF_NENTRIES; e++) {
		if ((ns = p->ns[e]) == NULL)
			continue;
		if (ns->nzombies++ == 0 || p->pid < ns->zombie_pid)
			ns->zombie_pid = p->pid;
	}
}

static void
note_denied(struct scan *s, pid_t pid)
{
	if (s->denied < (int)NSF_ARRAY_SIZE(s->denied_pid))
		s->denied_pid[s->denied] = pid;
	s->denied++;
}

/* One process's records into the graph. */
static void
merge(struct scan *s, struct nsf_prec *r)
{
	struct nsf_ns *ns[NSF_NENTRIES];
	struct nsf_proc *p;
	size_t t, f;

	if (r->state == NSF_PR_DENIED)
		note_denied(s, r->pid);
	if (r->state == NSF_PR_ERROR) {
		graph_note_item(s->g, "could not read %d process%s", r->err,
		    "%d", (int)r->pid);
		s->g->incomplete++;
	}
	if (r->state != NSF_PR_OK)
		return;
	p = graph_add_proc(s->g, r->pid);
	resolve_task(s, &r->t[0], p->ns);
	/* The worker read this mount namespace's table: keep it for src_mounts. */
	if (r->mnt_read && p->ns[NSF_E_MNT] && !p->ns[NSF_E_MNT]->pre_read) {
		p->ns[NSF_E_MNT]->pre_read = true;
		p->ns[NSF_E_MNT]->pre_m = r->mnt;
		p->ns[NSF_E_MNT]->pre_n = r->nmnt;
		p->ns[NSF_E_MNT]->pre_pid = r->pid;
		r->mnt = NULL;
		r->nmnt = 0;
	}
	if (r->zombie) {
		zombie(p, r);
		return;
	}
	count_task(p, r->pid, p->ns, p->ns, true);
	for (t = 1; t < r->nt; t++) {
		resolve_task(s, &r->t[t], ns);
		count_task(p, r->t[t].tid, ns, p->ns, false);
		if (memcmp(ns, p->ns, sizeof(ns)) != 0)
			add_thread(p, r->t[t].tid, ns);
	}
	if (s->fds == NULL)
		return;
	if (r->fd_denied)
		src_fds_denied(s->fds, r->pid);
	for (f = 0; f < r->nf; f++)
		src_fds_take(s->fds, p, &r->f[f]);
}

/*
 * Why the kernel refused: inside a user namespace of its own (unshare -Ur)
 * nsfind is root only there, and everything outside is out of reach; root
 * of the initial one is refused only what holds capabilities it lacks.
 */
static const char *
denied_why(struct scan *s)
{
	struct nsf_ns *self = NULL;
	size_t i;

	for (i = 0; i < s->g->nns && self == NULL; i++)
		if (s->g->ns[i]->self && s->g->ns[i]->type == NSF_USER)
			self = s->g->ns[i];
	if (self && !self->initial)
		return " (they are outside nsfind's user namespace)";
	if (geteuid() == 0)
		return " (it holds capabilities that nsfind lacks)";
	return " (run as root to see them)";
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
	    s->denied, s->denied == 1 ? "" : "es", sb_str(&sb), denied_why(s));
	sb_free(&sb);
}

/*
 * The nsfs bind mounts of our own mount namespace, for the workers to
 * recognise fds opened through them.  Read from the mount table only.
 */
static void
own_mount_paths(struct nsf_gather_opts *go, struct nsf_nsmount **m, size_t *n)
{
	size_t i;
	int fd;

	*m = NULL;
	*n = 0;
	if ((fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (nsf_mountinfo_nsfs_fd(fd, m, n) == 0 && *n > 0) {
		go->nsfs_paths = xcalloc(*n, sizeof(char *));
		for (i = 0; i < *n; i++)
			go->nsfs_paths[i] = (*m)[i].path;
		go->nnsfs_paths = *n;
		nsf_gather_sort_paths(go);
	}
	close(fd);
}

int
src_proc_scan(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct nsf_gather_opts go;
	struct nsf_nsmount *m;
	size_t nm;
	struct nsf_prec *recs;
	struct scan s;
	size_t n, i;
	int r;

	memset(&go, 0, sizeof(go));
	go.proc = o->proc;
	go.threads = o->threads;
	go.fds = o->fds;
	go.self = getpid();
	go.nsfs_dev = g->nsfs_dev;
	go.keep_fds = !g->handles;
	own_mount_paths(&go, &m, &nm);
	go.mounts = true;
	go.fd_budget = g->fd_budget;
	if ((r = nsf_gather(&go, &recs, &n)) < 0) {
		nsf_nsmounts_free(m, nm);
		free(go.nsfs_paths);
		return r;
	}
	memset(&s, 0, sizeof(s));
	s.g = g;
	s.o = o;
	if (o->fds)
		s.fds = src_fds_new(g, o);
	for (i = 0; i < n; i++)
		merge(&s, &recs[i]);
	if (s.fds)
		src_fds_done(s.fds);
	nsf_gather_free(recs, n);
	nsf_nsmounts_free(m, nm);
	free(go.nsfs_paths);
	report_denied(&s);
	return 0;
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
		nsf_parse_stat(buf, &p->comm, &p->ppid, &p->kthread);
	if (!p->kthread)
		read_cmdline(p, dirfd);
	close(dirfd);
}
