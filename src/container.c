/*
 * container.c - name the container, pod, unit or sandbox behind a process.
 *
 * Everything here reads text that a container, an engine or a user can
 * shape: cgroup paths, command lines, JSON state files.  So every parser
 * works on bounded slices, checks ids strictly and prefers saying nothing
 * over saying something wrong.  Files are read only beneath a root given
 * by the caller, never through a link that leads outside it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "container.h"

#define ID_LEN		64		/* docker, podman, cri-o ids */
#define SHORT_ID	12		/* how docker and podman abbreviate */
#define MAX_NAME	255		/* longest name or id we keep */
#define MAX_CTR_ID	76		/* containerd's identifier limit */
#define MAX_ARGV	(1 << 20)	/* longest command line we look at */
#define MAX_FILE	(4 << 20)	/* cap on any file we read */
#define MAX_DEPTH	64		/* JSON nesting we follow */
#define COMM_LEN	15		/* TASK_COMM_LEN - 1 */

/* A piece of someone else's string: not NUL-terminated, never owned. */
struct sl {
	const char	*p;
	size_t		 n;
};

static const struct sl sl_none;

/*
 * Slices and checks.
 */

/* Wraps a C string, NULL included, so callers need no special case. */
static struct sl
sl_of(const char *s)
{
	struct sl r = { s, s ? strlen(s) : 0 };

	return r;
}

/* The middle of S; the caller checked the lengths.  NULL stays NULL. */
static struct sl
sl_mid(struct sl s, size_t head, size_t tail)
{
	struct sl r = { s.p != NULL ? s.p + head : NULL, s.n - head - tail };

	return r;
}

static int
sl_eq(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int
sl_prefix(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static int
sl_suffix(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/*
 * Whether S is PRE + something + SUF, with the two not overlapping
 * ("snap.scope" is not "snap." + ".scope"); *IN gets the something.
 */
static int
sl_inner(struct sl s, const char *pre, const char *suf, struct sl *in)
{
	size_t np = strlen(pre), ns = strlen(suf);

	if (s.n < np + ns || !sl_prefix(s, pre) || !sl_suffix(s, suf))
		return 0;
	*in = sl_mid(s, np, ns);
	return 1;
}

/* The last path component, so "/var/lib/machines/web/" gives "web". */
static struct sl
sl_base(struct sl s)
{
	size_t i;

	while (s.n > 1 && s.p[s.n - 1] == '/')
		s.n--;
	for (i = s.n; i > 0 && s.p[i - 1] != '/'; i--)
		;
	return sl_mid(s, i, 0);
}

/*
 * Splits S at SEP into at most MAX fields; returns MAX + 1 when there are
 * more, so a caller that wants exactly N fields can say so.
 */
static size_t
sl_split(struct sl s, char sep, struct sl *f, size_t max)
{
	size_t i, start = 0, nf = 0;

	for (i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != sep)
			continue;
		if (nf == max)
			return max + 1;
		f[nf++] = sl_mid(s, start, s.n - i);
		start = i + 1;
	}
	return nf;
}

static char *
sl_dup(struct sl s)
{
	return strndup(s.p ? s.p : "", s.n);
}

/* Engines write ids in lower-case hex; anything else is not theirs. */
static int
is_lhex(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

static int
is_hexn(struct sl s, size_t n)
{
	size_t i;

	if (s.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_lhex((unsigned char)s.p[i]))
			return 0;
	return 1;
}

static int
is_id64(struct sl s)
{
	return is_hexn(s, ID_LEN);
}

/*
 * A Kubernetes pod uid: 8-4-4-4-12 hex joined by '-', or by '_' inside
 * systemd slice names where '-' means nesting.  Static pods have 32 hex.
 */
static int
is_pod_uid(struct sl s)
{
	size_t i;
	char sep;

	if (is_hexn(s, 32))
		return 1;
	if (s.n != 36 || (s.p[8] != '-' && s.p[8] != '_'))
		return 0;
	sep = s.p[8];
	for (i = 0; i < s.n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s.p[i] != sep)
				return 0;
		} else if (!is_lhex((unsigned char)s.p[i]))
			return 0;
	}
	return 1;
}

/* The uuid snapd appends to its scopes, always with dashes. */
static int
is_uuid(struct sl s)
{
	return s.n == 36 && s.p[8] == '-' && is_pod_uid(s);
}

/*
 * containerd identifiers: alphanumerics joined by single '.', '_' or
 * '-'.  This also keeps "." and ".." out of anything used in a path.
 */
static int
is_ident(struct sl s, size_t max)
{
	size_t i;
	int sep = 1;

	if (s.n == 0 || s.n > max)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char ch = s.p[i];

		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z'))
			sep = 0;
		else if ((ch == '.' || ch == '_' || ch == '-') && !sep)
			sep = 1;
		else
			return 0;
	}
	return !sep;
}

