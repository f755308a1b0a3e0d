/*
 * thrfd - a namespace held only by an fd in a thread's own fd table.
 *
 * A second thread does unshare(CLONE_FILES), so its fd table is no
 * longer the process's, then unshares a uts namespace, keeps an fd on it
 * and returns to the original one.  /proc/PID/fd does not show that fd;
 * /proc/PID/task/TID/fd does.  Prints "TID FD INODE" and "ready", then
 * waits to be killed.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *
thread(void *arg)
{
	struct stat st;
	int self, fd;

	(void)arg;
	if ((self = open("/proc/thread-self/ns/uts", O_RDONLY)) < 0 ||
	    unshare(CLONE_FILES) < 0 || unshare(CLONE_NEWUTS) < 0 ||
	    (fd = open("/proc/thread-self/ns/uts", O_RDONLY)) < 0 ||
	    setns(self, CLONE_NEWUTS) < 0 || fstat(fd, &st) < 0) {
		perror("thrfd");
		_exit(1);
	}
	close(self);
	printf("%ld %d %lu\nready\n", (long)syscall(SYS_gettid), fd,
	    (unsigned long)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

int
main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
