/*
 * populate - builds the synthetic namespace population make bench times
 * nsfind over.
 *
 * usage: populate [-p procs] [-t threads] [-n namespaces] [-f fds] [-m mounts]
 *		   [-s sandboxes] [-S mounts per sandbox]
 *
 * It adds exactly procs processes (itself included) and threads extra
 * threads, and puts tasks in about namespaces new namespaces of every
 * type.  Most are made by "leader" processes that unshare and then fork
 * a few "members", so that several processes share each namespace; one
 * leader in nine is a container that unshares every type at once.  A few
 * namespaces are made by single threads (uts, ipc, net and cgroup are
 * the types a thread can unshare alone).  Processes are forked from this
 * one small program and sleep in pause(); threads have the smallest
 * stacks pthreads allows.
 *
 * Then it hides namespaces from a process scan, as real systems do:
 * fds processes hold open on namespaces (some of them made, held and left
 * so that no task is in them) and nsfs bind mounts, made in a mount
 * namespace of populate's own and never in the host's.  -f 0 -m 0 leaves
 * that out.
 *
 * -s adds sandboxes, as a busy container host runs them: each has its own
 * mnt, net, uts, ipc, pid and cgroup namespaces, a shell as its pid 1 that
 * starts two sleeps, and -S (20) tmpfs mounts in its mount namespace.
 * These are real programs (/bin/sh, sleep), exec'ed, so that their
 * command lines, maps and fd tables look like a container's.  -p 0 leaves
 * out everything but the sandboxes.
 *
 * It prints one "populate key=value ..." line, then "ready", and waits
 * for stdin to close or for SIGTERM (or SIGINT or SIGHUP, unless it was
 * started with them ignored).  Then it kills the process group every
 * child is in, reaps them all (it is their subreaper) and unmounts what
 * it mounted.  If populate is killed outright, every
 * child dies with its parent (PR_SET_PDEATHSIG) and the private mount
 * namespace, with its bind mounts, goes with populate.
 */
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif

#define THREADS_PER_HOST	50
#define MEMBERS			4	/* processes forked per leader */
#define HIDDEN_FD_SHARE		7	/* one fd in 7 holds a hidden ns */
#define BIND_DIR		"/tmp"	/* a tmpfs here, in our own mnt ns */
#define BUILD_TIMEOUT_MS	120000
#define SANDBOX_TYPES		(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
				 CLONE_NEWNET | CLONE_NEWCGROUP)
#define SANDBOX_SHELL		"sleep infinity 3>&- & sleep infinity 3>&- & " \
				"printf k >&3; exec 3>&-; wait"

struct kind {
	const char	*file;	/* the /proc/PID/ns entry that shows it */
	int		 flags;
};

#define ALL_TYPES	(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWUTS | \
			 CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | \
			 CLONE_NEWCGROUP | CLONE_NEWTIME)

/* What leaders make, in turn.  pid and time only apply to children. */
static const struct kind leader_kinds[] = {
	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET },
	{ "mnt", CLONE_NEWNS },
	{ "user", CLONE_NEWUSER },
	{ "pid_for_children", CLONE_NEWPID },
	{ "cgroup", CLONE_NEWCGROUP },
	{ "time_for_children", CLONE_NEWTIME },
	{ "net", ALL_TYPES },
};

/*
 * The types a task can unshare and setns back from without leaving its
 * user namespace or needing to be alone in its process.
 */
static const struct kind light_kinds[] = {
	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },
	{ "net", CLONE_NEWNET },
	{ "cgroup", CLONE_NEWCGROUP },
};

/* What the bind mounts pin: every type. */
static const struct kind bind_kinds[] = {
	{ "net", CLONE_NEWNET },
	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },
	{ "cgroup", CLONE_NEWCGROUP },
	{ "user", CLONE_NEWUSER },
	{ "mnt", CLONE_NEWNS },
	{ "pid_for_children", CLONE_NEWPID },
	{ "time_for_children", CLONE_NEWTIME },
};

#define NELEM(a)	((long)(sizeof(a) / sizeof((a)[0])))