/*
 * Names end up in tables and terminals: refuse empty or overlong ones,
 * control bytes (escape sequences) and '/', which no engine allows.
 */
static int
is_sane(struct sl s)
{
	size_t i;

	if (s.n == 0 || s.n > MAX_NAME)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char ch = s.p[i];

		if (ch < 0x20 || ch == 0x7f || ch == '/')
			return 0;
	}
	return 1;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * systemd writes bytes it cannot keep in a unit name as "\xNN" ("\x2d"
 * for '-').  Undo that, except where the byte would be a control
 * character or a '/': those stay escaped, so output stays printable.
 */
static char *
unescape(struct sl s)
{
	char *r, *q;
	size_t i;

	if ((r = q = malloc(s.n + 1)) == NULL)
		return NULL;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\\' && i + 3 < s.n && s.p[i + 1] == 'x' &&
		    hexval(s.p[i + 2]) >= 0 && hexval(s.p[i + 3]) >= 0) {
			int b = hexval(s.p[i + 2]) * 16 + hexval(s.p[i + 3]);

			if (b >= 0x20 && b != 0x7f && b != '/') {
				*q++ = (char)b;
				i += 3;
				continue;
			}
		}
		*q++ = s.p[i];
	}
	*q = '\0';
	return r;
}

/* Pod uids are reported with dashes, whichever way the cgroup wrote them. */
static char *
uid_dashes(struct sl s)
{
	char *r, *q;

	if ((r = sl_dup(s)) == NULL)
		return NULL;
	for (q = r; *q != '\0'; q++)
		if (*q == '_')
			*q = '-';
	return r;
}

/* Replaces *DST by a copy of S; on allocation failure *DST stays. */
static int
set_str(char **dst, struct sl s)
{
	char *v;

	if ((v = sl_dup(s)) == NULL)
		return 0;
	free(*dst);
	*dst = v;
	return 1;
}

/*
 * The name Kubernetes gives containers in docker and CRI-O:
 * "k8s_<container>_<pod>_<namespace>_<uid>_<attempt>".  None of the parts
 * may contain '_', which makes the split exact.
 */
struct k8sname {
	struct sl	ctr, pod, ns, uid;
};

static int
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
static void
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
 * cgroup paths.
 *
 * A path is walked from the root down and every component that names a
 * container replaces what was found above it, so the innermost engine
 * wins: a Kubernetes pod inside a kind node inside docker is a pod.
 */

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

/*
 * Command lines.
 */

struct args {
	char	 *buf;
	char	**v;
	size_t	  n;
};

