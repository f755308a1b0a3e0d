/*
 * treehold PATH [recursive] - keep a clone of the mount at PATH as a
 * detached mount tree (open_tree(2) with OPEN_TREE_CLONE), for the tests
 * of holders that do not read as a namespace (t_holder_open_tree.sh).
 * Prints "FD" and "ready", then sleeps until killed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree	428
#endif
#define OPEN_TREE_CLONE	1
#ifndef AT_RECURSIVE
#define AT_RECURSIVE	0x8000
#endif

int
main(int argc, char **argv)
{
	unsigned flags = OPEN_TREE_CLONE | O_CLOEXEC;
	long fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: treehold PATH [recursive]\n");
		return 2;
	}
	if (argc == 3 && strcmp(argv[2], "recursive") == 0)
		flags |= AT_RECURSIVE;
	if ((fd = syscall(SYS_open_tree, AT_FDCWD, argv[1], flags)) < 0) {
		perror("treehold: open_tree");
		return 1;
	}
	printf("%ld\nready\n", fd);
	fflush(stdout);
	for (;;)
		pause();
}
