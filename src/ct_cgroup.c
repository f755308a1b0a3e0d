/*
 * ct_cgroup.c - the container a cgroup path names.
 *
 * A path is walked from the root down and every component that names a
 * container replaces what was found above it, so the innermost engine
 * wins: a Kubernetes pod inside a kind node inside docker is a pod.
 * Adding an engine's cgroup layout is one match_*() and a line in
 * walk_component().
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/* What a path says, as slices into it, until it is copied out. */
struct hit {
	const char	*engine;
	struct sl	 id, name, pod, ns;
	int		 name_escaped;	/* needs unescape() */
	int		 pod_is_uid;	/* a k8s uid, needs dashes */
	int		 monitor;
};

struct walk {
	struct hit	 hit;
	struct sl	 unit;		/* last .service or .scope */
	struct sl	 prev;		/* previous component */
	size_t		 depth;		/* index of component */
	int		 kube;		/* below a kubepods cgroup */
	struct sl	 kpod;		/* its pod uid, once seen */
	struct sl	 ppod;		/* podman pod id, once seen */
	size_t		 nspawn_at;	/* 1 + depth of nspawn */
};

enum rt {
	RT_NONE, RT_CRI_CONTAINERD, RT_CRIO, RT_CRIO_CONMON, RT_DOCKER,
	RT_LIBPOD, RT_LIBPOD_CONMON
};

/* Longer prefixes first: "crio-conmon-" must not be read as "crio-". */
static const struct {
	const char	*prefix;
	enum rt		 rt;
} runtimes[] = {
	{ "cri-containerd-",	RT_CRI_CONTAINERD },
	{ "crio-conmon-",	RT_CRIO_CONMON },
	{ "crio-",		RT_CRIO },
	{ "docker-",		RT_DOCKER },
	{ "libpod-conmon-",	RT_LIBPOD_CONMON },
	{ "libpod-",		RT_LIBPOD },
};

static struct hit *
hit_new(struct walk *w, const char *engine)
{
	memset(&w->hit, 0, sizeof(w->hit));
	w->hit.engine = engine;
	return &w->hit;
}

/*
 * A component that is a container of its own starts a new world: a
 * kubepods tree above it no longer frames what is below.
 */
static struct hit *
hit_outer(struct walk *w, const char *engine)
{
	w->kube = 0;
	w->kpod = sl_none;
	w->ppod = sl_none;
	return hit_new(w, engine);
}

/*
 * "<runtime>-<id>.scope" as the systemd cgroup driver names containers,
 * or "<runtime>-<id>" as cgroupfs drivers do.
 */
static enum rt
runtime_scope(struct sl c, struct sl *id)
{
	size_t i, n;

	if (sl_suffix(c, ".scope"))
		c.n -= strlen(".scope");
	for (i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if (!sl_prefix(c, runtimes[i].prefix))
			continue;
		n = strlen(runtimes[i].prefix);
		*id = sl_mid(c, n, 0);
		return is_id64(*id) ? runtimes[i].rt : RT_NONE;
	}
	return RT_NONE;
}

/* "/docker/<id>": docker's cgroupfs driver. */
static int
match_docker_dir(struct walk *w, struct sl c)
{
	if (!sl_eq(w->prev, "docker") || !is_id64(c))
		return 0;
	hit_outer(w, "docker")->id = c;
	return 1;
}

/*
 * containerd on its own puts a container at "/<namespace>/<id>".  The
 * shape is so plain that we only take it at the top of the tree, with a
 * real 64-hex id, and with a namespace that is not another engine's
 * directory ("/dockerfoo/<id>") or a systemd unit.
 */
static int
ctr_namespace_ok(struct sl ns)
{
	static const char *const taken[] = {
		"docker", "lxc", "kube", "libpod", "machine", "crio", "podman",
		"snap", "system", "user", "init", NULL
	};
	size_t i;

	if (!is_ident(ns, MAX_NAME) || is_id64(ns) ||
	    sl_suffix(ns, ".slice") || sl_suffix(ns, ".scope") ||
	    sl_suffix(ns, ".service"))
		return 0;
	for (i = 0; taken[i] != NULL; i++)
		if (sl_prefix(ns, taken[i]))
			return 0;
	/* "/pod<uid>/<id>" is a pod whose kubepods parent we cannot see */
	return !(sl_prefix(ns, "pod") && is_pod_uid(sl_mid(ns, 3, 0)));
}

