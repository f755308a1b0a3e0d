/*
 * test_mounts.c - nsfs bind mounts: mountinfo parsing, path escaping,
 * and, as root, listmount/statmount, safe opening and the mount
 * namespace walk on a world of mounts built in a private namespace.
 *
 * The live tests build everything inside a mount namespace of their
 * own (a forked child that unshares and makes "/" private), so nothing
 * shows in ours; the only host-visible trace is an empty mkdtemp()
 * directory, removed in teardown.  The last test checks that no nsfs
 * mount, fd, child or directory was left behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"

#define NMANY	140	/* more than a listmount page and two fd batches */

/* ---- mountinfo parser ---- */

/* Parse a C string; the test owns the result. */
static size_t
parse(const char *text, struct nsf_nsmount **m)
{
	size_t n = 99;

	assert_int_equal(nsf_mountinfo_nsfs(text, strlen(text), m, &n), 0);
	return n;
}

static void
test_mi_empty(void **state)
{
	struct nsf_nsmount *m = (void *)1;
	size_t n = 99;

	(void)state;
	assert_int_equal(nsf_mountinfo_nsfs("", 0, &m, &n), 0);
	assert_int_equal(n, 0);
	assert_null(m);
	assert_int_equal(nsf_mountinfo_nsfs(NULL, 0, &m, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(nsf_mountinfo_nsfs(NULL, 3, &m, &n), -EINVAL);
	assert_int_equal(parse("\n\n\n", &m), 0);
}

static void
test_mi_normal(void **state)
{
	const char *text =
	    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
	    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw\n"
	    "612 27 0:4 net:[4026532460] /run/netns/blue rw - nsfs nsfs rw\n"
	    "613 27 0:4 mnt:[4026532461] /run/snapd/ns/lxd.mnt rw - nsfs nsfs rw\n"
	    "640 31 0:4 / /weird rw - nsfs nsfs rw\n"
	    "641 31 0:50 /net:[4026532460] /x rw - tmpfs tmpfs rw\n";
	struct nsf_nsmount *m;
	size_t n;

	(void)state;
	n = parse(text, &m);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].path, "/run/netns/blue");
	assert_string_equal(m[0].type, "net");
	assert_true(m[0].ino == 4026532460ULL);
	assert_true(m[0].mnt_id == 612);
	assert_string_equal(m[1].path, "/run/snapd/ns/lxd.mnt");
	assert_string_equal(m[1].type, "mnt");
	assert_true(m[1].ino == 4026532461ULL);
	assert_true(m[1].mnt_id == 613);
	nsf_nsmounts_free(m, n);
}

static void
test_mi_escapes(void **state)
{
	const char *text =
	    "70 27 0:4 uts:[4026532500] /run/a\\040b\\011c\\012d\\134e rw"
	    " - nsfs nsfs rw\n"
	    "71 27 0:4 ipc:[4026532501] /run/\\134040 rw - nsfs nsfs rw\n"
	    "72 27 0:4 pid:[4026531836] /\\040 rw - nsfs nsfs rw";
	struct nsf_nsmount *m;
	size_t n;

	(void)state;
	n = parse(text, &m);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].path, "/run/a b\tc\nd\\e");
	/* An escaped backslash followed by digits is not an escape again. */
	assert_string_equal(m[1].path, "/run/\\040");
	assert_string_equal(m[2].path, "/ ");
	assert_string_equal(m[2].type, "pid");
	nsf_nsmounts_free(m, n);
}

static void
test_mi_optional_fields(void **state)
{
	const char *text =
	    "36 35 0:4 net:[4026532460] /run/netns/x rw,nosuid shared:1 "
	    "master:2 - nsfs nsfs rw\n"
	    "37 35 0:4 net:[4026532462] /run/netns/y rw propagate_from:3 "
	    "unbindable - nsfs nsfs rw\n"
	    "38 35 0:4 net:[4026532463] - rw - nsfs nsfs rw\n";
	struct nsf_nsmount *m;
	size_t n;

	(void)state;
	n = parse(text, &m);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].path, "/run/netns/x");
	assert_true(m[0].mnt_id == 36);
	assert_string_equal(m[1].path, "/run/netns/y");
	/* A mount point named "-" is not the separator. */
	assert_string_equal(m[2].path, "-");
	assert_true(m[2].ino == 4026532463ULL);
	nsf_nsmounts_free(m, n);
}

