/* nsfd.h - turn an open namespace fd into a graph node. */
#ifndef NSFIND_NSFD_H
#define NSFIND_NSFD_H

#include <sys/stat.h>

#include "graph.h"

struct nsf_ns	*nsf_ns_from_fd(struct nsf_graph *, int, int);
struct nsf_ns	*nsf_ns_from_stat(struct nsf_graph *, enum nsf_type,
		    const struct stat *, int, const char *);
void		 nsf_ns_close(struct nsf_ns *);
void		 nsf_graph_close_all(struct nsf_graph *);

#endif