static int
match_containerd(struct walk *w, struct sl c)
{
	struct hit *h;

	if (w->depth != 1 || !is_id64(c) || !ctr_namespace_ok(w->prev))
		return 0;
	h = hit_outer(w, sl_eq(w->prev, "moby") ? "docker" : "containerd");
	h->id = c;
	h->ns = w->prev;
	return 1;
}

/*
 * The systemd slice naming of nesting: "a-b-c.slice" is c inside b
 * inside a.  Given the stem "a-b-c", returns the last dash part and
 * says whether any part is "kubepods" (also "kubelet-kubepods-..." when
 * the tree is nested).
 */
static struct sl
slice_leaf(struct sl stem, int *kubepods)
{
	size_t i, start = 0;

	*kubepods = 0;
	for (i = 0; i <= stem.n; i++) {
		if (i < stem.n && stem.p[i] != '-')
			continue;
		if (sl_eq(sl_mid(stem, start, stem.n - i), "kubepods"))
			*kubepods = 1;
		if (i < stem.n)
			start = i + 1;
	}
	return sl_mid(stem, start, 0);
}

/*
 * Kubernetes: "kubepods" (cgroupfs) or a "...kubepods...slice" starts
 * the tree, QoS levels are passed through, "pod<uid>" (cgroupfs) or a
 * "...-pod<uid with _>.slice" names the pod, and the container is a bare
 * id (cgroupfs) or a runtime scope, handled in match_runtime().
 */
static int
match_kube(struct walk *w, struct sl c)
{
	struct sl leaf = c, uid;
	int kubepods = 0;
	struct hit *h;

	if (sl_eq(c, "kubepods"))
		kubepods = 1;
	else if (sl_inner(c, "", ".slice", &leaf))
		leaf = slice_leaf(leaf, &kubepods);
	if (kubepods) {
		w->kube = 1;
		w->kpod = sl_none;
	}
	if (!w->kube)
		return 0;
	if (sl_prefix(leaf, "pod") && is_pod_uid(uid = sl_mid(leaf, 3, 0))) {
		w->kpod = uid;
		h = hit_new(w, "kubernetes");
		h->pod = uid;
		h->pod_is_uid = 1;
		return 1;
	}
	if (w->kpod.n > 0 && is_id64(c)) {
		h = hit_new(w, "kubernetes");
		h->id = c;
		h->pod = w->kpod;
		h->pod_is_uid = 1;
		return 1;
	}
	return kubepods;
}

/* Podman pods: "machine-libpod_pod_<id>.slice", "/libpod_parent/<id>". */
static int
match_podman_pod(struct walk *w, struct sl c)
{
	struct sl leaf, id;
	int kubepods;

	if (sl_eq(w->prev, "libpod_parent") && is_id64(c))
		id = c;
	else if (!sl_inner(c, "", ".slice", &leaf) ||
	    !sl_inner(slice_leaf(leaf, &kubepods), "libpod_pod_", "", &id) ||
	    !is_id64(id))
		return 0;
	hit_outer(w, "podman")->pod = id;
	w->ppod = id;
	return 1;
}

static int
match_runtime(struct walk *w, struct sl c)
{
	static const char *const alone[] = {
		[RT_CRI_CONTAINERD] = "containerd", [RT_CRIO] = "cri-o",
		[RT_CRIO_CONMON] = "cri-o", [RT_DOCKER] = "docker",
	};
	struct sl id, ppod = w->ppod, kpod = w->kpod;
	enum rt rt;
	struct hit *h;

	if ((rt = runtime_scope(c, &id)) == RT_NONE)
		return 0;
	if (rt == RT_LIBPOD || rt == RT_LIBPOD_CONMON) {
		h = hit_outer(w, "podman");
		h->pod = ppod;
		w->ppod = ppod;
	} else if (w->kube && kpod.n > 0) {
		h = hit_new(w, "kubernetes");
		h->pod = kpod;
		h->pod_is_uid = 1;
	} else
		h = hit_outer(w, alone[rt]);
	h->id = id;
	h->monitor = rt == RT_CRIO_CONMON || rt == RT_LIBPOD_CONMON;
	return 1;
}

