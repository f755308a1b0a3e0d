/*
 * mntmany N - keep N mount namespaces alive with no process in them, each
 * held only by an fd of ours (t_robust_fds.sh: nsfind must stay complete
 * however few fds it may use).
 *
 * Each round unshare()s a new mount namespace and keeps an fd on it; at
 * the end we go back to the namespace we started in, so that none of the
 * N has a process.  Then "ready" on stdout, and sleep until killed.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int n, i, home, fd;

	if (argc != 2 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: mntmany N\n");
		return 2;
	}
	if ((home = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0) {
		perror("mntmany: /proc/self/ns/mnt");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    (fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0) {
			perror("mntmany");
			return 1;
		}
		(void)fd;
	}
	if (setns(home, CLONE_NEWNS) < 0) {
		perror("mntmany: setns");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