static void
test_mi_malformed(void **state)
{
	const char *text =
	    /* no separator */
	    "36 35 0:4 net:[1] /a rw nsfs nsfs rw\n"
	    /* nothing after the separator but the type */
	    "37 35 0:4 net:[2] /b rw - nsfs\n"
	    /* double space: an empty field */
	    "38 35 0:4 net:[3]  /c rw - nsfs nsfs rw\n"
	    /* bad mount id */
	    "x9 35 0:4 net:[4] /d rw - nsfs nsfs rw\n"
	    "99999999999999999999999 35 0:4 net:[5] /e rw - nsfs nsfs rw\n"
	    /* bad roots */
	    "40 35 0:4 net:[abc] /f rw - nsfs nsfs rw\n"
	    "41 35 0:4 net:[6 /g rw - nsfs nsfs rw\n"
	    "42 35 0:4 :[7] /h rw - nsfs nsfs rw\n"
	    "43 35 0:4 averyveryverylongtype:[8] /i rw - nsfs nsfs rw\n"
	    "44 35 0:4 net:[] /j rw - nsfs nsfs rw\n"
	    "45 35 0:4 net:[9]x /k rw - nsfs nsfs rw\n"
	    "52 35 0:4 NET:[15] /p rw - nsfs nsfs rw\n"
	    "53 35 0:4 n\\012t:[16] /q rw - nsfs nsfs rw\n"
	    "54 35 0:4 /net:[17] /r rw - nsfs nsfs rw\n"
	    "55 35 0:4 pid_for_children:[18] /s rw - nsfs nsfs rw\n"
	    /* bad escapes: short, NUL, not octal, raw backslash */
	    "46 35 0:4 net:[10] /l\\04 rw - nsfs nsfs rw\n"
	    "47 35 0:4 net:[11] /m\\000 rw - nsfs nsfs rw\n"
	    "48 35 0:4 net:[12] /n\\9ab rw - nsfs nsfs rw\n"
	    "49 35 0:4 net:[13] /o\\q rw - nsfs nsfs rw\n"
	    /* only fields */
	    "50\n"
	    "\n"
	    "51 35 0:4 net:[14] /ok rw - nsfs nsfs rw\n";
	struct nsf_nsmount *m;
	size_t n;

	(void)state;
	n = parse(text, &m);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].path, "/ok");
	assert_true(m[0].ino == 14);
	nsf_nsmounts_free(m, n);
}

/* Every prefix of a line: never a partial path, never a crash. */
static void
test_mi_truncated(void **state)
{
	const char *line =
	    "612 27 0:4 net:[4026532460] /run/netns/bl\\040ue rw shared:5 "
	    "- nsfs nsfs rw\n";
	struct nsf_nsmount *m;
	size_t len = strlen(line), i, n;
	char *buf;

	(void)state;
	for (i = 0; i <= len; i++) {
		/* A copy of exactly i bytes, so ASan sees any over-read. */
		buf = malloc(i ? i : 1);
		assert_non_null(buf);
		memcpy(buf, line, i);
		assert_int_equal(nsf_mountinfo_nsfs(buf, i, &m, &n), 0);
		assert_true(n <= 1);
		if (n == 1) {
			assert_string_equal(m[0].path, "/run/netns/bl ue");
			assert_true(m[0].ino == 4026532460ULL);
			assert_true(m[0].mnt_id == 612);
			/* Only a cut inside the super options goes unseen. */
			assert_true(i >= len - 3);
		}
		nsf_nsmounts_free(m, n);
		free(buf);
	}
}

/* NUL bytes in the text spoil their own line only. */
static void
test_mi_nul_bytes(void **state)
{
	static const char text[] =
	    "1 0 0:4 net:[1] /a\0b rw - nsfs nsfs rw\n"
	    "2 0 0:4 net:[2] /c rw - ns\0s nsfs rw\n"
	    "3 0 0:4 net:[3] /d rw - nsfs nsfs rw\n";
	struct nsf_nsmount *m;
	size_t n;

	(void)state;
	assert_int_equal(nsf_mountinfo_nsfs(text, sizeof(text) - 1, &m, &n),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].path, "/d");
	nsf_nsmounts_free(m, n);
}

/* A megabyte-long line between ordinary ones, nsfs and not. */
static void
test_mi_huge_line(void **state)
{
	const size_t big = 1 << 20;
	struct nsf_nsmount *m;
	char *text, *p;
	size_t n, i;

	(void)state;
	text = malloc(3 * big + 512);
	assert_non_null(text);
	p = text;
	p += sprintf(p, "1 0 0:50 / /");
	memset(p, 'x', big);
	p += big;
	p += sprintf(p, " rw - tmpfs tmpfs rw\n2 0 0:4 net:[42] /");
	for (i = 0; i < big / 4; i++)
		p += sprintf(p, "y\\040");
	p += sprintf(p, " rw - nsfs nsfs rw\n3 0 0:4 uts:[43] /z rw - nsfs "
	    "nsfs rw\n");
	assert_int_equal(nsf_mountinfo_nsfs(text, (size_t)(p - text), &m, &n),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(strlen(m[0].path), 1 + 2 * (big / 4));
	assert_memory_equal(m[0].path, "/y y y ", 7);
	assert_true(m[0].ino == 42);
	assert_string_equal(m[1].path, "/z");
	nsf_nsmounts_free(m, n);
	free(text);
}

/* The fd reader, on more text than its first buffer holds. */
static void
test_mi_fd(void **state)
{
	struct nsf_nsmount *m;
	size_t n, i;
	FILE *f;
	int fd;

	(void)state;
	f = tmpfile();
	assert_non_null(f);
	for (i = 0; i < 3000; i++)
		fprintf(f, "%zu 1 0:50 / /mnt/some/long/enough/path/%zu rw "
		    "- tmpfs tmpfs rw\n", i + 100, i);
	fprintf(f, "99 1 0:4 cgroup:[4026531835] /c\\011g rw - nsfs nsfs rw\n");
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_true(fd >= 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(nsf_mountinfo_nsfs_fd(fd, &m, &n), 0);
	close(fd);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].path, "/c\tg");
	assert_string_equal(m[0].type, "cgroup");
	nsf_nsmounts_free(m, n);
	/* A read error is returned, not taken for an empty table. */
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(nsf_mountinfo_nsfs_fd(fd, &m, &n), -EISDIR);
	close(fd);
	assert_null(m);
}

