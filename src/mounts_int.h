/* mounts_int.h - what the mount_*.c files share, and nothing else sees. */
#ifndef NSFIND_MOUNTS_INT_H
#define NSFIND_MOUNTS_INT_H

#include <stddef.h>

/* 0 when fd is a mount namespace; -EBADF or -EINVAL otherwise. */
int	nsf_is_mntns(int fd);
/* Close n fds. */
void	nsf_close_fds(const int *fds, size_t n);

#endif
