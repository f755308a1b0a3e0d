/*
 * watch_wake.c - between two scans of --watch, sleep until the next full
 * rescan is due or until the kernel says, cheaply, that something changed:
 *
 *   - a pidfd of a namespace's representative process turns readable when
 *     that process exits (the last member leaving is what hides or frees
 *     a namespace).  At most NSF_WAKE_PIDFDS of them, the namespaces with
 *     the fewest processes first: fds stay bounded on any host.
 *   - fanotify mount events (6.15+: FAN_MARK_MNTNS, FAN_MNT_ATTACH and
 *     FAN_MNT_DETACH) on every mount namespace with a process: a bind
 *     mount made or removed hides or frees a namespace.  A mark holds no
 *     reference: the kernel drops it with the mount namespace.
 *   - where fanotify cannot (older kernels, no CAP_SYS_ADMIN), POLLPRI on
 *     /proc/PID/mountinfo of at most NSF_WAKE_MOUNTINFO mount namespaces.
 *     An open mountinfo keeps its mount namespace alive, so it is opened
 *     only for a process nsfind also holds a pidfd for: when that process
 *     exits, nsfind wakes and closes it before the next scan.
 *   - SIGINT and SIGTERM end the watch: between scans they are blocked
 *     and read from a signalfd, so the watch ends through its normal
 *     path; during a scan (which on a loaded host with many namespaces
 *     can take a while) they are unblocked and their handler ends the
 *     process at once with status 0.  A scan writes nothing, and output
 *     is flushed after each batch of events, so no half line is lost.
 *     The reader of a pipe on stdout going away (POLLERR on the write
 *     end) ends it too.
 *
 * Everything armed after one scan is closed before the next one, so a
 * scan never sees nsfind's own fds, and nothing stays open that could
 * keep a namespace alive or a mount busy.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "util.h"
#include "watch.h"

/* Debian 12's 6.1 headers predate mount events (6.15). */
#ifndef FAN_REPORT_MNT
#define FAN_REPORT_MNT		0x00004000
#endif
#ifndef FAN_MARK_MNTNS
#define FAN_MARK_MNTNS		0x00000110
#endif
#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH		0x01000000
#endif
#ifndef FAN_MNT_DETACH
#define FAN_MNT_DETACH		0x02000000
#endif

#define NSF_WAKE_PIDFDS		256
#define NSF_WAKE_MOUNTINFO	64
#define NSF_WAKE_MARKS		4096

enum { FD_SIG, FD_OUT, FD_FAN, NFIXED };

struct nsf_wake {
	struct pollfd	 pfd[NFIXED + NSF_WAKE_PIDFDS + NSF_WAKE_MOUNTINFO];
	size_t		 npfd;
	sigset_t	 stop;		/* the signals that end the watch */
	uint64_t	*marked;	/* mount ns marked with fanotify, sorted */
	size_t		 nmarked, marked_cap;
	bool		 marks_full;
};

static void
fixed(struct nsf_wake *w, int slot, int fd, short events)
{
	w->pfd[slot].fd = fd;
	w->pfd[slot].events = events;
	w->pfd[slot].revents = 0;
}

/* fanotify mount events when the kernel has them; -1 when not. */
static int
fan_open(void)
{
	if (getenv("NSFIND_NO_FANOTIFY") != NULL)	/* tests the fallback */
		return -1;
	return fanotify_init(FAN_REPORT_MNT | FAN_CLOEXEC | FAN_NONBLOCK, 0);
}

/* A signal during a scan: nothing is half written, end here. */
static void
stop_now(int sig)
{
	(void)sig;
	_exit(0);
}