/* LXC 4+: "lxc.payload.<name>", "lxc.monitor.<name>"; older "/lxc/<name>". */
static int
match_lxc(struct walk *w, struct sl c)
{
	struct sl name;
	int monitor = 0;

	if (sl_prefix(c, "lxc.payload."))
		name = sl_mid(c, strlen("lxc.payload."), 0);
	else if (sl_prefix(c, "lxc.monitor.")) {
		name = sl_mid(c, strlen("lxc.monitor."), 0);
		monitor = 1;
	} else if (sl_eq(w->prev, "lxc"))
		name = c;
	else
		return 0;
	if (!is_sane(name))
		return 0;
	hit_outer(w, "lxc")->name = name;
	w->hit.monitor = monitor;
	return 1;
}

/*
 * systemd-nspawn registers "machine-<name>.scope", or runs as
 * "systemd-nspawn@<name>.service" with the payload and its own
 * "supervisor" in child cgroups.  libvirt also registers machines
 * ("machine-qemu\x2d1\x2dvm.scope"): those are not nspawn's.
 */
static int
match_nspawn(struct walk *w, struct sl c)
{
	struct sl name;

	if (w->hit.engine != NULL && strcmp(w->hit.engine, "systemd-nspawn")
	    == 0 && w->nspawn_at == w->depth && sl_eq(c, "supervisor")) {
		w->hit.monitor = 1;
		return 1;
	}
	if (!sl_inner(c, "machine-", ".scope", &name) &&
	    !sl_inner(c, "systemd-nspawn@", ".service", &name))
		return 0;
	if (sl_prefix(name, "qemu\\x2d") || sl_prefix(name, "lxc\\x2d") ||
	    !is_sane(name))
		return 0;
	hit_outer(w, "systemd-nspawn")->name = name;
	w->hit.name_escaped = 1;
	w->nspawn_at = w->depth + 1;
	return 1;
}

/*
 * snapd: "snap.<snap>.<app>.service" for daemons and
 * "snap.<snap>.<app>-<uuid>.scope" for apps started by a user (hooks
 * are "snap.<snap>.hook.<hook>-<uuid>.scope").
 */
static int
match_snap(struct walk *w, struct sl c)
{
	struct sl stem, f[2], app;
	struct hit *h;

	if (!sl_inner(c, "snap.", ".service", &stem) &&
	    !sl_inner(c, "snap.", ".scope", &stem))
		return 0;
	if (stem.n > 37 && (stem.p[stem.n - 37] == '-' ||
	    stem.p[stem.n - 37] == '.') &&
	    is_uuid(sl_mid(stem, stem.n - 36, 0)))
		stem.n -= 37;
	if (sl_split(stem, '.', f, 1) == 1)
		return 0;
	app = sl_mid(stem, f[0].n + 1, 0);
	if (!is_ident(f[0], MAX_NAME) || !is_sane(app))
		return 0;
	h = hit_outer(w, "snap");
	h->name = f[0];
	h->id = app;
	return 1;
}

/* Flatpak: "app-flatpak-<escaped app id>-<pid>.scope". */
static int
match_flatpak(struct walk *w, struct sl c)
{
	struct sl stem;
	size_t i;

	if (!sl_inner(c, "app-flatpak-", ".scope", &stem))
		return 0;
	for (i = stem.n; i > 0 && stem.p[i - 1] >= '0' && stem.p[i - 1] <= '9';
	    i--)
		;
	if (i == stem.n || i < 2 || stem.p[i - 1] != '-')
		return 0;
	stem.n = i - 1;
	if (!is_sane(stem))
		return 0;
	hit_outer(w, "flatpak")->name = stem;
	w->hit.name_escaped = 1;
	return 1;
}

static void
walk_component(struct walk *w, struct sl c)
{
	if (sl_eq(c, ".."))
		return;		/* beyond our cgroup namespace */
	if ((sl_suffix(c, ".service") || sl_suffix(c, ".scope")) && is_sane(c))
		w->unit = c;
	(void)(match_docker_dir(w, c) || match_podman_pod(w, c) ||
	    match_containerd(w, c) || match_runtime(w, c) ||
	    match_kube(w, c) || match_lxc(w, c) || match_nspawn(w, c) ||
	    match_snap(w, c) || match_flatpak(w, c));
	w->prev = c;
	w->depth++;
}

