/*
 * proc_gather.h - read what every task's /proc entries say, in parallel.
 *
 * Reading /proc is most of nsfind's work and every process is
 * independent, so worker threads (one per CPU, at most four) read it into
 * plain records; they never touch the graph.  The procfs source then
 * merges the records into the graph in pid order, on one thread.
 */
#ifndef NSFIND_PROC_GATHER_H
#define NSFIND_PROC_GATHER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mounts.h"
#include "nsfd.h"
#include "nstype.h"

/* One /proc/.../ns entry. */
struct nsf_erec {
	dev_t		 dev;
	uint64_t	 ino;
	int		 fd;		/* kept from the first time a worker saw it, or -1 */
	int		 err;		/* 0, or the errno of the stat */
	/* what the first open told, when this record was the first */
	bool		 first;		/* this worker saw the namespace first here */
	struct nsf_hprobe *up;		/* first: its owner and parent, or NULL */
	uint64_t	 id;
	bool		 has_creator;
	uid_t		 creator;
};

/* One task: the leader first, then the other threads. */
struct nsf_trec {
	pid_t		 tid;
	bool		 read;		/* at least one entry was read */
	struct nsf_erec	 e[NSF_NENTRIES];
};

enum nsf_frec_kind { NSF_FR_NSFS, NSF_FR_SOCKET, NSF_FR_TUN, NSF_FR_URING,
	NSF_FR_TREE };

/* An fd worth a second look: on a namespace, a socket, a tun, a ring. */
struct nsf_frec {
	enum nsf_frec_kind kind;
	pid_t		 tid;		/* whose fd table: the pid, or a thread */
	int		 fd;
	int		 type;		/* NSF_FR_NSFS: the namespace type */
	uint64_t	 ino;		/* namespace or socket inode */
	int		 nsfd;		/* NSF_FR_NSFS: kept by the worker, or -1 */
	uint64_t	 id;		/* NSF_FR_NSFS: its 64-bit id, if the worker opened it */
	/* NSF_FR_ROOT: an fd that reads "/": what it is, by fstatat */
	dev_t		 dev;
};

/* RETRY: a limit (fds, memory) hit while reading; ERROR: still after a retry. */
enum nsf_prec_state { NSF_PR_OK, NSF_PR_GONE, NSF_PR_DENIED, NSF_PR_RETRY,
	NSF_PR_ERROR };

struct nsf_prec {
	pid_t		 pid;
	enum nsf_prec_state state;
	struct nsf_trec	*t;
	size_t		 nt, tcap;
	struct nsf_frec	*f;
	size_t		 nf, fcap;
	bool		 fd_denied;
	int		 err;		/* NSF_PR_ERROR: the errno */
	/*
	 * The nsfs mounts of the process's mount namespace, read by the
	 * worker that saw that namespace first (mountinfo, parsed), so that
	 * the mount source does not read it again on one thread.
	 */
	bool		 mnt_read;
	struct nsf_nsmount *mnt;
	size_t		 nmnt;
	/* a zombie: its pid and user namespaces are held until ppid reaps it */
	bool		 zombie;
	pid_t		 ppid;
};

struct nsf_gather_opts {
	const char	*proc;
	bool		 threads;
	bool		 fds;
	pid_t		 self;		/* no fds of nsfind itself */
	dev_t		 nsfs_dev;
	int		 workers;	/* 0: one per CPU, at most 4 */
	bool		 mounts;	/* read mountinfo of first-seen mount namespaces */
	/* keep the fds of first-seen namespaces (no handles to reopen them) */
	bool		 keep_fds;
	int		 fd_budget;
};

int	nsf_gather(const struct nsf_gather_opts *, struct nsf_prec **, size_t *);
void	nsf_gather_free(struct nsf_prec *, size_t);

#endif
