/*
 * src_netns.c - the names `ip netns` gives network namespaces.
 *
 * `ip netns add NAME` bind-mounts a netns on /run/netns/NAME.  The mount
 * itself is a bind-mount holder, found by the mount source; this source
 * only attaches the names.  Entries are opened without following links.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "kernel.h"
#include "nsfd.h"
#include "sources.h"

void
src_netns_names(struct nsf_graph *g, const struct nsf_scanopts *o)
{
	struct dirent *de;
	struct statfs sfs;
	struct nsf_ns *ns;
	int dfd, fd;
	DIR *d;

	if ((dfd = open(o->netns_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;	/* a name left behind with no mount */
		if (fstatfs(fd, &sfs) < 0 || sfs.f_type != NSFS_MAGIC) {
			close(fd);
			continue;
		}
		if ((ns = nsf_ns_from_fd(g, fd, -1)) != NULL &&
		    ns->type == NSF_NET)
			graph_add_name(ns, de->d_name);
	}
	closedir(d);
}
