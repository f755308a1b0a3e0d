/*
 * ct_file.c - engines' files read beneath a root given by the caller,
 * never through a link that leads outside it, bounded in size, and never
 * blocking on a FIFO planted where a file was expected.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "ct.h"

/* openat2(2) confined to DFD: "..", absolute links and symlinks stay in. */
static int
open_in_root(int dfd, const char *rel, int flags)
{
	struct open_how how;
	int fd = -1, i;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	for (i = 0; i < 3; i++) {
		fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * Without openat2 (old kernel, seccomp): walk component by component
 * and refuse every symlink and "..", which is stricter but as safe.
 */
static int
open_walk(int dfd, const char *rel, int flags)
{
	char *copy, *comp, *next, *save = NULL;
	int cur = -1, fd, err = ENOENT;

	if ((copy = strdup(rel)) == NULL)
		return -1;
	for (comp = strtok_r(copy, "/", &save); comp != NULL; comp = next) {
		next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, "..") == 0) {
			fd = -1;
			err = EXDEV;
		} else {
			fd = openat(cur >= 0 ? cur : dfd, comp, O_NOFOLLOW |
			    O_CLOEXEC | (next ? O_PATH | O_DIRECTORY : flags));
			err = errno;
		}
		if (cur >= 0)
			close(cur);
		if ((cur = fd) < 0)
			break;
	}
	free(copy);
	if (cur < 0)
		errno = err;
	return cur;
}

/*
 * Whether openat2 is missing is learnt once: asking again costs a
 * syscall per file and, under valgrind, a warning each time.
 */
static int openat2_missing;

int
open_under(const char *rootdir, const char *rel, int flags)
{
	const char *root = rootdir != NULL && *rootdir != '\0' ? rootdir : "/";
	int dfd, fd = -1, err;

	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (!__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED)) {
		fd = open_in_root(dfd, rel, flags);
		if (fd < 0 && (errno == ENOSYS || errno == EPERM))
			__atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
	}
	if (__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED))
		fd = open_walk(dfd, rel, flags);
	err = errno;
	close(dfd);
	errno = err;
	return fd;
}

/*
 * A regular file under ROOTDIR, NUL-terminated, at most MAX_FILE bytes:
 * engine state files are small and a huge one is not worth the memory.
 * O_NONBLOCK keeps a FIFO planted there from hanging us.
 */
char *
read_small(const char *rootdir, const char *rel, size_t *lenp)
{
	struct stat st;
	char *buf = NULL, *nb;
	size_t len = 0, cap;
	ssize_t r;
	int fd;

	if ((fd = open_under(rootdir, rel, O_RDONLY | O_NONBLOCK |
	    O_NOCTTY)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE)
		goto fail;
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL)
		goto fail;
	for (;;) {
		if ((r = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
		if (len < cap)
			continue;
		if (cap > MAX_FILE)
			goto fail;	/* grew past the cap while we read */
		cap = cap * 2 > MAX_FILE + 1 ? MAX_FILE + 1 : cap * 2;
		if ((nb = realloc(buf, cap + 1)) == NULL)
			goto fail;
		buf = nb;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

DIR *
opendir_under(const char *rootdir, const char *rel)
{
	DIR *d;
	int fd;

	if ((fd = open_under(rootdir, rel, O_RDONLY | O_DIRECTORY)) < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

