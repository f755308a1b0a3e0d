/*
 * zombie_ns - a pid namespace whose only task is a zombie: its first
 * process (pid 1 there) exits at once and we never reap it.  Prints the
 * zombie's pid and "ready", then sleeps until killed (t_holder_zombie.sh).
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	pid_t pid;

	if (unshare(CLONE_NEWPID) < 0) {
		perror("zombie_ns: unshare");
		return 1;
	}
	if ((pid = fork()) < 0) {
		perror("zombie_ns: fork");
		return 1;
	}
	if (pid == 0)
		_exit(0);
	printf("%d\nready\n", (int)pid);
	fflush(stdout);
	for (;;)
		pause();
}
