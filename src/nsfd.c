/*
 * nsfd.c - probe a namespace through an fd on its nsfs file, and keep the
 * number of namespace fds bounded (see nsfd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "nsfd.h"
#include "util.h"

/* fds nsfind needs besides namespace fds: workers, children, netlink. */
#define FD_RESERVE	40
#define FD_BUDGET_MAX	1024

static uint64_t
fstat_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

void
nsf_probe_fd(int fd, enum nsf_type type, struct nsf_probe *p)
{
	uint64_t id = 0;
	uid_t uid = 0;	/* valgrind does not know this ioctl writes it */

	memset(p, 0, sizeof(*p));
	if (ioctl(fd, NS_GET_ID, &id) == 0)
		p->id = id;
	if (type == NSF_USER && ioctl(fd, NS_GET_OWNER_UID, &uid) == 0) {
		p->has_creator = true;
		p->creator = uid;
	}
}

/* One step up (NS_GET_USERNS or NS_GET_PARENT): identity and probe. */
static int
probe_up(int fd, unsigned long req, enum nsf_type type, dev_t *dev,
    uint64_t *ino, struct nsf_probe *p)
{
	struct stat st;
	int ufd;

	if ((ufd = ioctl(fd, req)) < 0)
		return -errno;
	if (fstat(ufd, &st) == 0) {
		*dev = st.st_dev;
		*ino = st.st_ino;
		nsf_probe_fd(ufd, type, p);
	}
	close(ufd);
	return 0;
}

void
nsf_hprobe_fd(int fd, enum nsf_type type, struct nsf_hprobe *h)
{
	memset(h, 0, sizeof(*h));
	/* The initial user namespace has no owner: EPERM is its answer too. */
	if (!(type == NSF_USER && fstat_ino(fd) == nsf_type_init_ino(NSF_USER)) &&
	    probe_up(fd, NS_GET_USERNS, NSF_USER, &h->odev, &h->oino,
	    &h->op) == -EPERM)
		h->owner_denied = true;
	if (type == NSF_PID || type == NSF_USER)
		probe_up(fd, NS_GET_PARENT, type, &h->pdev, &h->pino, &h->pp);
}

/* Record what a worker saw above ns; src_hier then has nothing to do for it. */
void
nsf_ns_set_hprobe(struct nsf_graph *g, struct nsf_ns *ns,
    const struct nsf_hprobe *h)
{
	if (ns->hier_done)
		return;
	ns->hier_done = true;
	if (h->oino) {
		ns->owner = graph_add(g, NSF_USER, h->odev, h->oino, NULL);
		nsf_ns_set_probe(ns->owner, &h->op);
	} else if (h->owner_denied)
		graph_note_item(g, "the owner of %d namespace%s is outside "
		    "nsfind's user namespace", 0, "%s:[%llu]",
		    nsf_type_name(ns->type), (unsigned long long)ns->ino);
	if (h->pino) {
		ns->parent = graph_add(g, ns->type, h->pdev, h->pino, NULL);
		nsf_ns_set_probe(ns->parent, &h->pp);
	}
}

void
nsf_ns_set_probe(struct nsf_ns *ns, const struct nsf_probe *p)
{
	if (p->id && ns->id == 0)
		ns->id = p->id;
	if (p->has_creator && !ns->has_creator) {
		ns->has_creator = true;
		ns->creator = p->creator;
	}
	if (ns->ino == nsf_type_init_ino(ns->type))
		ns->initial = true;
}

