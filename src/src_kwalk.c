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

static int
walk_mntns(struct nsf_graph *g)
{
	struct nsf_ns *start = g->init[NSF_MNT];
	size_t n = 0, i, before = g->nns;
	int *fds = NULL, r;

	if (start == NULL || start->fd < 0) {
		for (i = 0; i < g->nns && (start == NULL || start->fd < 0); i++)
			if (g->ns[i]->type == NSF_MNT)
				start = g->ns[i];
	}
	if (start == NULL || start->fd < 0)
		return 0;
	if ((r = nsf_mntns_walk(start->fd, &fds, &n)) < 0) {
		if (r == -EPERM)
			graph_note(g, "the kernel did not let nsfind walk every mount "
			    "namespace (NS_MNT_GET_NEXT): %s", strerror(-r));
		return 0;
	}
	for (i = 0; i < n; i++)
		nsf_ns_from_fd(g, fds[i], NSF_MNT);
	free(fds);
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
src_kwalk(struct nsf_graph *g)
{
	return walk_mntns(g) + walk_listns(g);
}