struct nsf_wake *
wake_new(void)
{
	struct nsf_wake *w = xcalloc(1, sizeof(*w));
	struct sigaction sa, old;
	struct stat st;
	int sfd;

	/* A write to a closed pipe fails with EPIPE and ends the watch cleanly. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stop_now;
	sigfillset(&sa.sa_mask);
	sigemptyset(&w->stop);
	/* Started with SIGINT ignored (a background job): keep it so. */
	if (sigaction(SIGINT, NULL, &old) != 0 || old.sa_handler != SIG_IGN) {
		sigaddset(&w->stop, SIGINT);
		sigaction(SIGINT, &sa, NULL);
	}
	sigaddset(&w->stop, SIGTERM);
	sigaction(SIGTERM, &sa, NULL);
	if (sigprocmask(SIG_BLOCK, &w->stop, NULL) != 0 ||
	    (sfd = signalfd(-1, &w->stop, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		nsf_die("cannot watch for signals: %s", strerror(errno));
	fixed(w, FD_SIG, sfd, POLLIN);
	/* Events 0: poll reports POLLERR once nobody reads the pipe. */
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
		fixed(w, FD_OUT, STDOUT_FILENO, 0);
	else
		fixed(w, FD_OUT, -1, 0);
	fixed(w, FD_FAN, fan_open(), POLLIN);
	w->npfd = NFIXED;
	return w;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
ns_key(const struct nsf_ns *ns)
{
	return ns->id ? ns->id : ns->ino;
}

/* An fd on the namespace of pid's entry, checked to be ns (pids are reused). */
static int
open_ns_of(pid_t pid, const struct nsf_ns *ns)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid,
	    nsf_type_name(ns->type));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_ino != ns->ino || st.st_dev != ns->dev) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Mark every mount namespace of g that has a process, once: marks stay in
 * the kernel until their namespace goes, so only new ones are marked.
 */
static void
arm_marks(struct nsf_wake *w, struct nsf_graph *g)
{
	uint64_t *keep = NULL, key;
	size_t nkeep = 0, cap = 0, i;
	struct nsf_ns *ns;
	int fd;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->type != NSF_MNT || ns->unresolved)
			continue;
		key = ns_key(ns);
		if (w->nmarked == 0 ||
		    !bsearch(&key, w->marked, w->nmarked, sizeof(key), cmp_u64)) {
			if (ns->proc == NULL || w->marks_full ||
			    (fd = open_ns_of(ns->proc->pid, ns)) < 0)
				continue;
			if (fanotify_mark(w->pfd[FD_FAN].fd, FAN_MARK_ADD |
			    FAN_MARK_MNTNS, FAN_MNT_ATTACH | FAN_MNT_DETACH,
			    fd, NULL) != 0) {
				/* EINVAL: a kernel before 6.15 after all. */
				if (errno == EINVAL) {
					close(w->pfd[FD_FAN].fd);
					w->pfd[FD_FAN].fd = -1;
					close(fd);
					break;
				}
				w->marks_full = errno == ENOSPC;
				close(fd);
				continue;
			}
			close(fd);
		}
		if (nkeep >= NSF_WAKE_MARKS)
			break;
		nsf_grow(&keep, &cap, nkeep, sizeof(*keep));
		keep[nkeep++] = key;
	}
	free(w->marked);
	w->marked = keep;
	w->nmarked = nkeep;
	w->marked_cap = cap;
	if (nkeep)
		qsort(w->marked, nkeep, sizeof(*keep), cmp_u64);
}

static int
cmp_nprocs(const void *a, const void *b)
{
	const struct nsf_ns *x = *(struct nsf_ns * const *)a;
	const struct nsf_ns *y = *(struct nsf_ns * const *)b;

	/* Mount namespaces first: the fallback polls their mountinfo. */
	if ((x->type == NSF_MNT) != (y->type == NSF_MNT))
		return x->type == NSF_MNT ? -1 : 1;
	return x->nprocs - y->nprocs;
}