/* How many of each; see plan(). */
static long	 procs = 5000, threads = 2000, nsgoal = 300;
static long	 nfds = 200, nmounts = 50;
static long	 nsandboxes, sandbox_mounts = 20;
static long	 nleaders, nhosts, thread_ns, nhidden_fd, nplain, ns_made;
static unsigned char *leader_kind;
static pid_t	*leader_pid;

static pid_t	 self;		/* populate itself */
static pid_t	 group;		/* the process group of every child */
static int	 ready[2];	/* each task writes 'k' (built) or 'x' */
static int	 release[2] = { -1, -1 };	/* closed: bind helpers exit */
static int	 go[2] = { -1, -1 };	/* a byte each: sandboxes exec */
static int	 sigfd = -1;
static long	 nbound;	/* bind mounts made */
static int	 tmpfs_mounted;

static void	 teardown(void);

/*
 * Says what went wrong.  In a child that is all: populate learns of it
 * through the ready pipe and tears everything down.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	fprintf(stderr, "populate: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	if (getpid() != self) {
		(void)write(ready[1], "x", 1);
		_exit(1);
	}
	teardown();
	exit(1);
}

static void __attribute__((noreturn))
idle(void)
{
	for (;;)
		pause();
}

static void
tell_ready_fd(int fd)
{
	if (write(fd, "k", 1) != 1)
		_exit(1);
}

static void
tell_ready(void)
{
	tell_ready_fd(ready[1]);
}

/*
 * What every child does first: die with its parent, so nothing outlives
 * populate, and keep no fd but stderr and the ready pipe.  A child in a
 * new pid namespace cannot see a parent outside it: getppid() says 0.
 */
static void
child_init(pid_t parent)
{
	sigset_t	 none;
	pid_t		 pp;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		_exit(1);
	pp = getppid();
	if (pp != parent && pp != 0)
		_exit(1);
	(void)setpgid(0, group);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close(0);
	close(1);
	close(ready[0]);
	if (sigfd != -1)
		close(sigfd);
}

/*
 * Forks a child that runs body(arg).  The first child populate forks
 * starts the process group; every later one joins it (both sides call
 * setpgid, so that no kill can come between fork and join).
 */
static pid_t
spawn(void (*body)(long), long arg)
{
	pid_t	 parent = getpid(), pid;

	if ((pid = fork()) == -1)
		fail("fork");
	if (pid == 0) {
		child_init(parent);
		body(arg);
		_exit(0);
	}
	if (group == 0)
		group = pid;
	(void)setpgid(pid, group);
	return pid;
}

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 |
			    (s[3] - '0');
			s += 3;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

/*
 * A mount namespace starts as a copy of its parent's mounts, nsfs bind
 * mounts included, and a copy keeps the namespace it pins alive as long
 * as the copy lives.  Other people's tests bind namespaces in the host
 * meanwhile and expect them gone once they unmount, so every mount
 * namespace made here drops its copies, after going private so that no
 * unmount propagates back.
 */
static void
drop_copied_nsfs(void)
{
	char	**mp = NULL, *line = NULL, *f, *save;
	size_t	  cap = 0, n = 0, i;
	FILE	 *fp;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		fail("make / private");
	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		fail("open mountinfo");
	while (getline(&line, &cap, fp) != -1) {
		if (strstr(line, " - nsfs ") == NULL)
			continue;
		/* id, parent, dev, root, then the mount point */
		f = strtok_r(line, " ", &save);
		for (i = 0; i < 4 && f != NULL; i++)
			f = strtok_r(NULL, " ", &save);
		if (f == NULL)
			continue;
		unescape(f);
		if ((mp = reallocarray(mp, n + 1, sizeof(*mp))) == NULL ||
		    (mp[n++] = strdup(f)) == NULL)
			fail("copy mountinfo");
	}
	fclose(fp);
	free(line);
	while (n-- > 0) {
		(void)umount2(mp[n], MNT_DETACH);
		free(mp[n]);
	}
	free(mp);
}

/*
 * unshare(2), but a new mount namespace comes without copied nsfs mounts.
 * It is made and cleaned alone first: mounts copied into a new user
 * namespace are locked there and can no longer be unmounted one by one,
 * so a container's mount namespace must copy one already clean.
 */
