/*
 * graph.h - the one graph of namespaces, the tasks in them and the holders
 * that keep them alive.  Sources fill it; views render it.
 */
#ifndef NSFIND_GRAPH_H
#define NSFIND_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nstype.h"

enum nsf_hkind {
	NSF_H_PROCESS,		/* a process (its leader) is a member */
	NSF_H_THREAD,		/* only non-leader threads are members */
	NSF_H_CHILDREN,		/* pid_for_children / time_for_children */
	NSF_H_OWNER,		/* it owns a live namespace (user ns) */
	NSF_H_PARENT,		/* it is the parent of a live namespace */
	NSF_H_FD,		/* an open nsfs file descriptor */
	NSF_H_SOCKET,		/* a socket created in it (net) */
	NSF_H_TUN,		/* an open tun/tap device (net) */
	NSF_H_BINDMOUNT,	/* an nsfs bind mount */
	NSF_H_ZOMBIE,		/* a zombie, until its parent reaps it */
	NSF_H_UNKNOWN,		/* the kernel lists it; nsfind cannot name why */
	NSF_H_NKINDS
};

struct nsf_ns;
struct nsf_nsmount;
struct nsf_netinfo;
struct nsf_container;
struct nsf_details;

struct nsf_holder {
	enum nsf_hkind	 kind;
	int		 count;		/* aggregated kinds: how many */
	pid_t		 pid;		/* process, or the process of a thread/fd */
	pid_t		 tid;		/* thread */
	int		 fd;		/* fd, socket, tun */
	int		 slot;		/* fd: io_uring fixed-file slot, or -1 */
	const char	*entry;		/* children: pid_for_children / time_for_children */
	char		*path;		/* bind-mount: mount point in its mount ns */
	bool		 covered;	/* bind-mount: something is mounted over it */
	bool		 tree;		/* bind-mount: in a detached mount tree that
					   fd of pid holds (open_tree) */
	char		*covered_by;	/* what: "uts:[4026532300]", "tmpfs on /x" */
	char		*ifname;	/* tun: device name, if known */
	struct nsf_ns	*mntns;		/* bind-mount: the mount ns the mount lives in */
	struct nsf_ns	*other;		/* owner/parent: the first owned or child ns */
	struct nsf_proc	*proc;		/* the process of pid, when it was scanned */
	pid_t		 ppid;		/* zombie: its parent, which must reap it */
	struct nsf_proc	*parent;	/* zombie: that parent, when scanned */
};

struct nsf_proc;

struct nsf_ns {
	enum nsf_type	 type;
	dev_t		 dev;
	uint64_t	 ino;
	uint64_t	 id;		/* NS_GET_ID, 0 when the kernel lacks it */
	int		 fd;		/* an open fd on it, or -1 */
	bool		 initial;
	bool		 self;		/* nsfind itself is in it */
	bool		 unresolved;	/* known only by a netnsid: no fd, no inode */
	int		 nsid;		/* unresolved: its id as seen_from knows it */
	struct nsf_ns	*seen_from;
	struct nsf_ns	*owner;		/* owning user ns */
	struct nsf_ns	*parent;	/* pid and user ns */
	bool		 has_creator;
	uid_t		 creator;	/* user ns: creator's uid */
	bool		 hier_done;	/* owner/parent looked up */
	bool		 lost;		/* its fd went for want of fds, and it
					   cannot be reopened */
	bool		 inode_only;	/* known from a mount table or an fdinfo
					   alone: never opened (covered, hung) */
	bool		 mounts_done;	/* mnt: its bind mounts searched */
	/* mnt: its nsfs mounts as a worker read them (proc_gather.c) */
	struct nsf_nsmount *pre_m;
	size_t		 pre_n;
	pid_t		 pre_pid;	/* from this process's mountinfo */
	bool		 pre_read;

	/* membership, from the procfs source */
	int		 nprocs;	/* processes whose leader is in it */
	int		 ntasks;	/* every task (thread) in it */
	struct nsf_proc	*proc;		/* the lowest-pid member process */
	int		 nthread_only;	/* threads in it whose leader is not */
	pid_t		 thread_tid, thread_pid;
	int		 nzombies;	/* zombies whose pid or user ns it is */
	pid_t		 zombie_pid;	/* the lowest */
	int		 nchildren;	/* processes whose *_for_children is it */
	pid_t		 children_pid;
	const char	*children_entry;