static bool
have_pid(const pid_t *pids, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

static void
add_fd(struct nsf_wake *w, int fd, short events)
{
	w->pfd[w->npfd].fd = fd;
	w->pfd[w->npfd].events = events;
	w->pfd[w->npfd].revents = 0;
	w->npfd++;
}

/*
 * Arm the wake-ups for what scan g found; rel says which namespaces the
 * user watches.  Returns how many representatives exited already: the
 * caller rescans soon.
 */
/* Between scans: a stop signal waits in the signalfd. */
void
wake_block(struct nsf_wake *w)
{
	sigprocmask(SIG_BLOCK, &w->stop, NULL);
}

/* During a scan: a stop signal (one pending included) ends the process. */
void
wake_unblock(struct nsf_wake *w)
{
	sigprocmask(SIG_UNBLOCK, &w->stop, NULL);
}

int
wake_arm(struct nsf_wake *w, struct nsf_graph *g, const bool *rel)
{
	pid_t pids[NSF_WAKE_PIDFDS];
	struct nsf_ns **cand, *ns;
	size_t n = 0, np = 0, nmi = 0, i;
	bool fallback;
	char path[64];
	pid_t self = getpid();
	int fd, gone = 0;

	if (w->pfd[FD_FAN].fd >= 0)
		arm_marks(w, g);
	fallback = w->pfd[FD_FAN].fd < 0;
	cand = xcalloc(g->nns + 1, sizeof(*cand));
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->proc == NULL || ns->initial || ns->proc->pid == self)
			continue;
		if (rel[i] || (fallback && ns->type == NSF_MNT))
			cand[n++] = ns;
	}
	qsort(cand, n, sizeof(*cand), cmp_nprocs);
	for (i = 0; i < n && np < NSF_WAKE_PIDFDS; i++) {
		ns = cand[i];
		if (have_pid(pids, np, ns->proc->pid))
			continue;
		if ((fd = syscall(SYS_pidfd_open, ns->proc->pid, 0)) < 0) {
			if (errno == ESRCH)
				gone++;
			continue;
		}
		pids[np++] = ns->proc->pid;
		add_fd(w, fd, POLLIN);
		if (!fallback || ns->type != NSF_MNT || nmi >= NSF_WAKE_MOUNTINFO)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)ns->proc->pid);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			add_fd(w, fd, POLLPRI);
			nmi++;
		}
	}
	free(cand);
	return gone;
}

/* Read what woke us, so that the next poll sleeps again. */
static void
drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * Sleep up to ms milliseconds.  An fd that fired is left out of later
 * polls until wake_disarm: a pidfd stays readable, a mountinfo stays
 * signalled until it is read again.
 */
enum nsf_wakeup
wake_wait(struct nsf_wake *w, int ms)
{
	enum nsf_wakeup r = NSF_WAKE_TIMEOUT;
	size_t i;
	int n;

	n = poll(w->pfd, w->npfd, ms < 0 ? 0 : ms);
	if (n < 0)
		return errno == EINTR ? NSF_WAKE_TIMEOUT : NSF_WAKE_STOP;
	if (n == 0)
		return NSF_WAKE_TIMEOUT;
	if (w->pfd[FD_SIG].revents) {
		/* Consumed: unblocked at the end, it must not kill us then. */
		drain(w->pfd[FD_SIG].fd);
		return NSF_WAKE_STOP;
	}
	if (w->pfd[FD_OUT].revents)
		return NSF_WAKE_STOP;
	if (w->pfd[FD_FAN].revents) {
		drain(w->pfd[FD_FAN].fd);
		r = NSF_WAKE_EARLY;
	}
	for (i = NFIXED; i < w->npfd; i++) {
		if (w->pfd[i].fd >= 0 && w->pfd[i].revents) {
			w->pfd[i].fd = -w->pfd[i].fd - 1;	/* poll skips it */
			r = NSF_WAKE_EARLY;
		}
	}
	return r;
}

void
wake_disarm(struct nsf_wake *w)
{
	size_t i;
	int fd;

	for (i = NFIXED; i < w->npfd; i++) {
		fd = w->pfd[i].fd;
		close(fd < 0 ? -fd - 1 : fd);
	}
	w->npfd = NFIXED;
}

void
wake_free(struct nsf_wake *w)
{
	if (w == NULL)
		return;
	wake_disarm(w);
	close(w->pfd[FD_SIG].fd);
	if (w->pfd[FD_FAN].fd >= 0)
		close(w->pfd[FD_FAN].fd);
	/* SIGINT and SIGTERM stay blocked: nsfind exits next, cleanly. */
	free(w->marked);
	free(w);
}
