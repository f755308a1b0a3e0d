/*
 * net_hold - keep a network namespace alive by one open fd, with no
 * process in it and no bind mount of it, for the network scenario tests
 * (tests/scenario/t_net_*.sh).
 *
 *   net_hold
 *
 * Unshares a new netns, opens it, goes back to the netns it started in
 * and closes that one, so that the fd is the only reference left.  Then
 * it prints "INODE FD" and "ready" and sleeps until killed.  The fd opens
 * as /proc/PID/fd/FD for whoever may inspect us (`ip link set ... netns
 * /proc/PID/fd/FD`).  Errors: a message on stderr, exit 1.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "net_hold: %s: %s\n", what, strerror(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	struct stat st;
	int orig, fd;

	(void)argv;
	if (argc != 1) {
		fputs("usage: net_hold\n", stderr);
		return 2;
	}
	if ((orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1)
		die("/proc/self/ns/net");
	if (unshare(CLONE_NEWNET) == -1)
		die("unshare(CLONE_NEWNET)");
	/* Not O_CLOEXEC: nothing is exec'd, and ip opens it through /proc. */
	if ((fd = open("/proc/self/ns/net", O_RDONLY)) == -1)
		die("/proc/self/ns/net (new)");
	if (setns(orig, CLONE_NEWNET) == -1)
		die("setns back");
	close(orig);
	if (fstat(fd, &st) == -1)
		die("fstat");
	printf("%ju %d\nready\n", (uintmax_t)st.st_ino, fd);
	fflush(stdout);
	for (;;)
		pause();
}