/* ---- live tests ---- */

/* What the world is made of, relative to its tmpfs. */
#define P_SPACE		"/ns a\nb"
#define P_TAB		"/t\tb\\s"
#define P_IPC		"/ipc"
#define P_LINK		"/link"
#define P_ABSLINK	"/abs"
#define P_DIRLINK	"/dl"
#define P_PLAIN		"/plain"
#define P_FIFO		"/fifo"
#define P_AUTOFS	"/auto"
#define DEEP_LEVELS	5

struct world {
	const char		*skip;		/* why not, or NULL */
	char			 dir[64];	/* mkdtemp(), its tmpfs root */
	char			*deep;		/* a mount point > 1 KiB long */
	pid_t			 child;		/* lives in the world's mnt ns */
	int			 mntfd;		/* holds the mount namespace */
	int			 rootfd;	/* /proc/child/root */
	uint64_t		 uts_ino;	/* bind-mounted everywhere */
	uint64_t		 ipc_ino;	/* bind-mounted once */
	int			 autofs;	/* P_AUTOFS hangs lookups */
	int			 fds[NMANY + 32];
	size_t			 nfds;
	int			*walk;
	size_t			 nwalk;
	struct nsf_nsmount	*m;
	size_t			 n;
};

/* Baselines the last test compares with. */
static size_t base_fds;
static char made_dirs[64][64];
static size_t nmade;

static size_t
count_fds(void)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * nsfs mounts of our own namespace under a directory the tests made.
 * Only those: other tests on the machine may mount nsfs meanwhile.
 */
static size_t
count_own_nsfs(void)
{
	struct nsf_nsmount *m;
	size_t n = 0, i, j, k = 0;
	int fd;

	fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return SIZE_MAX;
	if (nsf_mountinfo_nsfs_fd(fd, &m, &n) != 0)
		n = 0, k = SIZE_MAX;
	close(fd);
	for (i = 0; i < n; i++)
		for (j = 0; j < nmade; j++)
			k += strncmp(m[i].path, made_dirs[j],
			    strlen(made_dirs[j])) == 0;
	nsf_nsmounts_free(m, n);
	return k;
}

static int
group_setup(void **state)
{
	(void)state;
	base_fds = count_fds();
	return 0;
}

/* dir+rel, malloc()ed: a path in the world as the world sees it. */
static char *
wpath(const struct world *w, const char *rel)
{
	char *s;

	if (asprintf(&s, "%s%s", w->dir, rel) == -1)
		return NULL;
	return s;
}

/* Touch a file and bind a namespace file onto it. */
static int
bind_ns(const char *ns, const char *path)
{
	int fd;

	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return mount(ns, path, "none", MS_BIND, NULL);
}

/* The world builder, in the child's fresh mount and uts namespaces. */
static int
build(struct world *w)
{
	char p[4096], *s;
	size_t i;

	if (unshare(CLONE_NEWNS | CLONE_NEWUTS) == -1)
		return -1;
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	if (mount("nsfind-test", w->dir, "tmpfs", MS_NOSUID | MS_NODEV,
	    "size=4m,mode=0700") == -1)
		return -1;
#define AT(rel) (snprintf(p, sizeof(p), "%s%s", w->dir, (rel)), p)
	if (bind_ns("/proc/self/ns/uts", AT(P_SPACE)) == -1 ||
	    bind_ns("/proc/self/ns/uts", AT(P_TAB)) == -1 ||
	    bind_ns("/proc/self/ns/ipc", AT(P_IPC)) == -1 ||
	    symlink("ns a\nb", AT(P_LINK)) == -1 ||
	    symlink("/proc/self/ns/uts", AT(P_ABSLINK)) == -1 ||
	    symlink(".", AT(P_DIRLINK)) == -1 ||
	    mknod(AT(P_PLAIN), S_IFREG | 0600, 0) == -1 ||
	    mkfifo(AT(P_FIFO), 0600) == -1 ||
	    mkdir(AT("/many"), 0700) == -1)
		return -1;
	for (i = 0; i < NMANY; i++) {
		snprintf(p, sizeof(p), "%s/many/%03zu", w->dir, i);
		if (bind_ns("/proc/self/ns/uts", p) == -1)
			return -1;
	}
	snprintf(p, sizeof(p), "%s", w->dir);
	for (i = 0; i < DEEP_LEVELS; i++) {
		s = p + strlen(p);
		*s++ = '/';
		memset(s, 'd', 200);
		s[200] = '\0';
		if (mkdir(p, 0700) == -1)
			return -1;
	}
	return bind_ns("/proc/self/ns/uts", strcat(p, "/ns"));
#undef AT
}

