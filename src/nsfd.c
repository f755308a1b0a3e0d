/*
 * nsfd.c - probe a namespace through an fd on its nsfs file.
 *
 * Every source ends here: whatever the evidence (a /proc link, an fd copied
 * from another process, a bind mount, a kernel walk), it becomes an fd, and
 * the fd gives identity (dev, ino), type, the 64-bit id and, for a user
 * namespace, its creator.  The graph keeps one fd per namespace so that the
 * hierarchy, mount and netlink sources can use it later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "nsfd.h"

static void
probe(struct nsf_ns *ns, int fd)
{
	uint64_t id = 0;
	uid_t uid = 0;	/* valgrind does not know this ioctl writes it */

	if (ioctl(fd, NS_GET_ID, &id) == 0)
		ns->id = id;
	if (ns->type == NSF_USER && ioctl(fd, NS_GET_OWNER_UID, &uid) == 0) {
		ns->has_creator = true;
		ns->creator = uid;
	}
	if (ns->ino == nsf_type_init_ino(ns->type))
		ns->initial = true;
}

/*
 * Add the namespace behind fd, which this function takes over.  type is an
 * enum nsf_type, or -1 to ask the kernel.  NULL when fd is not a namespace.
 */
struct nsf_ns *
nsf_ns_from_fd(struct nsf_graph *g, int fd, int type)
{
	struct nsf_ns *ns;
	struct stat st;
	bool isnew;
	int flag;

	if (fd < 0)
		return NULL;
	if (type < 0) {
		if ((flag = ioctl(fd, NS_GET_NSTYPE)) < 0 ||
		    (type = nsf_type_from_clone(flag)) < 0) {
			close(fd);
			return NULL;
		}
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	ns = graph_add(g, type, st.st_dev, st.st_ino, &isnew);
	if (ns->fd < 0) {
		ns->fd = fd;
		probe(ns, fd);
	} else
		close(fd);
	return ns;
}

/*
 * The procfs fast path: the caller already has the stat of a
 * /proc/PID/ns/NAME link; only a namespace seen for the first time is
 * opened (through dirfd/name) and probed.
 */
struct nsf_ns *
nsf_ns_from_stat(struct nsf_graph *g, enum nsf_type type,
    const struct stat *st, int dirfd, const char *name)
{
	struct nsf_ns *ns;
	bool isnew;
	int fd;

	ns = graph_add(g, type, st->st_dev, st->st_ino, &isnew);
	if (ns->fd >= 0)
		return ns;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ns->fd = fd;
		probe(ns, fd);
	} else if (ns->ino == nsf_type_init_ino(ns->type))
		ns->initial = true;
	return ns;
}

/*
 * Let go of a namespace once no source needs its fd any more: an fd is a
 * holder, and a running nsfind must not keep alive what it reports on
 * longer than it has to (overlapping runs would keep each other's dead
 * namespaces alive).  A source that meets the namespace again may adopt
 * a new fd (nsf_ns_from_fd).
 */
void
nsf_ns_close(struct nsf_ns *ns)
{
	if (ns->fd >= 0) {
		close(ns->fd);
		ns->fd = -1;
	}
}

void
nsf_graph_close_all(struct nsf_graph *g)
{
	size_t i;

	for (i = 0; i < g->nns; i++)
		nsf_ns_close(g->ns[i]);
}
