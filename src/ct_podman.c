/*
 * ct_podman.c - podman (and CRI-O's storage): container names from
 * containers/storage's containers.json, pod names from libpod's bbolt
 * state, where its "id-registry" bucket maps every container and pod id
 * to its name.
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

#define PODMAN_DB	"var/lib/containers/storage/libpod/bolt_state.db"

char *
storage_raw_name(const char *id, const char *rootdir)
{
	char *text, *name;
	size_t len;

	if (!is_ident(sl_of(id), MAX_CTR_ID))
		return NULL;
	text = read_small(rootdir,
	    "var/lib/containers/storage/overlay-containers/containers.json",
	    &len);
	if (text == NULL)
		return NULL;
	name = json_storage_name(text, len, id);
	free(text);
	return name;
}

/* The name libpod registered for a container or pod id. */
char *
podman_bolt_name(const char *id, const char *rootdir)
{
	if (!is_id64(sl_of(id)))
		return NULL;
	return bolt_get(rootdir, PODMAN_DB, "id-registry", id);
}

/*
 * The pod is known by id from the cgroup; its name only from libpod's
 * database.  The id stays in pod_uid (JSON "pod_id").
 */
void
ct_resolve_podman(struct nsf_container *c, const char *rootdir)
{
	char *raw;

	if (c->name == NULL && c->id != NULL) {
		if ((raw = storage_raw_name(c->id, rootdir)) == NULL)
			raw = podman_bolt_name(c->id, rootdir);
		take_name(c, raw);
	}
	if (c->pod == NULL || !is_id64(sl_of(c->pod)))
		return;
	if (c->pod_uid == NULL)
		set_str(&c->pod_uid, sl_of(c->pod));
	if ((raw = podman_bolt_name(c->pod, rootdir)) != NULL &&
	    is_sane(sl_of(raw)))
		set_str(&c->pod, sl_of(raw));
	free(raw);
}
