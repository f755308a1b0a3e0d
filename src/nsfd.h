/*
 * nsfd.h - turn an open namespace fd into a graph node, and hold as few
 * namespace fds as possible.
 *
 * Every source ends with an fd on a namespace.  The graph does not keep
 * it: where the kernel reopens namespaces by nsfs file handle (6.18+) the
 * fd is closed at once and reopened, by handle, when a source needs it
 * again (nsf_ns_fd); elsewhere it is kept within a budget taken from the
 * fd limit.  So nsfind works in a bounded number of fds however many
 * namespaces there are, and an fd it holds never pins a user's mount:
 * a handle opens the namespace through nsfs itself, not through the path
 * it was found on.
 */
#ifndef NSFIND_NSFD_H
#define NSFIND_NSFD_H

#include <stdbool.h>
#include <sys/stat.h>

#include "graph.h"

/* Probe the fd limit and whether nsfs handles work; once per graph. */
void		 nsf_fd_setup(struct nsf_graph *);

struct nsf_ns	*nsf_ns_from_fd(struct nsf_graph *, int, int);
struct nsf_ns	*nsf_ns_from_stat(struct nsf_graph *, enum nsf_type,
		    const struct stat *, int, const char *);

/* What a worker learnt from an fd it then closed (proc_gather.c). */
struct nsf_probe {
	uint64_t	 id;		/* NS_GET_ID, 0 if none */
	bool		 has_creator;
	uid_t		 creator;
};
void		 nsf_probe_fd(int, enum nsf_type, struct nsf_probe *);
void		 nsf_ns_set_probe(struct nsf_ns *, const struct nsf_probe *);

/*
 * Owner and parent, asked by a worker while it holds the namespace, so
 * that src_hier need not reopen it on one thread later.
 */
struct nsf_hprobe {
	bool		 owner_denied;	/* outside our user namespace's view */
	dev_t		 odev, pdev;
	uint64_t	 oino, pino;	/* 0: none */
	struct nsf_probe op, pp;
};
void		 nsf_hprobe_fd(int, enum nsf_type, struct nsf_hprobe *);
void		 nsf_ns_set_hprobe(struct nsf_graph *, struct nsf_ns *,
		    const struct nsf_hprobe *);

/* An fd on ns, reopened by handle if need be; -1 when it cannot be had. */
int		 nsf_ns_fd(struct nsf_graph *, struct nsf_ns *);
/* Can ns be reopened later without the fd it has now? */
bool		 nsf_ns_reopenable(const struct nsf_graph *, const struct nsf_ns *);
/* Open a namespace by handle (id, type, inode); an fd or -errno. */
int		 nsf_open_handle(uint64_t, enum nsf_type, uint64_t);
void		 nsf_ns_close(struct nsf_graph *, struct nsf_ns *);
void		 nsf_graph_close_all(struct nsf_graph *);

#endif