	/* explicit holders found by sources (fd, socket, tun, bind-mount) */
	struct nsf_holder *holders;
	size_t		 nholders, holders_cap;

	char		**names;	/* `ip netns` names */
	size_t		 nnames;

	/* derived by graph_finalize() */
	struct nsf_holder *all;		/* every holder, derived ones first */
	size_t		 nall;
	struct nsf_ns	**owned;	/* namespaces it owns */
	size_t		 nowned;
	struct nsf_ns	**kids;		/* namespaces it is the parent of */
	size_t		 nkids;

	struct nsf_netinfo *net;	/* interfaces (src_netlink.c) */
	struct nsf_container *container; /* who is behind it (src_container.c) */
	bool		 container_owned;
	struct nsf_details *details;	/* what is inside (src_details.c) */
	size_t		 index;		/* discovery order */
};

struct nsf_thread {
	pid_t		 tid;
	struct nsf_ns	*ns[NSF_NENTRIES];
};

struct nsf_proc {
	pid_t		 pid;
	pid_t		 ppid;
	uid_t		 uid;
	bool		 detailed;	/* comm, cmdline, ppid read */
	bool		 kthread;
	bool		 zombie;	/* exited, not reaped: ppid must wait() */
	char		*comm;
	char		*cmdline;	/* spaces between arguments */
	char		*argv;		/* as the kernel has it: NUL between arguments */
	size_t		 argvlen;
	char		*user;
	struct nsf_ns	*ns[NSF_NENTRIES];
	struct nsf_thread *threads;	/* threads whose namespaces differ */
	size_t		 nthr, thr_cap;
	struct nsf_container *container;
	bool		 container_done;
};

struct nsf_graph {
	struct nsf_ns	**ns;		/* in discovery order */
	size_t		 nns, ns_cap;
	struct nsf_ns	**tab;		/* hash on (dev, ino) */
	size_t		 tabsize;
	struct nsf_proc	**procs;	/* in pid order */
	size_t		 nprocs, procs_cap;
	dev_t		 nsfs_dev;
	struct nsf_ns	*init[NSF_NTYPES];
	int		 uninspected;	/* processes nsfind was refused */
	/* fds on namespaces: nsfd.c keeps them bounded */
	int		 fds_open;	/* held now */
	int		 fd_budget;	/* at most this many at a time */
	bool		 handles;	/* reopen by nsfs file handle (6.18+) */
	/*
	 * What nsfind knows it could not examine because of a limit (fds,
	 * memory, a filesystem that did not answer in time), not because it
	 * was refused: the run then exits with status 3.
	 */
	int		 incomplete;
	/*
	 * Path walks (which a hung filesystem can block) share one budget
	 * of time, --timeout: each gets what is left, and what it took is
	 * taken off.  Only walks count, not the rest of the scan.
	 */
	long long	 walk_left;	/* ms */
	struct nsf_notegroup *groups;	/* grouped notes, see graph_note_item */
	size_t		 ngroups;
	char		**notes;
	size_t		 nnotes, notes_cap;
	bool		 finalized;
};

struct nsf_graph *graph_new(void);
void		 graph_free(struct nsf_graph *);
struct nsf_ns	*graph_find(struct nsf_graph *, dev_t, uint64_t);
struct nsf_ns	*graph_add(struct nsf_graph *, enum nsf_type, dev_t, uint64_t, bool *);
struct nsf_ns	*graph_find_ino(struct nsf_graph *, uint64_t);
struct nsf_ns	*graph_add_unresolved(struct nsf_graph *, enum nsf_type);
struct nsf_proc	*graph_add_proc(struct nsf_graph *, pid_t);
struct nsf_proc	*graph_find_proc(struct nsf_graph *, pid_t);
struct nsf_holder *graph_add_holder(struct nsf_ns *, const struct nsf_holder *);
void		 graph_add_name(struct nsf_ns *, const char *);
void		 graph_note(struct nsf_graph *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 graph_note_item(struct nsf_graph *, const char *, int,
		     const char *, ...) __attribute__((format(printf, 4, 5)));
void		 graph_finalize(struct nsf_graph *);
long long	 graph_walk_begin(struct nsf_graph *, long long *);
void		 graph_walk_end(struct nsf_graph *, long long);

const char	*nsf_hkind_name(enum nsf_hkind);
int		 nsf_hkind_from_name(const char *);
bool		 nsf_ns_hidden(const struct nsf_ns *);

#endif
