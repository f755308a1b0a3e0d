/*
 * container.c - name the container, pod, unit or sandbox behind a process:
 * the engines' names filled in from disk, the one-cell label, and freeing.
 *
 * The evidence itself is read by the ct_*.c files: ct_cgroup.c (cgroup
 * paths), ct_ancestry.c (shims and monitors above a process),
 * ct_cmdline.c (the process's own command line), and one file per
 * engine for the names it leaves on disk (ct_docker.c, ct_podman.c,
 * ct_containerd.c, ct_k8s.c, ct_runc.c, ct_sandbox.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/* Takes RAW (owned) as c->name if it is printable; docker's '/' goes. */
void
take_name(struct nsf_container *c, char *raw)
{
	struct sl s = sl_of(raw);

	if (s.n > 0 && s.p[0] == '/')
		s = sl_mid(s, 1, 0);
	if (c->name == NULL && is_sane(s))
		set_str(&c->name, s);
	free(raw);
}

/*
 * Names come only from files the engines keep on disk, never from their
 * sockets: asking a daemon would make nsfind depend on it and could be
 * answered by whoever owns the socket.
 */
void
nsf_container_resolve_name(struct nsf_container *c, const char *rootdir)
{
	if (c == NULL || c->engine == NULL)
		return;
	if (strcmp(c->engine, "docker") == 0)
		ct_resolve_docker(c, rootdir);
	else if (strcmp(c->engine, "containerd") == 0)
		ct_resolve_containerd(c, rootdir);
	else if (strcmp(c->engine, "podman") == 0)
		ct_resolve_podman(c, rootdir);
	else if (strcmp(c->engine, "kubernetes") == 0 ||
	    strcmp(c->engine, "cri-o") == 0)
		ct_resolve_k8s(c, rootdir);
	else
		ct_resolve_sandbox(c, rootdir);
}

/*
 * Labels.
 */

/* "a/b/c" from the parts that are not NULL; NULL when all are. */
static char *
join3(const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t i, len = 0;
	char *r;

	for (i = 0; i < 3; i++)
		if (parts[i] != NULL)
			len += strlen(parts[i]) + 1;
	if (len == 0 || (r = malloc(len)) == NULL)
		return NULL;
	r[0] = '\0';
	for (i = 0; i < 3; i++) {
		if (parts[i] == NULL)
			continue;
		if (r[0] != '\0')
			strcat(r, "/");
		strcat(r, parts[i]);
	}
	return r;
}

/*
 * Who, in a word: the name, else the id shortened as docker and podman
 * show it.
 */
static const char *
label_who(const struct nsf_container *c, char *buf, size_t size)
{
	if (c->name != NULL)
		return c->name;
	if (c->id == NULL)
		return NULL;
	if (!is_id64(sl_of(c->id)))
		return c->id;
	snprintf(buf, size, "%.*s", SHORT_ID, c->id);
	return buf;
}

/*
 * A table cell: "web-1 (docker)", "default/nginx-7d/nginx (kubernetes)",
 * "app1 (podman, pod p1)", "nsft/ctr1 (containerd)", "host",
 * "lxd.daemon (snap)", "c1 (lxc monitor)", or the unit when there is no
 * engine.  Anything that knows its Kubernetes namespace (a CRI-O conmon)
 * is shown by pod, as Kubernetes users know it.
 */
char *
nsf_container_label(const struct nsf_container *c)
{
	char idbuf[SHORT_ID + 1], *what = NULL, *r = NULL;
	const char *who, *tag;
	int n;

	if (c == NULL || c->engine == NULL)
		return c != NULL && c->unit != NULL ? strdup(c->unit) : NULL;
	if (strcmp(c->engine, "host") == 0)
		return strdup("host");
	who = label_who(c, idbuf, sizeof(idbuf));
	tag = c->monitor ? " monitor" : "";
	if (strcmp(c->engine, "kubernetes") == 0 || c->k8s_namespace != NULL)
		what = join3(c->k8s_namespace, c->pod, who);
	else if (strcmp(c->engine, "containerd") == 0)
		what = join3(c->ctr_namespace, who, NULL);
	else if (strcmp(c->engine, "snap") == 0 && c->name != NULL &&
	    c->id != NULL && strcmp(c->name, c->id) != 0) {
		if (asprintf(&what, "%s.%s", c->name, c->id) < 0)
			what = NULL;
	} else if (who != NULL)
		what = strdup(who);
	if (what == NULL)
		n = asprintf(&r, "%s%s", c->engine, tag);
	else if (c->pod != NULL && strcmp(c->engine, "kubernetes") != 0 &&
	    c->k8s_namespace == NULL)
		n = asprintf(&r, "%s (%s%s, pod %.*s)", what, c->engine, tag,
		    is_id64(sl_of(c->pod)) ? SHORT_ID : MAX_NAME, c->pod);
	else
		n = asprintf(&r, "%s (%s%s)", what, c->engine, tag);
	free(what);
	return n < 0 ? NULL : r;
}

void
nsf_container_free(struct nsf_container *c)
{
	if (c == NULL)
		return;
	free(c->engine);
	free(c->id);
	free(c->name);
	free(c->pod);
	free(c->k8s_namespace);
	free(c->unit);
	free(c->pod_uid);
	free(c->ctr_namespace);
	memset(c, 0, sizeof(*c));
}

