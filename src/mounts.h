/*
 * mounts.h - find and safely open nsfs bind mounts in any mount namespace.
 *
 * A namespace bind-mounted on a file (ip netns add, snapd, container
 * runtimes) stays alive with no process in it.  The mount may live in a
 * mount namespace that no process uses either.  This module lists such
 * mounts from mountinfo text or from listmount(2)+statmount(2), walks
 * every mount namespace the kernel lets us see, and opens the mounts
 * without following anything a hostile container could plant.
 *
 * It knows nothing of the rest of nsfind: no graph, no printing.
 */
#ifndef NSFIND_MOUNTS_H
#define NSFIND_MOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One nsfs bind mount. */
struct nsf_nsmount {
	char	*path;		/* mount point, decoded, from that mount
				 * namespace's root (or the reader's root
				 * for /proc/PID/mountinfo) */
	char	 type[16];	/* "net" from a mount root "net:[4026532460]" */
	uint64_t ino;		/* inode from the mount root */
	uint64_t mnt_id;	/* unique id (statmount) or mountinfo id */
	uint64_t parent_id;	/* the mount it sits on, same numbering */
	/*
	 * Something is mounted over it, on the same path or on a directory
	 * above it: its path opens that instead.  covered_by says what
	 * ("uts:[4026532300]" for another namespace, else "tmpfs on /run").
	 */
	int	 covered;
	char	*covered_by;
};

void	nsf_nsmounts_free(struct nsf_nsmount *m, size_t n);

/*
 * Parse /proc/PID/mountinfo text and return its nsfs mounts, with the
 * kernel's octal escapes (\040 \011 \012 \134) decoded.  Malformed lines
 * are skipped.  *out is NULL when *n is 0.  0 or -errno.
 */
int	nsf_mountinfo_nsfs(const char *text, size_t len,
	    struct nsf_nsmount **out, size_t *n);

/* The same, reading a whole mountinfo file from fd. */
int	nsf_mountinfo_nsfs_fd(int fd, struct nsf_nsmount **out, size_t *n);

/*
 * The nsfs mounts of the mount namespace behind mntns_fd, with
 * listmount(2)+statmount(2) (6.11+ for another namespace).  -ENOSYS on
 * older kernels, -EINVAL when mntns_fd is no mount namespace, -EPERM
 * when the kernel does not let us look.
 */
int	nsf_statmount_nsfs(int mntns_fd, struct nsf_nsmount **out, size_t *n);

/*
 * The same for kernels without statmount (before 6.8): a forked child
 * enters the mount namespace and reads its mountinfo.  0 or -errno.
 */
int	nsf_mountinfo_in_ns(int mntns_fd, struct nsf_nsmount **out, size_t *n);

/*
 * Open each of the n mounts read-only and store an fd, or -errno, in
 * fds[i].  Paths are never resolved through a symlink or magic link, and
 * every fd is checked to be nsfs with the inode m[i].ino:
 * -ELOOP a symlink on the path, -EXDEV not nsfs, -ESTALE another inode
 * (swapped or over-mounted), -ENOENT gone, -EMFILE out of fds,
 * -ETIMEDOUT the helper child hung, -ECHILD it died.
 *
 * root_fd >= 0: a directory fd of /proc/PID/root of a process in the
 *	mount namespace (the paths must then be as that process sees them,
 *	e.g. from its mountinfo); mntns_fd is unused.
 * root_fd < 0: a forked child enters mntns_fd and opens the paths from
 *	that namespace's root (as statmount gives them).
 *
 * Every fds[i] is always set.  The return is -errno only when nothing
 * could be tried (not a mount namespace, setns refused, no fork), with
 * fds[] all holding that error; 0 otherwise.
 */
int	nsf_nsmounts_open(int mntns_fd, int root_fd,
	    const struct nsf_nsmount *m, size_t n, int *fds);

