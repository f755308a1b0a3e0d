/*
 * src_kwalk.c - ask the kernel itself for namespaces.
 *
 * Two kernel enumerations find namespaces whose holder nsfind cannot see
 * (an fd in a process it may not inspect, an SCM_RIGHTS message in
 * flight, a kernel-internal reference): walking every mount namespace with
 * NS_MNT_GET_NEXT/PREV (6.12+) and listns(2) (6.19+), whose ids open as
 * nsfs file handles.  Where the kernel lacks them, nothing is said: the
 * other sources stand alone.  What these find and nothing else explains
 * gets the holder "unknown" (graph_finalize).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "mounts.h"
#include "nsfd.h"
#include "sources.h"
#include "util.h"

struct kwalk {
	struct nsf_graph *g;
	const struct nsf_scanopts *o;
};

/*
 * One mount namespace of the walk, its fd borrowed.  One that cannot be
 * reopened later is searched for bind mounts now, while its fd is here.
 */
static int
one_mntns(int fd, void *arg)
{
	struct kwalk *w = arg;
	struct nsf_ns *ns;
	int d;

	if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return errno == EMFILE ? 0 : -errno;
	if ((ns = nsf_ns_from_fd(w->g, d, NSF_MNT)) == NULL)
		return 0;
	if (!nsf_ns_reopenable(w->g, ns) && !ns->mounts_done && w->o->mounts)
		src_mounts_in(w->g, w->o, ns, fd);
	return 0;
}

static int
walk_mntns(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct kwalk w = { g, o };
	struct nsf_ns *start = g->init[NSF_MNT];
	size_t i, before = g->nns;
	int fd = -1, r;

	for (i = 0; i < g->nns && fd < 0; i++) {
		if (start == NULL || start->type != NSF_MNT)
			start = g->ns[i];
		if (start->type == NSF_MNT)
			fd = nsf_ns_fd(g, start);
		if (fd < 0)
			start = NULL;
	}
	if (fd < 0)
		return 0;
	r = nsf_mntns_each(fd, one_mntns, &w);
	if (nsf_ns_reopenable(g, start))
		nsf_ns_close(g, start);
	if (r == -EPERM)
		graph_note(g, "the kernel did not let nsfind walk every mount "
		    "namespace (NS_MNT_GET_NEXT): %s", strerror(-r));
	return g->nns - before;
}

/* Open a namespace by its 64-bit id alone (6.19+ handles). */
static int
open_by_id(uint64_t id)
{
	struct {
		struct file_handle fh;
		struct nsf_nsfs_file_handle nsfh;
	} h;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(h.nsfh);
	h.fh.handle_type = NSF_FILEID_NSFS;
	h.nsfh.ns_id = id;
	return open_by_handle_at(NSF_FD_NSFS_ROOT, &h.fh, O_RDONLY | O_CLOEXEC);
}

static int
walk_listns(struct nsf_graph *g)
{
	struct nsf_ns_id_req req;
	size_t cap = 1u << 20, i, before = g->nns;
	uint64_t *ids;
	ssize_t n;
	int fd, failed = 0;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	ids = xcalloc(cap, sizeof(*ids));
	/* One call with a large buffer: paging stops early on some releases. */
	n = syscall(SYS_listns, &req, ids, cap, 0);
	if (n < 0) {
		if (errno != ENOSYS && errno != ENOENT)
			graph_note(g, "listns failed: %s", strerror(errno));
		free(ids);
		return 0;
	}
	for (i = 0; i < (size_t)n; i++) {
		if ((fd = open_by_id(ids[i])) < 0) {
			failed++;
			continue;
		}
		nsf_ns_from_fd(g, fd, -1);
	}
	if (failed)
		graph_note(g, "could not open %d namespace%s that listns reported",
		    failed, failed == 1 ? "" : "s");
	free(ids);
	return g->nns - before;
}

int
src_kwalk(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	return walk_mntns(g, o) + walk_listns(g);
}