/*
 * An autofs mount whose daemon never answers: any lookup below it hangs
 * (killably) as on a hostile FUSE filesystem.  We are its process group,
 * so our own lookups would not trigger it; the tests' would.  Returns
 * the pipe's read end, to be kept open, or -1 where autofs is missing.
 */
static int
build_autofs(struct world *w)
{
	char p[4096], opts[128];
	int ap[2];

	if (setpgid(0, 0) == -1 || pipe(ap) == -1)
		return -1;
	snprintf(p, sizeof(p), "%s" P_AUTOFS, w->dir);
	snprintf(opts, sizeof(opts), "fd=%d,pgrp=%d,minproto=5,maxproto=5",
	    ap[1], (int)getpgrp());
	if (mkdir(p, 0700) == -1 ||
	    mount("nsfind-test", p, "autofs", 0, opts) == -1) {
		close(ap[0]);
		close(ap[1]);
		return -1;
	}
	close(ap[1]);
	return ap[0];
}

/* The child: build, report, then wait to be killed. */
static void __attribute__((noreturn))
world_child(struct world *w, int wr, pid_t parent)
{
	int res[2] = { 0, 0 };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (build(w) == -1)
		res[0] = errno ? errno : EIO;
	else
		res[1] = build_autofs(w) >= 0;
	if (write(wr, res, sizeof(res)) != sizeof(res))
		_exit(1);
	for (;;)
		pause();
}

/* Open /proc/PID/what of a world child. */
static int
open_proc(pid_t pid, const char *what, int flags)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/%s", (int)pid, what);
	return open(p, flags | O_CLOEXEC);
}

