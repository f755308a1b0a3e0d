/*
 * sources.h - everything that gathers evidence into the graph.
 *
 * Each source reads the kernel and records what it finds; none prints.
 * The driver (discover.c) runs them until the graph stops growing.
 */
#ifndef NSFIND_SOURCES_H
#define NSFIND_SOURCES_H

#include <stdbool.h>

#include "graph.h"

struct nsf_scanopts {
	bool	 threads;	/* scan /proc/PID/task/TID too */
	bool	 fds;		/* fd, socket and tun holders */
	bool	 mounts;	/* bind mounts in every mount namespace */
	bool	 kernel_walk;	/* NS_MNT_GET_NEXT and listns */
	bool	 netlink;	/* interfaces of network namespaces */
	bool	 addrs;		/* and their addresses (DETAILS) */
	const char *proc;	/* procfs mount, "/proc" */
	const char *netns_dir;	/* "/run/netns" */
	const char *state_root;	/* prefix for engines' state on disk, "" */
	int	 timeout_ms;	/* all path walks together, then abandoned */
};

/* src_proc.c: processes and threads */
int	src_proc_scan(struct nsf_graph *, const struct nsf_scanopts *);
void	src_proc_details(struct nsf_graph *, struct nsf_proc *, const struct nsf_scanopts *);

/* src_fds.c: open nsfs fds, sockets and tun devices of one process */
struct nsf_fdscan;
struct nsf_frec;
struct nsf_fdscan *src_fds_new(struct nsf_graph *, const struct nsf_scanopts *);
void	src_fds_take(struct nsf_fdscan *, struct nsf_proc *, struct nsf_frec *);
void	src_fds_denied(struct nsf_fdscan *, pid_t);
void	src_fds_done(struct nsf_fdscan *);

/* src_initial.c: which namespaces are the initial ones */
void	src_initial(struct nsf_graph *, const struct nsf_scanopts *);

/* src_hier.c: owners and parents, up to the top */
int	src_hier(struct nsf_graph *);

/* src_netns.c: `ip netns` names */
void	src_netns_names(struct nsf_graph *, const struct nsf_scanopts *);

/* src_mounts.c: nsfs bind mounts in every known mount namespace */
int	src_mounts(struct nsf_graph *, const struct nsf_scanopts *);
/* The same for one mount namespace, through fd (borrowed) */
void	src_mounts_in(struct nsf_graph *, const struct nsf_scanopts *,
	    struct nsf_ns *, int);

/* src_kwalk.c: mount namespace walk (6.12+) and listns (6.19+) */
int	src_kwalk(struct nsf_graph *, const struct nsf_scanopts *);

/* src_container.c: containers, units and sandboxes behind namespaces */
void	src_containers(struct nsf_graph *, const struct nsf_scanopts *, bool);
struct nsf_container *src_proc_container(struct nsf_graph *, const struct nsf_scanopts *, pid_t);

/* src_details.c: what is inside the namespaces sel shows (NULL: all);
 * the NSpid chains of tasks */
void	src_details(struct nsf_graph *, const struct nsf_scanopts *, const bool *);
void	src_nspid(struct nsf_graph *, const struct nsf_scanopts *);

/* discover.c: run every source until nothing new appears */
struct nsf_graph *nsf_discover(const struct nsf_scanopts *);

#endif