static void
unshare_clean(int flags, const char *what)
{
	if (flags & CLONE_NEWNS) {
		if (unshare(CLONE_NEWNS) == -1)
			fail("unshare mnt for %s", what);
		drop_copied_nsfs();
		if (!(flags & CLONE_NEWUSER))
			flags &= ~CLONE_NEWNS;
	}
	if (flags != 0 && unshare(flags) == -1)
		fail("unshare %s", what);
}

static void
sleeper(long arg)
{
	(void)arg;
	idle();
}

static void
plain(long arg)
{
	(void)arg;
	tell_ready();
	idle();
}

/* Unshares one kind and forks members, who share what it made. */
static void
leader(long k)
{
	const struct kind	*kd = &leader_kinds[k];
	int			 i;

	unshare_clean(kd->flags, kd->file);
	for (i = 0; i < MEMBERS; i++)
		spawn(plain, 0);
	tell_ready();
	idle();
}

static void *
thread_main(void *arg)
{
	long	 k = (long)arg;

	if (k >= 0 && unshare(light_kinds[k].flags) == -1)
		fail("thread unshare %s", light_kinds[k].file);
	tell_ready();
	idle();
}

/*
 * Host number h runs its share of the threads.  Thread j of host h is
 * thread number j * nhosts + h overall; the first thread_ns of those make
 * a namespace only they are in.
 */
static void
thread_host(long h)
{
	pthread_attr_t	 attr;
	pthread_t	 tid;
	long		 j, n, t;
	int		 e;

	n = threads / nhosts + (h < threads % nhosts);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (j = 0; j < n; j++) {
		t = j * nhosts + h;
		e = pthread_create(&tid, &attr, thread_main,
		    (void *)(t < thread_ns ? t % NELEM(light_kinds) : -1L));
		if (e != 0) {
			errno = e;
			fail("pthread_create");
		}
	}
	tell_ready();
	idle();
}

/* Makes a namespace of kind kd, opens it and goes back: the fd holds it. */
static void
hold_hidden(const struct kind *kd)
{
	char	 path[64];
	int	 back;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", kd->file);
	if ((back = open(path, O_RDONLY)) == -1)
		fail("open %s", path);
	if (unshare(kd->flags) == -1)
		fail("holder unshare %s", kd->file);
	if (open(path, O_RDONLY) == -1)
		fail("open %s", path);
	if (setns(back, kd->flags) == -1)
		fail("setns back to %s", kd->file);
	close(back);
}

/* Holder i keeps one nsfs fd open; the first nhidden_fd hide their ns. */
static void
holder(long i)
{
	const struct kind	*kd;
	char			 path[64];
	long			 l;

	if (i < nhidden_fd)
		hold_hidden(&light_kinds[i % NELEM(light_kinds)]);
	else {
		l = i % nleaders;
		kd = &leader_kinds[leader_kind[l]];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s",
		    (int)leader_pid[l], kd->file);
		if (open(path, O_RDONLY) == -1)
			fail("open %s", path);
	}
	tell_ready();
	idle();
}

/*
 * Makes one namespace for populate to bind mount, and waits to go.  A pid
 * namespace shows in pid_for_children only once it has an init, so the
 * helper forks one, and ends it before it goes itself.
 */
static void
bind_helper(long i)
{
	const struct kind	*kd = &bind_kinds[i % NELEM(bind_kinds)];
	pid_t			 init = -1;
	char			 c;

	close(release[1]);
	unshare_clean(kd->flags, kd->file);
	if (kd->flags == CLONE_NEWPID)
		init = spawn(sleeper, 0);
	tell_ready();
	while (read(release[0], &c, 1) == -1 && errno == EINTR)
		;
	if (init > 0) {
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
	}
	_exit(0);
}

/*
 * Mounts the sandbox's tmpfs: one on /tmp, the rest on directories made
 * in it.  The mount namespace is private by now (unshare_clean), so none
 * of this propagates to the host, and it all goes with the namespace.
 */