static uint64_t
ino_of(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Build the world; -1 leaves the cleaning to world_setup. */
static int
world_make(struct world *w)
{
	int pfd[2], res[2] = { EIO, 0 }, err, fd;
	size_t i;
	ssize_t got;
	pid_t self = getpid();

	if (geteuid() != 0) {
		w->skip = "not root";
		return 0;
	}
	snprintf(w->dir, sizeof(w->dir), "/tmp/nsfind-mounts.XXXXXX");
	if (mkdtemp(w->dir) == NULL) {
		w->dir[0] = '\0';
		return -1;
	}
	if (nmade < 64)
		snprintf(made_dirs[nmade++], sizeof(made_dirs[0]), "%s",
		    w->dir);
	w->deep = malloc(strlen(w->dir) + DEEP_LEVELS * 201 + 8);
	if (w->deep == NULL)
		return -1;
	strcpy(w->deep, w->dir);
	for (i = 0; i < DEEP_LEVELS; i++) {
		strcat(w->deep, "/");
		memset(w->deep + strlen(w->deep), 'd', 200);
		w->deep[strlen(w->dir) + (i + 1) * 201] = '\0';
	}
	strcat(w->deep, "/ns");
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	if ((w->child = fork()) == -1) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (w->child == 0) {
		close(pfd[0]);
		world_child(w, pfd[1], self);
	}
	close(pfd[1]);
	while ((got = read(pfd[0], res, sizeof(res))) == -1 && errno == EINTR)
		;
	if (got != sizeof(res))
		res[0] = EIO;
	close(pfd[0]);
	err = res[0];
	w->autofs = res[1];
	if (err == EPERM || err == ENOSYS || err == EINVAL) {
		w->skip = "cannot build a private mount namespace";
		return 0;
	}
	if (err != 0) {
		errno = err;
		return -1;
	}
	w->mntfd = open_proc(w->child, "ns/mnt", O_RDONLY);
	w->rootfd = open_proc(w->child, "root", O_PATH | O_DIRECTORY);
	if (w->mntfd < 0 || w->rootfd < 0)
		return -1;
	if ((fd = open_proc(w->child, "ns/uts", O_RDONLY)) < 0)
		return -1;
	w->uts_ino = ino_of(fd);
	close(fd);
	if ((fd = open_proc(w->child, "ns/ipc", O_RDONLY)) < 0)
		return -1;
	w->ipc_ino = ino_of(fd);
	close(fd);
	return 0;
}

static int world_teardown(void **);

/*
 * cmocka runs no teardown after a failed setup, so a half-built world
 * is taken down here: no child or directory may outlive the tests.
 */
static int
world_setup(void **state)
{
	struct world *w;

	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return -1;
	*state = w;
	w->mntfd = w->rootfd = -1;
	if (world_make(w) == 0)
		return 0;
	fprintf(stderr, "world setup failed: %s\n", strerror(errno));
	world_teardown(state);
	*state = NULL;
	return -1;
}

/* Kill the child: from now on only mntfd holds the mount namespace. */
static void
world_orphan(struct world *w)
{
	if (w->rootfd >= 0)
		close(w->rootfd);
	w->rootfd = -1;
	if (w->child > 0) {
		kill(w->child, SIGKILL);
		waitpid(w->child, NULL, 0);
	}
	w->child = 0;
}

/* Runs after failures too: everything the test opened goes. */
static int
world_teardown(void **state)
{
	struct world *w = *state;
	size_t i;

	if (w == NULL)
		return 0;
	world_orphan(w);
	for (i = 0; i < w->nfds; i++)
		if (w->fds[i] >= 0)
			close(w->fds[i]);
	for (i = 0; i < w->nwalk; i++)
		close(w->walk[i]);
	free(w->walk);
	nsf_nsmounts_free(w->m, w->n);
	if (w->mntfd >= 0)
		close(w->mntfd);
	/* The tmpfs died with the namespace; the directory is empty. */
	if (w->dir[0] != '\0' && rmdir(w->dir) == -1)
		fprintf(stderr, "rmdir %s: %s\n", w->dir, strerror(errno));
	free(w->deep);
	free(w);
	return 0;
}

static struct world *
world(void **state)
{
	struct world *w = *state;

	if (w->skip != NULL) {
		fprintf(stderr, "skip: %s\n", w->skip);
		skip();
	}
	return w;
}

/* How many of the mounts are in the world's tmpfs. */
static size_t
in_world(const struct world *w, const struct nsf_nsmount *m, size_t n)
{
	size_t i, k = 0, len = strlen(w->dir);

	for (i = 0; i < n; i++)
		k += strncmp(m[i].path, w->dir, len) == 0 &&
		    m[i].path[len] == '/';
	return k;
}

/* Keep only the world's own mounts in w->m: the host's were copied. */
static void
keep_world(struct world *w)
{
	size_t i, k = 0;

	for (i = 0; i < w->n; i++) {
		if (in_world(w, &w->m[i], 1))
			w->m[k++] = w->m[i];
		else
			free(w->m[i].path);
	}
	w->n = k;
}

/* The mount whose path is dir+rel, or NULL. */
static const struct nsf_nsmount *
find(const struct world *w, const char *rel)
{
	char *p = wpath(w, rel);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < w->n; i++)
		if (strcmp(w->m[i].path, p) == 0)
			break;
	free(p);
	return i < w->n ? &w->m[i] : NULL;
}

/* statmount on a namespace that only an fd holds. */
static void
test_statmount_orphan(void **state)
{
	struct world *w = world(state);
	const struct nsf_nsmount *e;
	size_t i, many = 0;
	int r;

	world_orphan(w);
	r = nsf_statmount_nsfs(w->mntfd, &w->m, &w->n);
	if (r == -ENOSYS) {
		fprintf(stderr, "skip: no listmount/statmount by ns id\n");
		skip();
	}
	assert_int_equal(r, 0);
	/* Others may mount nsfs on the host meanwhile: count only ours. */
	assert_int_equal(in_world(w, w->m, w->n), NMANY + 4);
	keep_world(w);
	e = find(w, P_SPACE);
	assert_non_null(e);
	assert_string_equal(e->type, "uts");
	assert_true(e->ino == w->uts_ino);
	assert_true(e->mnt_id != 0);
	e = find(w, P_TAB);
	assert_non_null(e);
	assert_true(e->ino == w->uts_ino);
	e = find(w, P_IPC);
	assert_non_null(e);
	assert_string_equal(e->type, "ipc");
	assert_true(e->ino == w->ipc_ino);
	for (i = 0; i < w->n; i++)
		many += strncmp(w->m[i].path + strlen(w->dir), "/many/", 6)
		    == 0;
	assert_int_equal(many, NMANY);
	/* Longer than the first statmount buffer: it had to grow. */
	for (i = 0; i < w->n; i++)
		if (strcmp(w->m[i].path, w->deep) == 0)
			break;
	assert_true(i < w->n);
}

