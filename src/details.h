/*
 * details.h - what is inside a namespace: the few facts a person needs to
 * recognise it (its hostname, its uid map, its time offsets...).
 *
 * src_details.c fills one struct nsf_details per namespace when a view
 * wants them (the DETAILS column, -J, the NSPID column of -P);
 * view_details.c renders them.  The parsers of the procfs files they
 * come from stand alone (no graph) and have unit tests.
 */
#ifndef NSFIND_DETAILS_H
#define NSFIND_DETAILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "graph.h"
#include "json.h"
#include "netlink.h"

/* One line of uid_map or gid_map. */
struct nsf_idext {
	uint32_t	 inside, outside, count;
};

/* The NSpid chain of one task: its pid from the outermost namespace in. */
struct nsf_nspid {
	pid_t		 tid;
	int		 n;
	pid_t		*v;
};

#define NSF_DET_UNKNOWN	(-1L)

struct nsf_details {
	bool		 done;		/* a source tried */
	const char	*missing;	/* "hostname": what nothing could read */
	const char	*why;		/* "no member", "cannot enter: ..." */
	int		 err;		/* errno of the failure, or 0 */

	/* uts */
	char		*hostname, *domainname;
	/* user */
	struct nsf_idext *uid_map, *gid_map;
	size_t		 nuid, ngid;
	bool		 maps;		/* the maps were read */
	/* pid: level (0 for the initial one), and the chains of its tasks */
	int		 level;		/* -1 unknown */
	struct nsf_nspid *tasks;	/* sorted by tid */
	size_t		 ntasks, tasks_cap;
	/* time */
	bool		 offsets;	/* read */
	int64_t		 mono_sec, boot_sec;
	long		 mono_nsec, boot_nsec;
	/* cgroup */
	char		*cgroot;
	/* mnt */
	long		 nmounts;	/* -1 unknown */
	char		*rootsrc;
	/* net */
	struct nsf_ifaddr *addrs;
	size_t		 naddrs;
	bool		 addrs_read;
	/* ipc */
	bool		 ipc_read;
	long		 shm, sem, msg, mqueue;	/* mqueue -1: not counted */
};

void	nsf_details_free(struct nsf_details *);
struct nsf_details *nsf_details_get(struct nsf_ns *);	/* allocates */
const struct nsf_nspid *nsf_details_nspid(const struct nsf_ns *, pid_t);

/* Parsers (detparse.c): 0, or -EINVAL for text they cannot read. */
int	nsf_parse_idmap(const char *, struct nsf_idext **, size_t *);
int	nsf_parse_nspid(const char *, pid_t **, int *);
int	nsf_parse_timens(const char *, int64_t *, long *, int64_t *, long *);
int	nsf_parse_cgroup_path(const char *, char **);
char	*nsf_cgroup_root(const char *, const char *);
int	nsf_parse_mountinfo_root(const char *, size_t, long *, char **);

/* view_details.c */
void	nsf_details_text(const struct nsf_ns *, struct strbuf *);
void	nsf_details_json(const struct nsf_ns *, const char *, struct json *);
void	nsf_addrs_text(const struct nsf_ns *, int, struct strbuf *);
void	nsf_addrs_json(const struct nsf_ns *, int, struct json *);
void	nsf_nspid_text(const struct nsf_nspid *, struct strbuf *);

#endif