int
nsf_open_handle(uint64_t id, enum nsf_type type, uint64_t ino)
{
	struct {
		struct file_handle fh;
		struct nsf_nsfs_file_handle nsfh;
	} h;
	int fd;

	if (id == 0 || ino > UINT32_MAX)
		return -EINVAL;
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.nsfh);
	h.fh.handle_type = NSF_FILEID_NSFS;
	h.nsfh.ns_id = id;
	h.nsfh.ns_type = (uint32_t)nsf_type_clone(type);
	h.nsfh.ns_inum = (uint32_t)ino;
	fd = open_by_handle_at(NSF_FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* CAP_SYS_ADMIN in our effective set: the right to open others' by handle. */
static bool
cap_sys_admin(void)
{
	char buf[4096], *p;
	unsigned long long eff;

	if (nsf_read_at(AT_FDCWD, "/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    (p = strstr(buf, "\nCapEff:")) == NULL)
		return false;
	eff = strtoull(p + 8, NULL, 16);
	return (eff >> 21) & 1;
}

/*
 * Handles work if our own user namespace reopens by one: a kernel before
 * 6.18 has no nsfs handles, and a later one may refuse them outside the
 * initial namespaces.  Without CAP_SYS_ADMIN, only namespaces one is in
 * reopen: then fds are kept instead, as far as the budget goes.
 */
static bool
handles_work(void)
{
	struct nsf_probe p;
	struct stat st;
	int fd, fd2;

	if ((fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	nsf_probe_fd(fd, NSF_USER, &p);
	if (fstat(fd, &st) < 0 || p.id == 0) {
		close(fd);
		return false;
	}
	close(fd);
	if ((fd2 = nsf_open_handle(p.id, NSF_USER, st.st_ino)) < 0)
		return false;
	close(fd2);
	return true;
}

void
nsf_fd_setup(struct nsf_graph *g)
{
	struct rlimit rl;
	long n = 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		n = (long)rl.rlim_cur - FD_RESERVE;
	else if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		n = FD_BUDGET_MAX;
	g->fd_budget = n < 8 ? 8 : n > FD_BUDGET_MAX ? FD_BUDGET_MAX : (int)n;
	g->handles = cap_sys_admin() && handles_work();
}

bool
nsf_ns_reopenable(const struct nsf_graph *g, const struct nsf_ns *ns)
{
	return g->handles && ns->id != 0 && !ns->unresolved;
}

/*
 * Keep fd as ns's fd, or let it go: a namespace that reopens by handle
 * needs none now, and past the budget no more are kept.
 */
static void
adopt(struct nsf_graph *g, struct nsf_ns *ns, int fd)
{
	if (nsf_ns_reopenable(g, ns) || g->fds_open >= g->fd_budget) {
		if (!nsf_ns_reopenable(g, ns))
			ns->lost = true;
		close(fd);
		return;
	}
	ns->fd = fd;
	ns->lost = ns->inode_only = false;
	g->fds_open++;
}

/*
 * Add the namespace behind fd, which this function takes over.  type is an
 * enum nsf_type, or -1 to ask the kernel.  NULL when fd is not a namespace.
 */
struct nsf_ns *
nsf_ns_from_fd(struct nsf_graph *g, int fd, int type)
{
	struct nsf_probe p;
	struct nsf_ns *ns;
	struct stat st;
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
	ns = graph_add(g, type, st.st_dev, st.st_ino, NULL);
	if (ns->fd >= 0 || (ns->id != 0 && nsf_ns_reopenable(g, ns))) {
		close(fd);
		return ns;
	}
	nsf_probe_fd(fd, type, &p);
	nsf_ns_set_probe(ns, &p);
	adopt(g, ns, fd);
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
	int fd;

	ns = graph_add(g, type, st->st_dev, st->st_ino, NULL);
	if (ns->fd >= 0 || ns->id != 0)
		return ns;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return nsf_ns_from_fd(g, fd, type);
	if (ns->ino == nsf_type_init_ino(ns->type))
		ns->initial = true;
	return ns;
}

int
nsf_ns_fd(struct nsf_graph *g, struct nsf_ns *ns)
{
	int fd;

	if (ns->fd >= 0)
		return ns->fd;
	if (!nsf_ns_reopenable(g, ns) || g->fds_open >= g->fd_budget)
		return -1;
	if ((fd = nsf_open_handle(ns->id, ns->type, ns->ino)) < 0)
		return -1;
	ns->fd = fd;
	g->fds_open++;
	return fd;
}

/*
 * Let go of a namespace once a source is done with it: an fd is a holder,
 * and a running nsfind must not keep alive what it reports on longer than
 * it has to.  The caller decides: one that cannot be reopened is gone.
 */
void
nsf_ns_close(struct nsf_graph *g, struct nsf_ns *ns)
{
	if (ns->fd < 0)
		return;
	close(ns->fd);
	ns->fd = -1;
	g->fds_open--;
}

void
nsf_graph_close_all(struct nsf_graph *g)
{
	size_t i;

	for (i = 0; i < g->nns; i++)
		nsf_ns_close(g, g->ns[i]);
}