static void
walk_path(struct sl path, struct walk *w)
{
	size_t i = 0, j;

	memset(w, 0, sizeof(*w));
	while (i < path.n) {
		while (i < path.n && path.p[i] == '/')
			i++;
		for (j = i; j < path.n && path.p[j] != '/'; j++)
			;
		if (j > i)
			walk_component(w, sl_mid(path, i, path.n - j));
		i = j;
	}
}

/*
 * One "hierarchy:controllers:path" line.  The tier orders evidence: the
 * unified v2 line first, then systemd's named v1 hierarchy, then the
 * other v1 controllers.
 */
static int
parse_line(struct sl line, struct sl *path, int *tier)
{
	struct sl hier, ctl;
	const char *c1, *c2;
	size_t i;

	if ((c1 = memchr(line.p, ':', line.n)) == NULL)
		return 0;
	hier = sl_mid(line, 0, line.n - (size_t)(c1 - line.p));
	line = sl_mid(line, hier.n + 1, 0);
	if ((c2 = memchr(line.p, ':', line.n)) == NULL)
		return 0;
	ctl = sl_mid(line, 0, line.n - (size_t)(c2 - line.p));
	*path = sl_mid(line, ctl.n + 1, 0);
	if (hier.n == 0 || path->n == 0 || path->p[0] != '/')
		return 0;
	for (i = 0; i < hier.n; i++)
		if (hier.p[i] < '0' || hier.p[i] > '9')
			return 0;
	if (sl_suffix(*path, " (deleted)"))
		path->n -= strlen(" (deleted)");
	if (sl_eq(hier, "0") && ctl.n == 0)
		*tier = 0;
	else if (sl_eq(ctl, "name=systemd"))
		*tier = 1;
	else
		*tier = 2;
	return 1;
}

static int
export_hit(const struct hit *h, struct nsf_container *out)
{
	out->source = "cgroup";
	out->monitor = h->monitor;
	out->engine = strdup(h->engine);
	if (h->id.n > 0)
		out->id = sl_dup(h->id);
	if (h->name.n > 0)
		out->name = h->name_escaped ? unescape(h->name) :
		    sl_dup(h->name);
	if (h->pod.n > 0) {
		out->pod = h->pod_is_uid ? uid_dashes(h->pod) : sl_dup(h->pod);
		if (h->pod_is_uid)
			out->pod_uid = uid_dashes(h->pod);
	}
	if (h->ns.n > 0)
		out->ctr_namespace = sl_dup(h->ns);
	if (out->engine == NULL || (h->id.n > 0 && out->id == NULL) ||
	    (h->name.n > 0 && out->name == NULL) ||
	    (h->pod.n > 0 && out->pod == NULL) ||
	    (h->pod_is_uid && out->pod_uid == NULL) ||
	    (h->ns.n > 0 && out->ctr_namespace == NULL)) {
		nsf_container_free(out);
		return 0;
	}
	return 1;
}

/*
 * Tries every line of one tier; returns 1 with *out filled when one of
 * them names a container, and remembers the first unit seen.
 */
static int
cgroup_tier(const char *text, int want, struct sl *unit,
    struct nsf_container *out)
{
	const char *p = text, *nl;
	struct sl line, path;
	struct walk w;
	int tier;

	for (; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		line.p = p;
		line.n = (size_t)(nl - p);
		if (!parse_line(line, &path, &tier) || tier != want)
			continue;
		walk_path(path, &w);
		if (w.hit.engine != NULL)
			return export_hit(&w.hit, out);
		if (unit->n == 0)
			*unit = w.unit;
	}
	return 0;
}

/*
 * A container pattern on any line beats a plain unit on a better line:
 * on hybrid hosts docker's cgroupfs driver leaves the v2 line at the
 * daemon's unit while the v1 lines say "/docker/<id>".
 */
int
nsf_container_from_cgroup(const char *text, struct nsf_container *out)
{
	struct sl unit = sl_none;
	int tier;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return 0;
	for (tier = 0; tier < 3; tier++)
		if (cgroup_tier(text, tier, &unit, out))
			return 1;
	if (unit.n == 0 || (out->unit = unescape(unit)) == NULL)
		return 0;
	out->source = "cgroup";
	return 1;
}

