/*
 * ct_pause - a process whose command line the container scenario tests
 * choose (tests/scenario/t_container_*.sh), run under the name a shim or a
 * sandbox has (a symlink "containerd-shim-runc-v2", "chrome", or exec -a).
 *
 *   ct_pause [ARG...]                  pause until killed; ARGs are only
 *                                      there to be seen in /proc/PID/cmdline
 *   ct_pause [ARG...] --- CMD [ARG...] the same, after starting CMD as a
 *                                      child, the way a shim starts the
 *                                      container's first process
 *
 * "---" and not "--", so that the ARGs before it read as a real shim's
 * (an option parser stops at "--"; nothing stops at "---").  The child's
 * pid is printed on stdout.  Errors: a message on stderr, exit 1.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	pid_t pid;
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "---") == 0)
			break;
	if (i + 1 < argc) {
		if ((pid = fork()) < 0) {
			fprintf(stderr, "ct_pause: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0) {
			execvp(argv[i + 1], argv + i + 1);
			fprintf(stderr, "ct_pause: %s: %s\n", argv[i + 1],
			    strerror(errno));
			_exit(127);
		}
		printf("%d\n", (int)pid);
		fflush(stdout);
	}
	/* Children that die stay zombies until we are killed: harmless. */
	for (;;)
		pause();
}