/* Not a mount namespace: refused before anything else. */
static void
test_not_mntns(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount one = { .path = (char *)"/", .ino = 1 };
	int fd, fds[1];

	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	w->fds[w->nfds++] = fd;
	assert_int_equal(nsf_statmount_nsfs(fd, &w->m, &w->n), -EINVAL);
	assert_int_equal(nsf_mntns_walk(fd, &w->walk, &w->nwalk), -EINVAL);
	assert_int_equal(nsf_nsmounts_open(fd, -1, &one, 1, fds), -EINVAL);
	assert_int_equal(fds[0], -EINVAL);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	w->fds[w->nfds++] = fd;
	assert_int_equal(nsf_statmount_nsfs(fd, &w->m, &w->n), -EINVAL);
	assert_int_equal(nsf_statmount_nsfs(-1, &w->m, &w->n), -EBADF);
	assert_int_equal(nsf_nsmounts_open(-1, -1, NULL, 0, NULL), 0);
}

/* mountinfo of a live process and statmount agree on everything. */
static void
test_mountinfo_matches_statmount(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount *mi;
	size_t nmi, i, j;
	int fd, r;

	r = nsf_statmount_nsfs(w->mntfd, &w->m, &w->n);
	if (r == -ENOSYS)
		skip();
	assert_int_equal(r, 0);
	fd = open_proc(w->child, "mountinfo", O_RDONLY);
	assert_true(fd >= 0);
	r = nsf_mountinfo_nsfs_fd(fd, &mi, &nmi);
	close(fd);
	assert_int_equal(r, 0);
	assert_int_equal(nmi, w->n);
	for (i = 0; i < nmi; i++) {
		for (j = 0; j < w->n; j++)
			if (strcmp(mi[i].path, w->m[j].path) == 0)
				break;
		if (j == w->n)
			nsf_nsmounts_free(mi, nmi);
		assert_true(j < w->n);
		assert_string_equal(mi[i].type, w->m[j].type);
		assert_true(mi[i].ino == w->m[j].ino);
	}
	nsf_nsmounts_free(mi, nmi);
}

/*
 * The planted cases of the open tests: what the mount table would claim
 * against what is really on the path.  want 0 means a good fd.
 */
struct plant {
	const char	*rel;
	int		 ipc;	/* claim the ipc inode instead of uts */
	int		 want;
};

static const struct plant plants[] = {
	{ P_SPACE, 0, 0 },
	{ P_TAB, 0, 0 },
	{ P_IPC, 1, 0 },
	{ P_LINK, 0, -ELOOP },			/* symlink to a real mount */
	{ P_ABSLINK, 0, -ELOOP },		/* symlink out of the root */
	{ P_DIRLINK P_SPACE, 0, -ELOOP },	/* symlink in the middle */
	{ P_PLAIN, 0, -EXDEV },			/* not nsfs */
	{ P_FIFO, 0, -EXDEV },			/* and must not block */
	{ P_IPC, 0, -ESTALE },			/* nsfs, but not that one */
	{ "/missing", 0, -ENOENT },
};
#define NPLANTS (sizeof(plants) / sizeof(plants[0]))

/* Build the claims: the plants, then every /many mount. */
static struct nsf_nsmount *
claims(struct world *w, size_t *n)
{
	struct nsf_nsmount *m;
	char rel[32];
	size_t i;

	*n = NPLANTS + NMANY + 1;
	m = calloc(*n, sizeof(*m));
	assert_non_null(m);
	for (i = 0; i < NPLANTS; i++) {
		m[i].path = wpath(w, plants[i].rel);
		strcpy(m[i].type, plants[i].ipc ? "ipc" : "uts");
		m[i].ino = plants[i].ipc ? w->ipc_ino : w->uts_ino;
	}
	for (i = 0; i < NMANY; i++) {
		snprintf(rel, sizeof(rel), "/many/%03zu", i);
		m[NPLANTS + i].path = wpath(w, rel);
		strcpy(m[NPLANTS + i].type, "uts");
		m[NPLANTS + i].ino = w->uts_ino;
	}
	m[*n - 1].path = strdup(w->deep);
	m[*n - 1].ino = w->uts_ino;
	w->m = m;
	w->n = *n;
	return m;
}

/* Check what nsf_nsmounts_open gave for the claims. */
static void
check_opened(struct world *w, const struct nsf_nsmount *m, size_t n)
{
	size_t i;
	int want;

	for (i = 0; i < n; i++) {
		want = i < NPLANTS ? plants[i].want : 0;
		if (w->fds[i] < 0 && w->fds[i] != want)
			fprintf(stderr, "%zu %s: %s\n", i, m[i].path,
			    strerror(-w->fds[i]));
		if (want != 0) {
			assert_int_equal(w->fds[i], want);
			continue;
		}
		assert_true(w->fds[i] >= 0);
		assert_true(ino_of(w->fds[i]) == m[i].ino);
		/* A real fd, not O_PATH: nsfs ioctls work on it. */
		assert_int_equal(ioctl(w->fds[i], NS_GET_NSTYPE),
		    m[i].ino == w->ipc_ino ? CLONE_NEWIPC : CLONE_NEWUTS);
		assert_int_equal(fcntl(w->fds[i], F_GETFL) & O_ACCMODE,
		    O_RDONLY);
	}
}

