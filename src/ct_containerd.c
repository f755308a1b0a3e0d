/*
 * ct_containerd.c - containerd: its container ids are the names users
 * gave ("ctr run IMAGE ctr1"); what is left to settle is a docker
 * container that only looks like containerd's layout.
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/*
 * docker started with --cgroup-parent=/ci puts a container at
 * "/ci/<id>", which looks like containerd's own layout; docker's config
 * for the id settles it.
 */
static void
containerd_docker(struct nsf_container *c, const char *rootdir)
{
	char *engine;

	take_name(c, docker_raw_name(c->id, rootdir));
	if (c->name == NULL || (engine = strdup("docker")) == NULL)
		return;
	free(c->engine);
	c->engine = engine;
}

void
ct_resolve_containerd(struct nsf_container *c, const char *rootdir)
{
	if (c->name == NULL && c->id != NULL && is_id64(sl_of(c->id)))
		containerd_docker(c, rootdir);
}
