/*
 * floor - the least work any namespace lister has to do; make bench
 * compares nsfind with it.
 *
 * For every process (/proc/PID) and every thread (/proc/PID/task/TID) it
 * stats the ten namespace links, following them because the inode of the
 * target is the namespace.  It does nothing else: directories are read
 * with getdents64(), each task's ns directory is opened (O_PATH) relative
 * to its parent and the links are stat'ed relative to that, so no path is
 * walked twice and no string is built but "PID/ns" and "PID/task".
 *
 * It prints how many links it stat'ed.  -u also counts processes, tasks
 * and distinct namespaces; that costs a hash insert per link, so the
 * timed runs go without it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DENTS_SIZE	32768

static const char *const nsfiles[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children",
	"time", "time_for_children", "user", "uts",
};
#define NNSFILES	(sizeof(nsfiles) / sizeof(nsfiles[0]))

struct tally {
	unsigned long	 links;		/* namespace links stat'ed */
	unsigned long	 procs;
	unsigned long	 tasks;
	int		 unique;	/* -u: also count distinct namespaces */
	uint64_t	*set;		/* open addressing; 0 is free */
	size_t		 cap;		/* a power of two */
	size_t		 used;
};

typedef void entry_fn(int, const char *, struct tally *);

static void	 remember(struct tally *, uint64_t);

static void
grow(struct tally *t)
{
	uint64_t	*old = t->set;
	size_t		 i, oldcap = t->cap;

	t->cap = oldcap ? oldcap * 2 : 1024;
	if ((t->set = calloc(t->cap, sizeof(*t->set))) == NULL)
		err(1, "calloc");
	t->used = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			remember(t, old[i]);
	free(old);
}

/* Namespaces all live on the one nsfs, so the inode alone names one. */
static void
remember(struct tally *t, uint64_t ino)
{
	size_t	 i;

	if (2 * (t->used + 1) > t->cap)
		grow(t);
	i = (ino * 0x9e3779b97f4a7c15ULL) & (t->cap - 1);
	while (t->set[i] != 0) {
		if (t->set[i] == ino)
			return;
		i = (i + 1) & (t->cap - 1);
	}
	t->set[i] = ino;
	t->used++;
}

/* Stats the namespace links of the task whose directory is dirfd/name. */
static void
stat_task(int dirfd, const char *name, struct tally *t)
{
	struct stat	 st;
	char		 path[32];
	size_t		 i, len = strlen(name);
	int		 nsfd;

	if (len + sizeof("/ns") > sizeof(path))
		return;
	memcpy(path, name, len);
	memcpy(path + len, "/ns", sizeof("/ns"));
	/*
	 * O_PATH: the directory is only a base for lookups, and this skips
	 * the open proper (measurably).  A task gone meanwhile is normal.
	 */
	if ((nsfd = openat(dirfd, path, O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return;
	for (i = 0; i < NNSFILES; i++) {
		if (fstatat(nsfd, nsfiles[i], &st, 0) == -1)
			continue;
		t->links++;
		if (t->unique)
			remember(t, st.st_ino);
	}
	close(nsfd);
}

/* Calls fn for every entry of the directory at fd that names a task. */
static void
each_task(int fd, entry_fn *fn, struct tally *t)
{
	char		 buf[DENTS_SIZE] __attribute__((aligned(8)));
	struct dirent64	*d;
	ssize_t		 n, off;

	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			if (d->d_name[0] >= '1' && d->d_name[0] <= '9')
				fn(fd, d->d_name, t);
		}
	}
}

static void
thread(int taskfd, const char *tid, struct tally *t)
{
	t->tasks++;
	stat_task(taskfd, tid, t);
}

static void
process(int procfd, const char *pid, struct tally *t)
{
	char	 path[32];
	size_t	 len = strlen(pid);
	int	 taskfd;

	t->procs++;
	stat_task(procfd, pid, t);
	if (len + sizeof("/task") > sizeof(path))
		return;
	memcpy(path, pid, len);
	memcpy(path + len, "/task", sizeof("/task"));
	if ((taskfd = openat(procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return;
	each_task(taskfd, thread, t);
	close(taskfd);
}

int
main(int argc, char *argv[])
{
	struct tally	 t;
	int		 ch, procfd;

	memset(&t, 0, sizeof(t));
	while ((ch = getopt(argc, argv, "u")) != -1) {
		switch (ch) {
		case 'u':
			t.unique = 1;
			break;
		default:
			fprintf(stderr, "usage: floor [-u]\n");
			return 2;
		}
	}
	if ((procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		err(1, "/proc");
	each_task(procfd, process, &t);
	if (t.unique)
		printf("processes %lu tasks %lu links %lu namespaces %zu\n",
		    t.procs, t.tasks, t.links, t.used);
	else
		printf("links %lu\n", t.links);
	return 0;
}
