/*
 * zombie_leader - a process whose main thread has exited while another
 * thread lives on, alone in a new uts namespace.  /proc/PID/ns of such a
 * process reads ENOENT; only /proc/PID/task/TID/ns shows the namespace.
 * Prints "TID INODE" and "ready", then the leader exits.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *
thread(void *arg)
{
	struct stat st;

	(void)arg;
	if (unshare(CLONE_NEWUTS) < 0 || stat("/proc/thread-self/ns/uts", &st) < 0) {
		perror("zombie_leader");
		_exit(1);
	}
	printf("%ld %lu\nready\n", (long)syscall(SYS_gettid), (unsigned long)st.st_ino);
	fflush(stdout);
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
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
	pthread_mutex_lock(&mu);
	while (!ready)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	pthread_exit(NULL);	/* the leader goes; the process stays */
}