/*
 * The same with the helper child's deadline per batch of 64 mounts
 * (nsf_nsmounts_open: 10 s); -1 waits for ever.  A lookup can hang for
 * good on a filesystem that a container serves (FUSE, autofs), and then
 * the child is killed and the rest get -ETIMEDOUT.  Without the fork
 * (root_fd >= 0) there is no deadline.
 */
int	nsf_nsmounts_open_timeout(int mntns_fd, int root_fd,
	    const struct nsf_nsmount *m, size_t n, int *fds, int timeout_ms);

/*
 * Open path under dirfd as O_PATH, one component at a time with
 * O_NOFOLLOW, refusing symlinks (-ELOOP) and "." or ".." (-EINVAL).
 * The fallback for kernels without openat2(2); exported for tests.
 * An fd or -errno.
 */
int	nsf_path_open_compat(int dirfd, const char *path);

/*
 * Every mount namespace the kernel lets us see (6.12+), in id order,
 * as fds: NS_MNT_GET_PREV from start_fd to the first, NS_MNT_GET_NEXT
 * to the last, and a dup of start_fd in its place.  -ENOTTY on older
 * kernels, -EPERM when not allowed, -EINVAL when start_fd is no mount
 * namespace, -EMFILE when we run out of fds (there is one per mount
 * namespace).  The caller closes the fds and frees the array.
 */
int	nsf_mntns_walk(int start_fd, int **fds, size_t *n);

/*
 * The same, streaming: cb(fd, arg) for every mount namespace, with fd
 * borrowed (valid only during the call; dup it to keep it), while the
 * walk itself holds at most two fds.  A non-zero return of cb stops the
 * walk and is returned.  0 or -errno as nsf_mntns_walk().
 */
typedef int (*nsf_mntns_cb)(int, void *);
int	nsf_mntns_each(int start_fd, nsf_mntns_cb cb, void *arg);

/* mount_walk.c */

/* One mount's identity as its path gives it (nsf_nsmounts_identify). */
struct nsf_mhandle {
	/*
	 * 0, or -errno: -ETIMEDOUT the walk did not finish before the
	 * deadline (the mount, or another on the same filesystem, hung);
	 * -ECANCELED not tried (the deadline had passed); -ESTALE something
	 * else is at the path; -ECHILD the helper child failed; or the
	 * error of the lookup (-ENOENT gone, -EACCES, ...).
	 */
	int		 err;
	uint64_t	 id;	/* the namespace's 64-bit id: open by handle */
};

/*
 * The 64-bit ids of the namespaces mounted at m[0..n), by a file handle
 * of each path (6.18+), asked in a forked child: under /proc/PID/root
 * when pid > 0 (paths as that process's mountinfo gives them), else in
 * the mount namespace mntns_fd (paths from its root, as statmount gives
 * them).  Nothing is opened; a walk that has not answered by deadline
 * (CLOCK_MONOTONIC ms, nsf_now_ms) is abandoned.  0 or -ENOMEM.
 */
int	nsf_nsmounts_identify(int mntns_fd, int pid,
	    const struct nsf_nsmount *m, size_t n, struct nsf_mhandle *res,
	    long long deadline);

/* An nsfs mount found in a detached mount tree (nsf_tree_walk). */
struct nsf_treemount {
	char		*path;		/* from the root of the tree */
	uint64_t	 id;
	uint32_t	 nstype;	/* CLONE_NEW* */
	uint32_t	 ino;
};

/*
 * The nsfs mounts of the mount tree treefd (open_tree(2) clone), walked
 * in a forked child until deadline, at most 8 levels and 20,000 entries
 * deep: 0, -ETIMEDOUT (cut short: *out has what came in time), -E2BIG
 * (too many entries), or -errno.  Free with nsf_treemounts_free().
 */
int	nsf_tree_walk(int treefd, dev_t nsfs_dev, long long deadline,
	    struct nsf_treemount **out, size_t *n);
void	nsf_treemounts_free(struct nsf_treemount *, size_t);

#endif /* NSFIND_MOUNTS_H */
