/*
 * src_initial.c - which namespaces are the initial ones.
 *
 * /proc/1/ns may be unreadable even for root (PID 1 may hold a capability
 * the caller lacks), so nsfind never relies on it.  Where the kernel gives
 * the initial namespaces fixed inodes (all types from 6.18, all but net and
 * mnt before), the inode says it; otherwise kthreadd (PID 2), which always
 * lives in the initial namespaces, does.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsfd.h"
#include "sources.h"

/* Add the namespaces of one task we can read anyway (kthreadd, ourselves). */
static void
add_task(struct nsf_graph *g, const char *proc, const char *who, bool mark,
    bool self)
{
	char path[128];
	struct stat st;
	struct nsf_ns *ns;
	int e, nsdir;

	snprintf(path, sizeof(path), "%s/%s/ns", proc, who);
	if ((nsdir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	for (e = 0; e < NSF_NENTRIES; e++) {
		if (fstatat(nsdir, nsf_entry_name(e), &st, 0) < 0)
			continue;
		ns = nsf_ns_from_stat(g, nsf_entry_type(e), &st, nsdir,
		    nsf_entry_name(e));
		ns->self |= self;
		if (mark && g->nsfs_dev == 0)
			g->nsfs_dev = st.st_dev;
		if (mark && !ns->initial && ns->ino != nsf_type_init_ino(ns->type) &&
		    (ns->type == NSF_NET || ns->type == NSF_MNT))
			ns->initial = true;
	}
	close(nsdir);
}

void
src_initial(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct nsf_ns *ns;
	bool fixed_netmnt = false;
	size_t i;

	add_task(g, o->proc, "self", false, true);
	/* Does this kernel give net and mnt fixed initial inodes (6.18+)? */
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (g->nsfs_dev == 0)
			g->nsfs_dev = ns->dev;
		if ((ns->type == NSF_NET || ns->type == NSF_MNT) &&
		    ns->ino == nsf_type_init_ino(ns->type))
			fixed_netmnt = true;
	}
	add_task(g, o->proc, "2", !fixed_netmnt, false);
	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (ns->ino == nsf_type_init_ino(ns->type) && ns->dev == g->nsfs_dev)
			ns->initial = true;
		if (ns->initial && g->init[ns->type] == NULL)
			g->init[ns->type] = ns;
	}
}
