/*
 * ct_docker.c - docker: the container's name from its config.v2.json
 * ("Name": "/web-1") under one of the data roots docker uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/* docker's config.v2.json "Name" is "/web-1"; several data roots exist. */
char *
docker_raw_name(const char *id, const char *rootdir)
{
	static const char *const roots[] = {
		"var/lib/docker/containers",
		"var/snap/docker/common/var-lib-docker/containers",
		NULL
	};
	char path[256], *text, *name = NULL;
	size_t i, len;

	if (!is_id64(sl_of(id)))
		return NULL;
	for (i = 0; roots[i] != NULL && name == NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s/config.v2.json", roots[i],
		    id);
		if ((text = read_small(rootdir, path, &len)) == NULL)
			continue;
		name = json_top_string(text, len, "Name");
		free(text);
	}
	return name;
}


void
ct_resolve_docker(struct nsf_container *c, const char *rootdir)
{
	if (c->name == NULL && c->id != NULL)
		take_name(c, docker_raw_name(c->id, rootdir));
}