/* A forked child enters a namespace that no process uses. */
static void
test_open_orphan(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount *m;
	size_t n;

	world_orphan(w);
	m = claims(w, &n);
	assert_int_equal(nsf_nsmounts_open(w->mntfd, -1, m, n, w->fds), 0);
	w->nfds = n;
	check_opened(w, m, n);
}

/* Through /proc/PID/root of a live process, with no fork. */
static void
test_open_root_fd(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount *m;
	size_t n;

	m = claims(w, &n);
	assert_int_equal(nsf_nsmounts_open(-1, w->rootfd, m, n, w->fds), 0);
	w->nfds = n;
	check_opened(w, m, n);
}

/* statmount's paths open as they are, without rewriting. */
static void
test_statmount_then_open(void **state)
{
	struct world *w = world(state);
	size_t i;
	int r;

	world_orphan(w);
	r = nsf_statmount_nsfs(w->mntfd, &w->m, &w->n);
	if (r == -ENOSYS)
		skip();
	assert_int_equal(r, 0);
	keep_world(w);
	assert_int_equal(w->n, NMANY + 4);
	assert_int_equal(nsf_nsmounts_open(w->mntfd, -1, w->m, w->n, w->fds),
	    0);
	w->nfds = w->n;
	for (i = 0; i < w->n; i++) {
		assert_true(w->fds[i] >= 0);
		assert_true(ino_of(w->fds[i]) == w->m[i].ino);
	}
}

/* The fallback resolver for kernels without openat2. */
static void
test_open_compat(void **state)
{
	struct world *w = world(state);
	char *p;
	int fd;

	p = wpath(w, P_SPACE);
	fd = nsf_path_open_compat(w->rootfd, p);
	assert_true(fd >= 0);
	w->fds[w->nfds++] = fd;
	assert_true(ino_of(fd) == w->uts_ino);
	free(p);
	p = wpath(w, "//" P_TAB);
	fd = nsf_path_open_compat(w->rootfd, p);
	assert_true(fd >= 0);
	w->fds[w->nfds++] = fd;
	free(p);
	p = wpath(w, P_LINK);
	assert_int_equal(nsf_path_open_compat(w->rootfd, p), -ELOOP);
	free(p);
	p = wpath(w, P_DIRLINK P_SPACE);
	assert_int_equal(nsf_path_open_compat(w->rootfd, p), -ELOOP);
	free(p);
	p = wpath(w, P_PLAIN "/x");
	assert_int_equal(nsf_path_open_compat(w->rootfd, p), -ENOTDIR);
	free(p);
	p = wpath(w, "/../x");
	assert_int_equal(nsf_path_open_compat(w->rootfd, p), -EINVAL);
	free(p);
	assert_int_equal(nsf_path_open_compat(w->rootfd, "/"), -EINVAL);
	assert_int_equal(nsf_path_open_compat(w->rootfd, "/proc/self/ns/uts"),
	    -ELOOP);
}

/* The walk reaches the namespace that only our fd holds, in id order. */
static void
test_walk(void **state)
{
	struct world *w = world(state);
	struct mnt_ns_info info;
	uint64_t last = 0, own_ino;
	size_t i, seen_own = 0, seen_world = 0;
	int own, r;

	world_orphan(w);
	own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	assert_true(own >= 0);
	w->fds[w->nfds++] = own;
	own_ino = ino_of(own);
	r = nsf_mntns_walk(own, &w->walk, &w->nwalk);
	if (r == -ENOTTY || r == -EPERM) {
		fprintf(stderr, "skip: NS_MNT_GET_NEXT: %s\n", strerror(-r));
		skip();
	}
	assert_int_equal(r, 0);
	assert_true(w->nwalk >= 2);
	for (i = 0; i < w->nwalk; i++) {
		seen_own += ino_of(w->walk[i]) == own_ino;
		seen_world += ino_of(w->walk[i]) == ino_of(w->mntfd);
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		assert_int_equal(ioctl(w->walk[i], NS_MNT_GET_INFO, &info), 0);
		assert_true(info.mnt_ns_id > last);
		last = info.mnt_ns_id;
	}
	assert_int_equal(seen_own, 1);
	assert_int_equal(seen_world, 1);
	/* And back: from the orphan, ours is found (others come and go). */
	for (i = 0; i < w->nwalk; i++)
		close(w->walk[i]);
	free(w->walk);
	w->walk = NULL;
	w->nwalk = 0;
	assert_int_equal(nsf_mntns_walk(w->mntfd, &w->walk, &w->nwalk), 0);
	for (i = 0, seen_own = 0; i < w->nwalk; i++)
		seen_own += ino_of(w->walk[i]) == own_ino;
	assert_int_equal(seen_own, 1);
}

