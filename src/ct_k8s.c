/*
 * ct_k8s.c - Kubernetes: the kubelet's "k8s_..." container names (docker
 * shim, CRI-O) and the pod and container names in its log directories.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/*
 * The name Kubernetes gives containers in docker and CRI-O:
 * "k8s_<container>_<pod>_<namespace>_<uid>_<attempt>".  None of the parts
 * may contain '_', which makes the split exact.
 */
int
k8s_name(struct sl s, struct k8sname *k)
{
	struct sl f[6];
	size_t i;

	if (sl_split(s, '_', f, 6) != 6 || !sl_eq(f[0], "k8s"))
		return 0;
	for (i = 1; i < 6; i++)
		if (!is_sane(f[i]))
			return 0;
	for (i = 0; i < f[5].n; i++)
		if (f[5].p[i] < '0' || f[5].p[i] > '9')
			return 0;
	if (!is_pod_uid(f[4]))
		return 0;
	k->ctr = f[1];
	k->pod = f[2];
	k->ns = f[3];
	k->uid = f[4];
	return 1;
}

/* Fills the Kubernetes fields from a k8s_ name where they are missing. */
void
k8s_apply(struct nsf_container *c, const struct k8sname *k)
{
	if (c->name == NULL)
		set_str(&c->name, k->ctr);
	if (c->pod_uid == NULL)
		c->pod_uid = uid_dashes(k->uid);
	if (c->pod == NULL || is_pod_uid(sl_of(c->pod)))
		set_str(&c->pod, k->pod);
	if (c->k8s_namespace == NULL)
		set_str(&c->k8s_namespace, k->ns);
}

/*
 * /var/log/pods/<namespace>_<pod>_<uid>: the kubelet's own record of
 * which pod a uid is.  No part holds '_', so the split is exact.
 */
static void
k8s_pod_from_logs(struct nsf_container *c, const char *uid,
    const char *rootdir)
{
	struct dirent *de;
	struct sl f[3];
	DIR *d;

	if ((d = opendir_under(rootdir, "var/log/pods")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (sl_split(sl_of(de->d_name), '_', f, 3) != 3 ||
		    !sl_eq(f[2], uid) || !is_sane(f[0]) || !is_sane(f[1]))
			continue;
		if (c->pod == NULL || strcmp(c->pod, uid) == 0)
			set_str(&c->pod, f[1]);
		if (c->k8s_namespace == NULL)
			set_str(&c->k8s_namespace, f[0]);
		break;
	}
	closedir(d);
}

/*
 * /var/log/containers/<pod>_<namespace>_<container>-<id>.log: symlinks
 * we only match by name, never follow.
 */
static void
k8s_ctr_from_logs(struct nsf_container *c, const char *rootdir)
{
	char pre[2 * MAX_NAME + 4], suf[ID_LEN + 8];
	struct dirent *de;
	struct sl s;
	size_t np, ns;
	DIR *d;

	if ((size_t)snprintf(pre, sizeof(pre), "%s_%s_", c->pod,
	    c->k8s_namespace) >= sizeof(pre))
		return;		/* a cut prefix could match another */
	snprintf(suf, sizeof(suf), "-%s.log", c->id);
	np = strlen(pre);
	ns = strlen(suf);
	if ((d = opendir_under(rootdir, "var/log/containers")) == NULL)
		return;
	while (c->name == NULL && (de = readdir(d)) != NULL) {
		s = sl_of(de->d_name);
		if (s.n > np + ns && sl_prefix(s, pre) && sl_suffix(s, suf) &&
		    is_sane(sl_mid(s, np, ns)))
			set_str(&c->name, sl_mid(s, np, ns));
	}
	closedir(d);
}

void
ct_resolve_k8s(struct nsf_container *c, const char *rootdir)
{
	const char *uid = c->pod_uid;
	struct k8sname k;
	char *raw;

	if (uid == NULL && c->pod != NULL && is_pod_uid(sl_of(c->pod)))
		uid = c->pod;
	if (uid != NULL && (c->k8s_namespace == NULL || c->pod == NULL ||
	    strcmp(c->pod, uid) == 0))
		k8s_pod_from_logs(c, uid, rootdir);
	if (c->name == NULL && is_id64(sl_of(c->id)) && c->pod != NULL &&
	    c->k8s_namespace != NULL && !is_pod_uid(sl_of(c->pod)))
		k8s_ctr_from_logs(c, rootdir);
	if (c->name != NULL || c->id == NULL)
		return;
	/* dockershim and CRI-O keep the kubelet's "k8s_..." name. */
	if ((raw = docker_raw_name(c->id, rootdir)) == NULL)
		raw = storage_raw_name(c->id, rootdir);
	if (raw == NULL)
		return;
	if (k8s_name(sl_of(raw[0] == '/' ? raw + 1 : raw), &k))
		k8s_apply(c, &k);
	else if (strcmp(c->engine, "cri-o") == 0) {
		take_name(c, raw);
		return;
	}
	free(raw);
}