static void
sandbox_mounts_make(void)
{
	char	 dir[64];
	long	 i;

	if (sandbox_mounts == 0)
		return;
	if (mount("nsfind-bench", "/tmp", "tmpfs", 0, "size=64k,mode=0700")
	    == -1)
		fail("sandbox: mount tmpfs on /tmp");
	for (i = 1; i < sandbox_mounts; i++) {
		snprintf(dir, sizeof(dir), "/tmp/m%ld", i);
		if (mkdir(dir, 0700) == -1)
			fail("sandbox: mkdir %s", dir);
		if (mount("nsfind-bench", dir, "tmpfs", 0,
		    "size=16k,mode=0700") == -1)
			fail("sandbox: mount tmpfs on %s", dir);
	}
}

/*
 * Pid 1 of a sandbox (populate made its pid namespace): it unshares the
 * rest, mounts, says it is built, and waits for populate to have put it
 * in the process group before it execs the shell (setpgid no longer
 * works on a child that has exec'ed).  The shell tells populate through
 * fd 3 once it has started both sleeps.  PR_SET_PDEATHSIG survives the
 * exec; when pid 1 dies the kernel kills the rest of its pid namespace.
 */
static void
sandbox(long i)
{
	char	 c;
	int	 fd;

	(void)i;
	close(go[1]);
	unshare_clean(SANDBOX_TYPES, "sandbox");
	sandbox_mounts_make();
	if ((fd = open("/dev/null", O_RDWR)) == -1 || dup2(fd, 0) == -1 ||
	    dup2(fd, 1) == -1 || dup2(ready[1], 3) == -1)
		fail("sandbox: fds");
	if (fd > 3)
		close(fd);
	if (ready[1] != 3)
		close(ready[1]);
	tell_ready_fd(3);
	while (read(go[0], &c, 1) == -1 && errno == EINTR)
		;
	close(go[0]);
	execl("/bin/sh", "sh", "-c", SANDBOX_SHELL, (char *)NULL);
	ready[1] = 3;
	fail("exec /bin/sh");
}

/* Gives up when a stop signal came during the build. */
static void
check_signals(void)
{
	struct pollfd	 p = { .fd = sigfd, .events = POLLIN };

	if (poll(&p, 1, 0) == 1) {
		errno = EINTR;
		fail("building");
	}
}