/* A helper child that hangs is killed and its entries time out. */
static void
test_open_hung_child(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount m[2];
	int fds[2];

	if (!w->autofs) {
		fprintf(stderr, "skip: no autofs\n");
		skip();
	}
	memset(m, 0, sizeof(m));
	m[0].path = wpath(w, P_SPACE);
	m[0].ino = w->uts_ino;
	m[1].path = wpath(w, P_AUTOFS "/x/y");
	m[1].ino = w->uts_ino;
	w->m = calloc(2, sizeof(*w->m));
	assert_non_null(w->m);
	memcpy(w->m, m, sizeof(m));
	w->n = 2;
	assert_int_equal(nsf_nsmounts_open_timeout(w->mntfd, -1, m, 2, fds,
	    300), -ETIMEDOUT);
	assert_int_equal(fds[0], -ETIMEDOUT);
	assert_int_equal(fds[1], -ETIMEDOUT);
}

/*
 * Out of fds halfway: entries say EMFILE (or are good fds) and nothing
 * leaks, whether the child or we hit the limit.  In a child process, so
 * that the lowered limit stays there.
 */
static void
test_open_emfile(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount *m;
	struct rlimit rl;
	size_t n, i, before, emfile = 0;
	int st, bad = 0, lowest;
	pid_t pid;

	world_orphan(w);
	m = claims(w, &n);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		before = count_fds();
		/* The limit is on fd numbers: 24 above the lowest free. */
		if ((lowest = dup(0)) < 0 || close(lowest) == -1 ||
		    getrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(2);
		rl.rlim_cur = (rlim_t)lowest + 24;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			_exit(2);
		nsf_nsmounts_open(w->mntfd, -1, m, n, w->fds);
		for (i = 0; i < n; i++) {
			if (w->fds[i] >= 0)
				close(w->fds[i]);
			else if (w->fds[i] == -EMFILE)
				emfile++;
			else if (i >= NPLANTS || w->fds[i] != plants[i].want)
				bad++;
		}
		_exit(bad ? 3 : emfile == 0 ? 4 : count_fds() != before ? 5 :
		    0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 2) {
		fprintf(stderr, "skip: cannot lower RLIMIT_NOFILE\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * Without privilege over the namespace (a child in a new user
 * namespace) every entry point says EPERM rather than something vague.
 */
static void
test_unprivileged(void **state)
{
	struct world *w = world(state);
	struct nsf_nsmount one = { .path = (char *)P_SPACE, .ino = 1 };
	struct nsf_nsmount *m;
	int pfd[2], res[4] = { 1, 1, 1, 1 }, own, *fds;
	size_t n;
	pid_t pid;

	world_orphan(w);
	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		if (unshare(CLONE_NEWUSER) == -1)
			res[0] = -errno - 1000;
		else {
			res[0] = nsf_statmount_nsfs(w->mntfd, &m, &n);
			own = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
			res[1] = nsf_mntns_walk(own, &fds, &n);
			res[2] = nsf_nsmounts_open(w->mntfd, -1, &one, 1,
			    &res[3]);
		}
		_exit(write(pfd[1], res, sizeof(res)) == sizeof(res) ? 0 : 1);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		res[0] = -EIO - 1000;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	if (res[0] <= -1000) {
		fprintf(stderr, "skip: no user namespace: %s\n",
		    strerror(-res[0] - 1000));
		skip();
	}
	if (res[0] != -ENOSYS)
		assert_int_equal(res[0], -EPERM);
	if (res[1] != -ENOTTY)
		assert_int_equal(res[1], -EPERM);
	assert_int_equal(res[2], -EPERM);
	assert_int_equal(res[3], -EPERM);
}

/* Nothing of ours is left: mounts, fds, children, directories. */
static void
test_nothing_left(void **state)
{
	struct stat st;
	size_t i;

	(void)state;
	assert_int_equal(count_own_nsfs(), 0);
	assert_int_equal(count_fds(), base_fds);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	for (i = 0; i < nmade; i++)
		assert_int_equal(stat(made_dirs[i], &st), -1);
}

#define LIVE(f) cmocka_unit_test_setup_teardown(f, world_setup, world_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mi_empty),
		cmocka_unit_test(test_mi_normal),
		cmocka_unit_test(test_mi_escapes),
		cmocka_unit_test(test_mi_optional_fields),
		cmocka_unit_test(test_mi_malformed),
		cmocka_unit_test(test_mi_truncated),
		cmocka_unit_test(test_mi_nul_bytes),
		cmocka_unit_test(test_mi_huge_line),
		cmocka_unit_test(test_mi_fd),
		LIVE(test_statmount_orphan),
		LIVE(test_not_mntns),
		LIVE(test_mountinfo_matches_statmount),
		LIVE(test_open_orphan),
		LIVE(test_open_root_fd),
		LIVE(test_statmount_then_open),
		LIVE(test_open_compat),
		LIVE(test_walk),
		LIVE(test_unprivileged),
		LIVE(test_open_emfile),
		LIVE(test_open_hung_child),
		cmocka_unit_test(test_nothing_left),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
