/*
 * uringhold - a network namespace held only as an io_uring registered
 * file: the fd that opened it is closed, the ring keeps the file.
 * Prints "RINGFD INODE" and "ready", then waits to be killed.  Exits 77
 * when io_uring is not available (kernel config, sysctl).
 */
#include <fcntl.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	struct io_uring_params p;
	struct stat st;
	int ring, self, fd;

	memset(&p, 0, sizeof(p));
	if ((ring = syscall(__NR_io_uring_setup, 4, &p)) < 0) {
		perror("io_uring_setup");
		return 77;
	}
	if ((self = open("/proc/self/ns/net", O_RDONLY)) < 0 ||
	    unshare(CLONE_NEWNET) < 0 ||
	    (fd = open("/proc/self/ns/net", O_RDONLY)) < 0 ||
	    setns(self, CLONE_NEWNET) < 0 || fstat(fd, &st) < 0) {
		perror("uringhold");
		return 1;
	}
	close(self);
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_FILES, &fd, 1) < 0) {
		perror("io_uring_register");
		return 77;
	}
	close(fd);
	printf("%d %lu\nready\n", ring, (unsigned long)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
}
