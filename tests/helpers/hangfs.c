/*
 * hangfs MOUNTPOINT - a FUSE filesystem of one directory "d" and one empty
 * file "d/f", with no caching, for t_robust_hang.sh: the test mounts a
 * namespace on d/f, then stops this server (SIGSTOP), and every lookup
 * through the mount blocks until it is continued.  Runs in the foreground.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>

static void *
hang_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* Ask the server every time: no cached entries or attributes. */
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	return NULL;
}

static int
hang_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0 || strcmp(path, "/d") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/d/f") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		return 0;
	}
	return -ENOENT;
}

static int
hang_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (strcmp(path, "/") == 0)
		fill(buf, "d", NULL, 0, 0);
	else if (strcmp(path, "/d") == 0)
		fill(buf, "f", NULL, 0, 0);
	else
		return -ENOENT;
	return 0;
}

static int
hang_open(const char *path, struct fuse_file_info *fi)
{
	(void)fi;
	return strcmp(path, "/d/f") == 0 ? 0 : -ENOENT;
}

static const struct fuse_operations ops = {
	.init = hang_init,
	.getattr = hang_getattr,
	.readdir = hang_readdir,
	.open = hang_open,
};

int
main(int argc, char **argv)
{
	char *args[] = { argv[0], "-f", "-s", "-o", "allow_other", NULL, NULL };

	if (argc != 2)
		return 2;
	args[5] = argv[1];
	return fuse_main(6, args, &ops, NULL);
}
