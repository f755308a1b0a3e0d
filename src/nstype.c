/*
 * nstype.c - the namespace type table.
 *
 * One table maps the names used in /proc/PID/ns, the CLONE_NEW* bits that
 * NS_GET_NSTYPE returns and the kernel's fixed initial inodes.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "nstype.h"

static const struct {
	const char	*name;
	int		 clone;
	uint32_t	 init_ino;
} types[NSF_NTYPES] = {
	[NSF_CGROUP] =	{ "cgroup",	CLONE_NEWCGROUP,	PROC_CGROUP_INIT_INO },
	[NSF_IPC] =	{ "ipc",	CLONE_NEWIPC,		PROC_IPC_INIT_INO },
	[NSF_MNT] =	{ "mnt",	CLONE_NEWNS,		PROC_MNT_INIT_INO },
	[NSF_NET] =	{ "net",	CLONE_NEWNET,		PROC_NET_INIT_INO },
	[NSF_PID] =	{ "pid",	CLONE_NEWPID,		PROC_PID_INIT_INO },
	[NSF_TIME] =	{ "time",	CLONE_NEWTIME,		PROC_TIME_INIT_INO },
	[NSF_USER] =	{ "user",	CLONE_NEWUSER,		PROC_USER_INIT_INO },
	[NSF_UTS] =	{ "uts",	CLONE_NEWUTS,		PROC_UTS_INIT_INO },
};

static const struct {
	const char	*name;
	enum nsf_type	 type;
} entries[NSF_NENTRIES] = {
	[NSF_E_CGROUP] =	{ "cgroup", NSF_CGROUP },
	[NSF_E_IPC] =		{ "ipc", NSF_IPC },
	[NSF_E_MNT] =		{ "mnt", NSF_MNT },
	[NSF_E_NET] =		{ "net", NSF_NET },
	[NSF_E_PID] =		{ "pid", NSF_PID },
	[NSF_E_PID_CHILDREN] =	{ "pid_for_children", NSF_PID },
	[NSF_E_TIME] =		{ "time", NSF_TIME },
	[NSF_E_TIME_CHILDREN] =	{ "time_for_children", NSF_TIME },
	[NSF_E_USER] =		{ "user", NSF_USER },
	[NSF_E_UTS] =		{ "uts", NSF_UTS },
};

const char *
nsf_type_name(enum nsf_type t)
{
	return (unsigned)t < NSF_NTYPES ? types[t].name : "?";
}

int
nsf_type_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < NSF_NTYPES; i++)
		if (strcmp(name, types[i].name) == 0)
			return i;
	/* lsns accepts the mount namespace as "mnt" only; ip and unshare say "mount" too. */
	if (strcmp(name, "mount") == 0)
		return NSF_MNT;
	for (i = 0; i < NSF_NENTRIES; i++)
		if (strcmp(name, entries[i].name) == 0)
			return entries[i].type;
	return -1;
}

int
nsf_type_from_clone(int flag)
{
	int i;

	for (i = 0; i < NSF_NTYPES; i++)
		if (types[i].clone == flag)
			return i;
	return -1;
}

int
nsf_type_clone(enum nsf_type t)
{
	return (unsigned)t < NSF_NTYPES ? types[t].clone : 0;
}

uint32_t
nsf_type_init_ino(enum nsf_type t)
{
	return (unsigned)t < NSF_NTYPES ? types[t].init_ino : 0;
}

const char *
nsf_entry_name(enum nsf_entry e)
{
	return (unsigned)e < NSF_NENTRIES ? entries[e].name : "?";
}

enum nsf_type
nsf_entry_type(enum nsf_entry e)
{
	return entries[e].type;
}

/*
 * Parse an nsfs link or mount root such as "net:[4026531833]" into a type
 * and an inode.  Returns 0, or -1 when the text is not of that form.
 */
int
nsf_parse_nslink(const char *s, int *type, uint64_t *ino)
{
	const char *colon, *p;
	char name[32], *end;
	unsigned long long v;
	size_t len;

	if (s == NULL || (colon = strchr(s, ':')) == NULL)
		return -1;
	len = colon - s;
	if (len == 0 || len >= sizeof(name) || colon[1] != '[')
		return -1;
	memcpy(name, s, len);
	name[len] = '\0';
	p = colon + 2;
	if (*p < '0' || *p > '9')
		return -1;
	v = strtoull(p, &end, 10);
	if (end[0] != ']' || end[1] != '\0')
		return -1;
	if ((*type = nsf_type_from_name(name)) < 0)
		return -1;
	*ino = v;
	return 0;
}