static void
args_free(struct args *a)
{
	free(a->buf);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/*
 * /proc/PID/cmdline is NUL-separated and need not end in a NUL; take a
 * private, terminated copy and drop the padding some programs leave.
 */
static int
args_split(const char *argv, size_t len, struct args *a)
{
	size_t i, n = 1;
	char *s;

	memset(a, 0, sizeof(*a));
	if (argv == NULL)
		len = 0;
	if (len > MAX_ARGV)
		len = MAX_ARGV;
	if ((a->buf = malloc(len + 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(a->buf, argv, len);
	a->buf[len] = '\0';
	for (i = 0; i < len; i++)
		n += a->buf[i] == '\0';
	if ((a->v = calloc(n + 1, sizeof(*a->v))) == NULL) {
		args_free(a);
		return 0;
	}
	for (s = a->buf; a->n < n; s += strlen(s) + 1)
		a->v[a->n++] = s;
	while (a->n > 0 && a->v[a->n - 1][0] == '\0')
		a->v[--a->n] = NULL;
	return 1;
}

/*
 * Chrome and Electron rewrite their title into one space-separated
 * string.  Split it back; the program path may hold spaces, so it ends
 * at the first " -".
 */
static int
args_respace(struct args *a)
{
	char *s, *dash, **v;
	size_t n = 1;

	if (a->n != 1 || strchr(a->v[0], ' ') == NULL)
		return 1;
	for (s = a->v[0]; *s != '\0'; s++)
		n += *s == ' ';
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return 0;
	s = a->v[0];
	n = 0;
	if ((dash = strstr(s, " -")) != NULL) {
		*dash = '\0';
		v[n++] = s;
		s = dash + 1;
	}
	for (; s != NULL; s = dash) {
		if ((dash = strchr(s, ' ')) != NULL)
			*dash++ = '\0';
		if (*s != '\0')
			v[n++] = s;
	}
	free(a->v);
	a->v = v;
	a->n = n;
	return 1;
}

/*
 * The value of an option, first occurrence, before any "--".  LONGS are
 * whole option words ("-id", "--cid") taking "WORD VALUE" or
 * "WORD=VALUE" (Go flag and GLib styles).  SHORTOPT, if not 0, is a
 * getopt letter found in clusters ("-bD dir", "-Mname"); TAKES lists the
 * letters that take a value, so their values are skipped.
 */
static const char *
opt_find(const struct args *a, const char *const *longs, char shortopt,
    const char *takes)
{
	const char *s, *val;
	size_t i, j, k, n;

	for (i = 1; i < a->n; i++) {
		s = a->v[i];
		if (strcmp(s, "--") == 0)
			break;
		for (k = 0; longs != NULL && longs[k] != NULL; k++) {
			n = strlen(longs[k]);
			if (strncmp(s, longs[k], n) != 0)
				continue;
			if (s[n] == '=')
				return s + n + 1;
			if (s[n] == '\0')
				return i + 1 < a->n ? a->v[i + 1] : NULL;
		}
		if (shortopt == 0 || s[0] != '-' || s[1] == '-' || s[1] == '\0')
			continue;
		for (j = 1; s[j] != '\0'; j++) {
			if (strchr(takes, s[j]) == NULL)
				continue;
			val = s[j + 1] != '\0' ? s + j + 1 :
			    i + 1 < a->n ? a->v[i + 1] : NULL;
			if (s[j] == shortopt)
				return val;
			if (s[j + 1] == '\0')
				i++;
			break;
		}
	}
	return NULL;
}

static int
args_mention(const struct args *a, const char *word)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strstr(a->v[i], word) != NULL)
			return 1;
	return 0;
}

/* Sets engine, id and name from slices; empty slices are left NULL. */
static int
fill(struct nsf_container *out, const char *engine, struct sl id,
    struct sl name)
{
	if ((out->engine = strdup(engine)) == NULL)
		return 0;
	if (id.n > 0 && (out->id = sl_dup(id)) == NULL)
		return 0;
	if (name.n > 0 && (out->name = sl_dup(name)) == NULL)
		return 0;
	return 1;
}

/*
 * The program as the kernel or the process names it: exact, or the
 * 15-byte truncation that comm keeps.
 */
static int
tool_is(struct sl s, const char *tool)
{
	size_t n = strlen(tool);

	if (sl_eq(s, tool))
		return 1;
	return n > COMM_LEN && s.n == COMM_LEN && memcmp(s.p, tool, s.n) == 0;
}

/*
 * containerd shims: v2 "-namespace <ns> -id <id>"; v1 has no -id but a
 * "-workdir .../<ns>/<id>"; docker 17's shim takes the id first.  The
 * namespace tells who asked: "moby" is docker, "k8s.io" is the CRI.
 */
static int
anc_shim(const struct args *a, const char *engine, struct nsf_container *out)
{
	static const char *const nsopt[] = {
		"-namespace", "--namespace", NULL
	};
	static const char *const idopt[] = { "-id", "--id", NULL };
	static const char *const wdopt[] = { "-workdir", "--workdir", NULL };
	struct sl ns, id;

	ns = sl_of(opt_find(a, nsopt, 0, NULL));
	id = sl_of(opt_find(a, idopt, 0, NULL));
	if (id.n == 0)
		id = sl_base(sl_of(opt_find(a, wdopt, 0, NULL)));
	if (id.n == 0 && a->n > 1 && is_id64(sl_of(a->v[1])))
		id = sl_of(a->v[1]);
	if (!is_ident(id, MAX_CTR_ID))
		id = sl_none;
	if (!is_ident(ns, MAX_NAME))
		ns = sl_none;
	if (sl_eq(ns, "moby") || sl_eq(ns, "plugins.moby"))
		engine = "docker";
	else if (sl_eq(ns, "k8s.io"))
		engine = "kubernetes";
	else if (engine == NULL || ns.n > 0)
		engine = "containerd";
	if (!fill(out, engine, id, sl_none))
		return 0;
	if (ns.n > 0 && (out->ctr_namespace = sl_dup(ns)) == NULL)
		return 0;
	return 1;
}

/*
 * conmon serves both podman and CRI-O.  CRI-O names containers
 * "k8s_..." and points conmon at its own directories and runtimes
 * ("/var/run/crio", "/usr/lib/cri-o-runc/sbin/runc"); podman passes
 * itself as the exit command, which settles any doubt.
 */
static int
anc_conmon(const struct args *a, struct nsf_container *out)
{
	static const char *const cid[] = { "-c", "--cid", NULL };
	static const char *const cname[] = { "-n", "--name", NULL };
	struct sl id, name;
	struct k8sname k;
	const char *engine;

	id = sl_of(opt_find(a, cid, 0, NULL));
	name = sl_of(opt_find(a, cname, 0, NULL));
	if (!is_ident(id, MAX_CTR_ID))
		id = sl_none;
	if (k8s_name(name, &k)) {
		if (!fill(out, "kubernetes", id, sl_none))
			return 0;
		k8s_apply(out, &k);
		return out->name != NULL && out->pod != NULL &&
		    out->k8s_namespace != NULL && out->pod_uid != NULL;
	}
	if ((args_mention(a, "crio") || args_mention(a, "cri-o")) &&
	    !args_mention(a, "podman"))
		engine = "cri-o";
	else
		engine = "podman";
	return fill(out, engine, id, is_sane(name) ? name : sl_none);
}

/* lxc-start -n <name>, with getopt clustering. */
static int
anc_lxc(const struct args *a, struct nsf_container *out)
{
	static const char *const lname[] = { "--name", NULL };
	struct sl name;

	name = sl_of(opt_find(a, lname, 'n', "nolPfspcL"));
	return fill(out, "lxc", sl_none, is_sane(name) ? name : sl_none);
}

/*
 * systemd-nspawn names the machine after -M, else after the basename of
 * -D or of -i without ".raw", as nspawn itself does.
 */
static int
anc_nspawn(const struct args *a, struct nsf_container *out)
{
	static const char *const lmach[] = { "--machine", NULL };
	static const char *const ldir[] = { "--directory", NULL };
	static const char *const limg[] = { "--image", NULL };
	static const char *const takes = "DuLMSZipE";
	struct sl name;

	name = sl_of(opt_find(a, lmach, 'M', takes));
	if (name.n == 0)
		name = sl_base(sl_of(opt_find(a, ldir, 'D', takes)));
	if (name.n == 0) {
		name = sl_base(sl_of(opt_find(a, limg, 'i', takes)));
		if (sl_suffix(name, ".raw") && name.n > strlen(".raw"))
			name.n -= strlen(".raw");
	}
	return fill(out, "systemd-nspawn", sl_none,
	    is_sane(name) ? name : sl_none);
}

/*
 * liblxc retitles its monitor "[lxc monitor] <lxcpath> <name>", one
 * string with spaces.
 */
static int
anc_lxc_monitor(const struct args *a, struct nsf_container *out)
{
	const char *title = a->v[0], *sp;

	if (strncmp(title, "[lxc monitor] ", 14) != 0 ||
	    (sp = strrchr(title, ' ')) == NULL || sp < title + 14)
		return -1;
	return fill(out, "lxc", sl_none,
	    is_sane(sl_of(sp + 1)) ? sl_of(sp + 1) : sl_none);
}

static int
ancestor_tool(struct sl tool, const struct args *a, struct nsf_container *out)
{
	if (tool_is(tool, "docker-containerd-shim"))
		return anc_shim(a, "docker", out);
	if (sl_prefix(tool, "containerd-shim"))
		return anc_shim(a, NULL, out);
	if (tool_is(tool, "conmon"))
		return anc_conmon(a, out);
	if (tool_is(tool, "lxc-start"))
		return anc_lxc(a, out);
	if (tool_is(tool, "systemd-nspawn"))
		return anc_nspawn(a, out);
	if (sl_eq(tool, "lxd") && a->n >= 3 &&
	    strcmp(a->v[1], "forkstart") == 0)
		return fill(out, "lxc", sl_none,
		    is_sane(sl_of(a->v[2])) ? sl_of(a->v[2]) : sl_none);
	return -1;
}

/*
 * The argv names the program better than comm, which is truncated and
 * which a process sets freely; comm is the fallback for an empty or
 * rewritten argv.
 */
int
nsf_container_from_ancestor(const char *comm, const char *argv,
    size_t argv_len, struct nsf_container *out)
{
	struct args a;
	int r = -1;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (!args_split(argv, argv_len, &a))
		return 0;
	if (a.n > 0 && (r = anc_lxc_monitor(&a, out)) < 0)
		r = ancestor_tool(sl_base(sl_of(a.v[0])), &a, out);
	if (r < 0 && comm != NULL)
		r = ancestor_tool(sl_of(comm), &a, out);
	args_free(&a);
	if (r <= 0) {
		nsf_container_free(out);
		return 0;
	}
	out->source = "ancestry";
	return 1;
}

/*
 * mininet starts each host as "bash --norc --noediting -is mininet:h1"
 * (through mnexec and env).
 */
static int
cmd_mininet(struct sl bin, const struct args *a, struct nsf_container *out)
{
	struct sl host;
	size_t i;

	if (!sl_eq(bin, "bash") && !sl_eq(bin, "mnexec") && !sl_eq(bin, "env"))
		return -1;
	for (i = 1; i < a->n; i++) {
		if (strncmp(a->v[i], "mininet:", 8) != 0)
			continue;
		host = sl_of(a->v[i] + 8);
		if (!is_sane(host) || memchr(host.p, ' ', host.n) != NULL)
			return -1;
		return fill(out, "mininet", sl_none, host);
	}
	return -1;
}

/*
 * Chromium's sandboxed children say what they are with --type=.  The
 * same flags in a program that is not a Chromium browser mean Electron.
 */
static int
cmd_chromium(struct sl bin, const struct args *a, struct nsf_container *out)
{
	static const char *const types[] = {
		"zygote", "renderer", "utility", "gpu-process", "ppapi",
		"nacl-loader", NULL
	};
	static const char *const browsers[] = {
		"chrome", "chromium", "chromium-browser", "google-chrome",
		"google-chrome-stable", "google-chrome-beta",
		"google-chrome-unstable", "headless_shell", "msedge", "brave",
		"opera", "vivaldi-bin", NULL
	};
	const char *type = NULL;
	size_t i, k;

	for (i = 1; i < a->n && type == NULL; i++) {
		if (strncmp(a->v[i], "--type=", 7) != 0)
			continue;
		for (k = 0; types[k] != NULL; k++)
			if (strcmp(a->v[i] + 7, types[k]) == 0)
				type = types[k];
	}
	if (type == NULL)
		return -1;
	for (k = 0; browsers[k] != NULL; k++)
		if (sl_eq(bin, browsers[k]))
			return fill(out, "chrome", sl_none, sl_of(type));
	if (!is_sane(bin))
		return -1;
	return fill(out, "electron", sl_none, bin);
}

int
nsf_container_from_cmdline(const char *argv, size_t argv_len,
    struct nsf_container *out)
{
	struct args a;
	struct sl bin;
	int r = -1;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (!args_split(argv, argv_len, &a))
		return 0;
	if (args_respace(&a) && a.n > 0) {
		bin = sl_base(sl_of(a.v[0]));
		if ((r = cmd_mininet(bin, &a, out)) < 0)
			r = cmd_chromium(bin, &a, out);
	}
	args_free(&a);
	if (r <= 0) {
		nsf_container_free(out);
		return 0;
	}
	out->source = "cmdline";
	return 1;
}

/*
 * Files under a root.
 */

/* openat2(2) confined to DFD: "..", absolute links and symlinks stay in. */
static int
open_in_root(int dfd, const char *rel, int flags)
{
	struct open_how how;
	int fd = -1, i;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned)(flags | O_CLOEXEC);
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	for (i = 0; i < 3; i++) {
		fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

/*
 * Without openat2 (old kernel, seccomp): walk component by component
 * and refuse every symlink and "..", which is stricter but as safe.
 */
static int
open_walk(int dfd, const char *rel, int flags)
{
	char *copy, *comp, *next, *save = NULL;
	int cur = -1, fd, err = ENOENT;

	if ((copy = strdup(rel)) == NULL)
		return -1;
	for (comp = strtok_r(copy, "/", &save); comp != NULL; comp = next) {
		next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, "..") == 0) {
			fd = -1;
			err = EXDEV;
		} else {
			fd = openat(cur >= 0 ? cur : dfd, comp, O_NOFOLLOW |
			    O_CLOEXEC | (next ? O_PATH | O_DIRECTORY : flags));
			err = errno;
		}
		if (cur >= 0)
			close(cur);
		if ((cur = fd) < 0)
			break;
	}
	free(copy);
	if (cur < 0)
		errno = err;
	return cur;
}

/*
 * Whether openat2 is missing is learnt once: asking again costs a
 * syscall per file and, under valgrind, a warning each time.
 */
static int openat2_missing;

static int
open_under(const char *rootdir, const char *rel, int flags)
{
	const char *root = rootdir != NULL && *rootdir != '\0' ? rootdir : "/";
	int dfd, fd = -1, err;

	if ((dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (!__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED)) {
		fd = open_in_root(dfd, rel, flags);
		if (fd < 0 && (errno == ENOSYS || errno == EPERM))
			__atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
	}
	if (__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED))
		fd = open_walk(dfd, rel, flags);
	err = errno;
	close(dfd);
	errno = err;
	return fd;
}

/*
 * A regular file under ROOTDIR, NUL-terminated, at most MAX_FILE bytes:
 * engine state files are small and a huge one is not worth the memory.
 * O_NONBLOCK keeps a FIFO planted there from hanging us.
 */
static char *
read_small(const char *rootdir, const char *rel, size_t *lenp)
{
	struct stat st;
	char *buf = NULL, *nb;
	size_t len = 0, cap;
	ssize_t r;
	int fd;

	if ((fd = open_under(rootdir, rel, O_RDONLY | O_NONBLOCK |
	    O_NOCTTY)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE)
		goto fail;
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL)
		goto fail;
	for (;;) {
		if ((r = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
		if (len < cap)
			continue;
		if (cap > MAX_FILE)
			goto fail;	/* grew past the cap while we read */
		cap = cap * 2 > MAX_FILE + 1 ? MAX_FILE + 1 : cap * 2;
		if ((nb = realloc(buf, cap + 1)) == NULL)
			goto fail;
		buf = nb;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

static DIR *
opendir_under(const char *rootdir, const char *rel)
{
	DIR *d;
	int fd;

	if ((fd = open_under(rootdir, rel, O_RDONLY | O_DIRECTORY)) < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

/*
 * Just enough JSON: walk a document, find string members, skip all the
 * rest.  Malformed input ends the walk, it never crashes it; nesting is
 * bounded so a hostile file cannot exhaust the stack.
 */

struct json {
	const char	*p, *end;
};

static int
j_peek(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static int
j_eat(struct json *j, int ch)
{
	if (j_peek(j) != ch)
		return 0;
	j->p++;
	return 1;
}

static int
j_hex4(const char *p)
{
	int i, h, v = 0;

	for (i = 0; i < 4; i++) {
		if ((h = hexval(p[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Writes code point CP as UTF-8; refuses NUL, which would cut the string. */
static int
j_utf8(char **q, unsigned long cp)
{
	char *o = *q;

	if (cp == 0)
		return 0;
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	*q = o;
	return 1;
}

/* "\uXXXX", with a following low surrogate when XXXX is a high one. */
static int
j_uescape(const char **pp, const char *end, char **q)
{
	const char *p = *pp;
	long hi, lo;

	if (end - p < 6 || (hi = j_hex4(p + 2)) < 0)
		return 0;
	p += 6;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return 0;
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    (lo = j_hex4(p + 2)) < 0xdc00 || lo > 0xdfff)
			return 0;
		p += 6;
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	*pp = p;
	return j_utf8(q, (unsigned long)hi);
}

/*
 * A string at the cursor.  With OUT, decoded into a new buffer (escapes
 * never grow the text, so its raw length is enough); without, skipped.
 */
static int
j_string(struct json *j, char **out)
{
	static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
	const char *p, *e;
	char *buf = NULL, *q = NULL;

	if (!j_eat(j, '"'))
		return 0;
	for (e = j->p; e < j->end && *e != '"'; e++)
		if (*e == '\\' && ++e == j->end)
			return 0;
	if (e == j->end)
		return 0;
	if (out != NULL && (buf = q = malloc((size_t)(e - j->p) + 1)) == NULL)
		return 0;
	for (p = j->p; p < e;) {
		const char *k;

		if ((unsigned char)*p < 0x20)
			goto bad;
		if (*p != '\\') {
			if (q != NULL)
				*q++ = *p;
			p++;
		} else if (p[1] == 'u') {
			char tmp[4], *t = tmp;

			if (!j_uescape(&p, e, q != NULL ? &q : &t))
				goto bad;
		} else if (p[1] != '\0' && (k = strchr(plain, p[1])) != NULL) {
			if (q != NULL)
				*q++ = decoded[k - plain];
			p += 2;
		} else
			goto bad;
	}
	j->p = e + 1;
	if (out != NULL) {
		*q = '\0';
		*out = buf;
	}
	return 1;
bad:
	free(buf);
	return 0;
}

static int	j_skip(struct json *, int);

/* Members or elements up to CLOSE, each skipped (objects have keys). */
static int
j_skip_list(struct json *j, int close, int depth)
{
	if (j_eat(j, close))
		return 1;
	do {
		if (close == '}' && (!j_string(j, NULL) || !j_eat(j, ':')))
			return 0;
		if (!j_skip(j, depth + 1))
			return 0;
	} while (j_eat(j, ','));
	return j_eat(j, close);
}

static int
j_skip(struct json *j, int depth)
{
	int ch = j_peek(j);
	const char *start;

	if (depth > MAX_DEPTH)
		return 0;
	if (ch == '"')
		return j_string(j, NULL);
	if (ch == '{' || ch == '[') {
		j->p++;
		return j_skip_list(j, ch == '{' ? '}' : ']', depth);
	}
	for (start = j->p; j->p < j->end && strchr("+-.0123456789Eaeflnrstu",
	    *j->p) != NULL && *j->p != '\0'; j->p++)
		;
	return j->p > start;
}

/*
 * The next member key of an object, into BUF (keys we want are short; a
 * longer one is consumed and comes back empty, matching nothing).
 */
static int
j_key(struct json *j, char *buf, size_t size)
{
	char *k;

	if (!j_string(j, &k))
		return 0;
	if (strlen(k) < size)
		memcpy(buf, k, strlen(k) + 1);
	else
		buf[0] = '\0';
	free(k);
	return j_eat(j, ':');
}

/* The string member KEY of the top-level object ("Name" in docker's config). */
static char *
json_top_string(const char *text, size_t len, const char *key)
{
	struct json j = { text, text + len };
	char k[64], *val = NULL;

	if (!j_eat(&j, '{') || j_eat(&j, '}'))
		return NULL;
	do {
		if (!j_key(&j, k, sizeof(k)))
			break;
		if (strcmp(k, key) == 0 && j_peek(&j) == '"') {
			free(val);
			val = NULL;
			if (!j_string(&j, &val))
				break;
		} else if (!j_skip(&j, 1))
			break;
	} while (j_eat(&j, ','));
	return val;
}

/* The first string of an array ("names"); the rest is skipped. */
static int
j_first_string(struct json *j, char **out)
{
	char *s;

	if (!j_eat(j, '['))
		return 0;
	if (j_eat(j, ']'))
		return 1;
	do {
		if (j_peek(j) == '"' && *out == NULL) {
			if (!j_string(j, &s))
				return 0;
			*out = s;
		} else if (!j_skip(j, 2))
			return 0;
	} while (j_eat(j, ','));
	return j_eat(j, ']');
}

/* One entry of containers.json: its "id" and first of "names". */
static int
j_storage_entry(struct json *j, char **id, char **name)
{
	char k[16];

	*id = *name = NULL;
	if (!j_eat(j, '{'))
		return 0;
	if (j_eat(j, '}'))
		return 1;
	do {
		if (!j_key(j, k, sizeof(k)))
			return 0;
		if (strcmp(k, "id") == 0 && *id == NULL &&
		    j_peek(j) == '"') {
			if (!j_string(j, id))
				return 0;
		} else if (strcmp(k, "names") == 0 && *name == NULL &&
		    j_peek(j) == '[') {
			if (!j_first_string(j, name))
				return 0;
		} else if (!j_skip(j, 1))
			return 0;
	} while (j_eat(j, ','));
	return j_eat(j, '}');
}

/*
 * containers/storage's containers.json, shared by podman and CRI-O: an
 * array of {"id": ..., "names": [...]}.  Returns the first name of ID.
 */
static char *
json_storage_name(const char *text, size_t len, const char *id)
{
	struct json j = { text, text + len };
	char *eid, *ename, *found = NULL;
	int ok;

	if (!j_eat(&j, '[') || j_eat(&j, ']'))
		return NULL;
	do {
		ok = j_storage_entry(&j, &eid, &ename);
		if (ok && eid != NULL && ename != NULL &&
		    strcmp(eid, id) == 0) {
			found = ename;
			ename = NULL;
		}
		free(eid);
		free(ename);
	} while (ok && found == NULL && j_eat(&j, ','));
	return found;
}

/*
 * Names from disk.
 */

/* docker's config.v2.json "Name" is "/web-1"; several data roots exist. */
static char *
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

static char *
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

/* Takes RAW (owned) as c->name if it is printable; docker's '/' goes. */
static void
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

static void
resolve_k8s(struct nsf_container *c, const char *rootdir)
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
	if (strcmp(c->engine, "docker") == 0) {
		if (c->name == NULL && c->id != NULL)
			take_name(c, docker_raw_name(c->id, rootdir));
	} else if (strcmp(c->engine, "containerd") == 0) {
		if (c->name == NULL && c->id != NULL)
			containerd_docker(c, rootdir);
	} else if (strcmp(c->engine, "podman") == 0) {
		if (c->name == NULL && c->id != NULL)
			take_name(c, storage_raw_name(c->id, rootdir));
	} else if (strcmp(c->engine, "kubernetes") == 0 ||
	    strcmp(c->engine, "cri-o") == 0)
		resolve_k8s(c, rootdir);
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
