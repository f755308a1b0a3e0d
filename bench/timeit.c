/*
 * timeit - times commands by the median of several runs, so that make
 * bench needs nothing beyond a C compiler.
 *
 * usage: timeit [-n runs] [-w warmups] [-b budget] [-t timeout]
 *	      cmd [arg ...] [:: cmd [arg ...]] ...
 *
 * Commands separated by "::" are run in turns (one run of each, then the
 * next round), so that a change in the machine's load while the bench
 * runs weighs on all of them alike instead of on whichever ran then.
 * Each runs with stdin, stdout and stderr on /dev/null: what is timed is
 * the work, not a terminal.
 *
 * Output is one line per command, times in ms:
 *	ok MEDIAN MIN MAX RUNS CPU RSS
 * where CPU is the median user + system time of the command and RSS the
 * largest peak resident set (KiB, ru_maxrss from wait4) of any run: the
 * peak of the biggest single process of the command and of the children
 * it reaped, not their sum.  Or
 *	fail WHY
 * if a run exited non-zero, died or outlived the timeout (seconds); a
 * failed command is not run again.  After the warm-up rounds come runs
 * rounds; once seven or more (an odd number) are done and budget seconds
 * have gone, it stops, so one slow command cannot stretch the bench
 * without end.  Fewer than seven runs (make bench's scaling mode, where
 * each size is one point of a curve) are all done.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIN_RUNS	7

extern char **environ;

struct cmd {
	char	**argv;
	double	 *wall;		/* ms, one per timed run */
	double	 *cpu;
	long	  rss;		/* KiB, the largest ru_maxrss seen */
	int	  n;
	char	  why[128];	/* set once it failed */
};

static volatile sig_atomic_t	 timed_out;
static volatile pid_t		 running;
static posix_spawn_file_actions_t fa;

static void
on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (running > 0)
		kill(running, SIGKILL);
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

/* Runs c once; records its times if keep, says why if it failed. */
static void
run_once(struct cmd *c, unsigned timeout, int keep)
{
	struct rusage	 ru;
	double		 start, end;
	pid_t		 pid;
	int		 status, e;

	timed_out = 0;
	start = now_ms();
	e = posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, environ);
	if (e != 0) {
		snprintf(c->why, sizeof(c->why), "%s: %s", c->argv[0],
		    strerror(e));
		return;
	}
	running = pid;
	alarm(timeout);
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR)
			err(1, "wait4");
	end = now_ms();
	alarm(0);
	running = 0;
	if (timed_out)
		snprintf(c->why, sizeof(c->why), "timed out after %u s",
		    timeout);
	else if (WIFSIGNALED(status))
		snprintf(c->why, sizeof(c->why), "killed by signal %d",
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		snprintf(c->why, sizeof(c->why), "exit status %d",
		    WEXITSTATUS(status));
	else if (keep) {
		c->wall[c->n] = end - start;
		c->cpu[c->n] = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
		if (ru.ru_maxrss > c->rss)
			c->rss = ru.ru_maxrss;
		c->n++;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v, which the caller then reads min and max from. */
static double
median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned
number(const char *s, unsigned min)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v < min || v > 100000)
		errx(2, "bad number: %s", s);
	return v;
}

/* Splits argv at each "::" into commands. */
static struct cmd *
split(char **argv, int *ncmd, unsigned runs)
{
	struct cmd	*c;
	int		 i, n = 1;

	for (i = 0; argv[i] != NULL; i++)
		if (strcmp(argv[i], "::") == 0)
			n++;
	if ((c = calloc(n, sizeof(*c))) == NULL)
		err(1, "calloc");
	for (i = 0; i < n; i++) {
		c[i].argv = argv;
		while (*argv != NULL && strcmp(*argv, "::") != 0)
			argv++;
		if (*argv != NULL)
			*argv++ = NULL;
		if (c[i].argv[0] == NULL)
			errx(2, "empty command");
		c[i].wall = calloc(runs, sizeof(double));
		c[i].cpu = calloc(runs, sizeof(double));
		if (c[i].wall == NULL || c[i].cpu == NULL)
			err(1, "calloc");
	}
	*ncmd = n;
	return c;
}

static void
report(struct cmd *c)
{
	double	 wall, cpu;

	if (c->why[0] != '\0') {
		printf("fail %s\n", c->why);
		return;
	}
	cpu = median(c->cpu, c->n);
	wall = median(c->wall, c->n);
	printf("ok %.1f %.1f %.1f %d %.1f %ld\n", wall, c->wall[0],
	    c->wall[c->n - 1], c->n, cpu, c->rss);
}

static void
usage(void)
{
	fprintf(stderr, "usage: timeit [-n runs] [-w warmups] [-b budget] "
	    "[-t timeout] cmd [arg ...] [:: cmd [arg ...]] ...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct sigaction	 sa;
	struct cmd		*c;
	double			 start;
	unsigned		 runs = 9, warm = 1, budget = 60;
	unsigned		 timeout = 60, r;
	int			 ch, i, ncmd;

	while ((ch = getopt(argc, argv, "+b:n:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			budget = number(optarg, 1);
			break;
		case 'n':
			runs = number(optarg, 1);
			break;
		case 't':
			timeout = number(optarg, 1);
			break;
		case 'w':
			warm = number(optarg, 0);
			break;
		default:
			usage();
		}
	}
	if (argv[optind] == NULL)
		usage();
	c = split(argv + optind, &ncmd, runs);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: wait4 must wake */
	sigaction(SIGALRM, &sa, NULL);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);

	start = now_ms();
	for (r = 0; r < warm + runs; r++) {
		/* Stop early only on an odd count: a plain median. */
		if (r - warm >= MIN_RUNS && (r - warm) % 2 == 1 &&
		    now_ms() - start > budget * 1e3)
			break;
		for (i = 0; i < ncmd; i++)
			if (c[i].why[0] == '\0')
				run_once(&c[i], timeout, r >= warm);
	}
	for (i = 0; i < ncmd; i++)
		report(&c[i]);
	return 0;
}