/* Waits for n tasks to say they are built; any failure ends it all. */
static void
await(long n)
{
	struct pollfd	 p[2] = {
		{ .fd = ready[0], .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	char		 buf[4096];
	ssize_t		 got, i;

	while (n > 0) {
		if (poll(p, 2, BUILD_TIMEOUT_MS) == 0) {
			errno = ETIMEDOUT;
			fail("waiting for %ld tasks", n);
		}
		check_signals();
		got = read(ready[0], buf, n < (long)sizeof(buf) ?
		    (size_t)n : sizeof(buf));
		if (got <= 0)
			fail("read ready pipe");
		for (i = 0; i < got; i++) {
			if (buf[i] != 'k') {
				errno = ECHILD;
				fail("a child could not build its part");
			}
		}
		n -= got;
	}
}

static int
types_in(int flags)
{
	return __builtin_popcount(flags);
}

/* Shares out procs, threads and namespaces between the kinds of task. */
static void
plan(void)
{
	long	 k, made;
	int	 n;

	nhosts = (threads + THREADS_PER_HOST - 1) / THREADS_PER_HOST;
	thread_ns = threads > 0 ? nsgoal / 15 : 0;
	if (thread_ns > threads)
		thread_ns = threads;
	if ((leader_kind = calloc(nsgoal + 1, 1)) == NULL ||
	    (leader_pid = calloc(nsgoal + 1, sizeof(pid_t))) == NULL)
		fail("calloc");
	made = thread_ns;
	for (k = 0; made < nsgoal; k++) {
		n = types_in(leader_kinds[k % NELEM(leader_kinds)].flags);
		if (made + n > nsgoal)
			continue;	/* a container would overshoot */
		leader_kind[nleaders++] = k % NELEM(leader_kinds);
		made += n;
	}
	ns_made = made;
	if (nleaders == 0)
		nfds = 0;
	nhidden_fd = nfds / HIDDEN_FD_SHARE;
	if (nleaders == 0)
		nhidden_fd = nfds;
	/* populate itself is one of procs. */
	nplain = procs - 1 - nleaders * (1 + MEMBERS) - nhosts - nfds;
	if (nplain < 1) {
		errno = EINVAL;
		fail("-p %ld is too few for %ld leaders with %d members, "
		    "%ld thread hosts and %ld fd holders", procs, nleaders,
		    MEMBERS, nhosts, nfds);
	}
}

/*
 * Each sandbox's pid 1 is forked into a pid namespace of its own:
 * populate unshares one, forks, and goes back to its own for the next.
 */
static void
build_sandboxes(void)
{
	char	*bytes;
	long	 i;
	int	 back;

	if (nsandboxes == 0)
		return;
	if ((back = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)) == -1)
		fail("open /proc/self/ns/pid");
	if (pipe(go) == -1)
		fail("pipe");
	for (i = 0; i < nsandboxes; i++) {
		if (unshare(CLONE_NEWPID) == -1)
			fail("unshare pid for sandbox %ld", i);
		spawn(sandbox, i);
		if (setns(back, CLONE_NEWPID) == -1)
			fail("setns back to our pid namespace");
		if (i % 64 == 0)
			check_signals();
	}
	close(back);
	close(go[0]);
	go[0] = -1;
	/* Built and in the group: let them exec, then wait for the shells. */
	await(nsandboxes);
	if ((bytes = calloc(nsandboxes, 1)) == NULL)
		fail("calloc");
	if (write(go[1], bytes, nsandboxes) != nsandboxes)
		fail("write go pipe");
	free(bytes);
	close(go[1]);
	go[1] = -1;
	await(nsandboxes);
}

/* Processes and threads: everything a scan of /proc/PID/task finds. */
static void
build_tasks(void)
{
	long	 i;

	spawn(plain, 0);	/* the first: it starts the group */
	for (i = 0; i < nleaders; i++) {
		leader_pid[i] = spawn(leader, leader_kind[i]);
		if (i % 64 == 0)
			check_signals();
	}
	for (i = 0; i < nhosts; i++)
		spawn(thread_host, i);
	for (i = 1; i < nplain; i++) {
		spawn(plain, 0);
		if (i % 256 == 0)
			check_signals();
	}
	await(nplain + nleaders * (1 + MEMBERS) + nhosts + threads);
}

/* Holders open leaders' namespaces, so they come after the leaders. */
static void
build_holders(void)
{
	long	 i;

	for (i = 0; i < nfds; i++)
		spawn(holder, i);
	await(nfds);
}

/*
 * nsfs bind mounts, in a mount namespace of our own made private first,
 * so that nothing propagates to the host.  Each helper makes a namespace,
 * populate pins it with a bind mount, then the helper exits and the mount
 * is the only thing keeping the namespace alive.
 *
 * The kernel binds a mount namespace here only if its id is above ours.
 * Helpers unshare after us, but since 6.18 namespace ids come from per-CPU
 * batches, so a later id is larger only on the same CPU: everything here
 * runs pinned to one CPU until the helpers have made their namespaces.
 */
static void
build_mounts(void)
{
	cpu_set_t	 all, one;
	char		 src[64], dst[64];
	pid_t		*pid;
	long		 i;
	int		 fd;

	if (nmounts == 0)
		return;
	if (sched_getaffinity(0, sizeof(all), &all) == -1)
		fail("sched_getaffinity");
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one) == -1)
		fail("sched_setaffinity");
	unshare_clean(CLONE_NEWNS, "populate");
	if (mount("nsfind-bench", BIND_DIR, "tmpfs", 0, "size=64k,mode=0700")
	    == -1)
		fail("mount tmpfs on %s", BIND_DIR);
	tmpfs_mounted = 1;
	if (pipe(release) == -1 ||
	    (pid = calloc(nmounts, sizeof(*pid))) == NULL)
		fail("bind helpers");
	for (i = 0; i < nmounts; i++)
		pid[i] = spawn(bind_helper, i);
	await(nmounts);
	if (sched_setaffinity(0, sizeof(all), &all) == -1)
		fail("sched_setaffinity");
	for (i = 0; i < nmounts; i++) {
		snprintf(src, sizeof(src), "/proc/%d/ns/%s", (int)pid[i],
		    bind_kinds[i % NELEM(bind_kinds)].file);
		snprintf(dst, sizeof(dst), BIND_DIR "/ns%ld", i);
		if ((fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600))
		    == -1)
			fail("create %s", dst);
		close(fd);
		if (mount(src, dst, NULL, MS_BIND, NULL) == -1)
			fail("bind %s on %s", src, dst);
		nbound++;
	}
	close(release[1]);
	release[1] = -1;
	for (i = 0; i < nmounts; i++)
		while (waitpid(pid[i], NULL, 0) == -1 && errno == EINTR)
			;
	free(pid);
}

