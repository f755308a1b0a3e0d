/* nstype.h - the eight namespace types and their names. */
#ifndef NSFIND_NSTYPE_H
#define NSFIND_NSTYPE_H

#include <stdint.h>

enum nsf_type {
	NSF_CGROUP,
	NSF_IPC,
	NSF_MNT,
	NSF_NET,
	NSF_PID,
	NSF_TIME,
	NSF_USER,
	NSF_UTS,
	NSF_NTYPES
};

/* The entries of /proc/PID/ns that nsfind reads, in scan order. */
enum nsf_entry {
	NSF_E_CGROUP, NSF_E_IPC, NSF_E_MNT, NSF_E_NET, NSF_E_PID,
	NSF_E_PID_CHILDREN, NSF_E_TIME, NSF_E_TIME_CHILDREN, NSF_E_USER,
	NSF_E_UTS, NSF_NENTRIES
};

const char	*nsf_type_name(enum nsf_type);
int		 nsf_type_from_name(const char *);	/* -1 if unknown */
int		 nsf_type_from_clone(int);		/* -1 if unknown */
int		 nsf_type_clone(enum nsf_type);
uint32_t	 nsf_type_init_ino(enum nsf_type);
const char	*nsf_entry_name(enum nsf_entry);
enum nsf_type	 nsf_entry_type(enum nsf_entry);
int		 nsf_parse_nslink(const char *, int *, uint64_t *);

#endif