/* Blocks until stdin reaches its end or a stop signal comes. */
static void
wait_for_end(void)
{
	struct pollfd	 p[2] = {
		{ .fd = 0, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	char		 buf[512];

	for (;;) {
		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[1].revents)
			return;
		if (p[0].revents && read(0, buf, sizeof(buf)) <= 0)
			return;
	}
}

/*
 * Kills every child at once: they are all in one process group, whose
 * id is the pid of the first.  Orphaned members come to us (subreaper),
 * so when waitpid says there is no child left, nothing is.
 */
static void
teardown(void)
{
	char	 path[64];
	long	 i;

	if (group > 0)
		kill(-group, SIGKILL);
	while (waitpid(-1, NULL, 0) != -1 || errno == EINTR)
		;
	for (i = nbound - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), BIND_DIR "/ns%ld", i);
		if (umount2(path, MNT_DETACH) == -1)
			warn("umount %s", path);
	}
	if (tmpfs_mounted && umount2(BIND_DIR, MNT_DETACH) == -1)
		warn("umount %s", BIND_DIR);
}

static void
add_unless_ignored(sigset_t *set, int sig)
{
	struct sigaction	 sa;

	if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
		sigaddset(set, sig);
}

static long
number(const char *s)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < 0 || v > 1000000)
		errx(2, "bad number: %s", s);
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: populate [-p procs] [-t threads] "
	    "[-n namespaces] [-f fds] [-m mounts] [-s sandboxes] "
	    "[-S mounts per sandbox]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	sigset_t	 stop;
	int		 ch;

	while ((ch = getopt(argc, argv, "f:m:n:p:S:s:t:")) != -1) {
		switch (ch) {
		case 's':
			nsandboxes = number(optarg);
			break;
		case 'S':
			sandbox_mounts = number(optarg);
			break;
		case 'f':
			nfds = number(optarg);
			break;
		case 'm':
			nmounts = number(optarg);
			break;
		case 'n':
			nsgoal = number(optarg);
			break;
		case 'p':
			procs = number(optarg);
			break;
		case 't':
			threads = number(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (procs == 0)		/* sandboxes only */
		threads = nsgoal = nfds = nmounts = 0;
	self = getpid();
	/*
	 * Blocked, they wait in sigfd until a poll looks; children unblock.
	 * SIGINT and SIGHUP stay ignored if they were (a shell's background
	 * job): then Ctrl-C is for our parent to handle, by closing stdin.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	add_unless_ignored(&stop, SIGINT);
	add_unless_ignored(&stop, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) == -1 ||
	    (sigfd = signalfd(-1, &stop, SFD_CLOEXEC)) == -1)
		fail("signalfd");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		fail("subreaper");
	if (pipe(ready) == -1)
		fail("pipe");
	if (procs > 0) {
		plan();
		build_tasks();
		build_holders();
	}
	/* Before our own mount namespace: sandboxes copy the host's. */
	build_sandboxes();
	if (procs > 0)
		build_mounts();
	printf("populate ");
	if (procs > 0)
		printf("processes=%ld threads=%ld namespaces=%ld "
		    "thread_namespaces=%ld leaders=%ld members=%d fds=%ld "
		    "fd_hidden=%ld bind_mounts=%ld ", procs, threads, ns_made,
		    thread_ns, nleaders, MEMBERS, nfds, nhidden_fd, nbound);
	if (nsandboxes > 0)
		printf("sandboxes=%ld sandbox_mounts=%ld ", nsandboxes,
		    sandbox_mounts);
	printf("group=%d\nready\n", (int)group);
	fflush(stdout);
	wait_for_end();
	teardown();
	return 0;
}
