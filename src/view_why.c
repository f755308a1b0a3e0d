/*
 * view_why.c - why is a namespace alive: every holder followed down to
 * something a person can act on, and how each of those would be released.
 *
 * A holder that another namespace keeps leads on: a bind mount in a mount
 * namespace no task is in leads to what holds that mount namespace, an
 * owner or parent to what holds the owned or child namespaces, as deep as
 * it goes.  Every branch ends at a root: a process or thread in it, a
 * process whose *_for_children points at it, an fd, socket or tun device
 * of a process, a bind mount in a mount namespace that a task is in (or in
 * the initial or nsfind's own one), or "unknown".  The graph can have
 * cycles (mount namespaces bound in each other), so a namespace is
 * explained once per tree and a second way to it says "shown above".
 *
 * The release hints are text for a person to run; nsfind runs nothing.
 * Host strings in them are shell-quoted; the text view then escapes the
 * whole line like every text (escape.h), JSON carries it as a string.
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "escape.h"
#include "util.h"
#include "views.h"

/* Deeper than this, a tree is cut (JSON nests three levels per hop). */
#define WHY_MAXDEPTH	32
/* Members named in a "kill" hint before the rest are counted. */
#define WHY_MAXPIDS	8

struct why {
	struct nsf_graph *g;
	bool		*seen;		/* by ns->index: explained in this tree */
	struct strbuf	 out;		/* text */
	struct json	*j;		/* JSON */
	const char	*branch, *last, *bar;
	int		 budget;	/* enter(): calls left */
};

static void	 fd_release(struct why *, const struct nsf_holder *, struct strbuf *);
static void	 text_holders(struct why *, struct nsf_ns *, const char *, int);
static void	 json_ns(struct why *, struct nsf_ns *, const char *, int);

static struct nsf_proc *
holder_proc(struct nsf_graph *g, const struct nsf_holder *h)
{
	if (h->proc)
		return h->proc;
	return h->pid > 0 ? graph_find_proc(g, h->pid) : NULL;
}

/* A mount in m is released from m itself; m leads nowhere further. */
static bool
mnt_is_root(const struct nsf_ns *m)
{
	return m == NULL || m->initial || m->self || !nsf_ns_hidden(m);
}

/* The namespaces a holder leads on to; none for a root. */
static struct nsf_ns *const *
holder_via(const struct nsf_ns *ns, const struct nsf_holder *h, size_t *n)
{
	*n = 0;
	if (ns->initial)
		return NULL;
	switch (h->kind) {
	case NSF_H_BINDMOUNT:
		if (mnt_is_root(h->mntns))
			return NULL;
		*n = 1;
		return &h->mntns;
	case NSF_H_OWNER:
		*n = ns->nowned;
		return ns->owned;
	case NSF_H_PARENT:
		*n = ns->nkids;
		return ns->kids;
	default:
		return NULL;
	}
}

/* A word a shell reads back as it is, quoted only when it must be. */
static void
sh_quote(struct strbuf *sb, const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_@%+=:,./-";
	const char *p;

	if (s == NULL)
		s = "";
	if (*s && strspn(s, safe) == strlen(s)) {
		sb_adds(sb, s);
		return;
	}
	sb_addc(sb, '\'');
	for (p = s; *p; p++) {
		if (*p == '\'')	/* no backslash: the text view would escape it */
			sb_adds(sb, "'\"'\"'");
		else
			sb_addc(sb, *p);
	}
	sb_addc(sb, '\'');
}

static void
sb_cut(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->buf)
		sb->buf[len] = '\0';
}

/*
 * A command prefix that enters mount namespace m: nothing for nsfind's
 * own, "nsenter -t PID -m " for one a task is in, and for a hidden one its
 * bind mount in nsfind's own mount namespace, an fd that holds it, or the
 * way into another mount namespace where it is bind-mounted followed by
 * "nsenter --mount=PATH ".  False when there is no way in (held only by
 * something nsfind cannot name).
 */
static bool
enter(struct why *w, struct nsf_ns *m, struct strbuf *sb, struct nsf_ns **path,
    int depth)
{
	const struct nsf_holder *h;
	size_t i, mark;
	pid_t pid;
	int k;

	if (m == NULL || depth >= WHY_MAXDEPTH || w->budget-- <= 0)
		return false;
	if (m->self)
		return true;
	for (k = 0; k < depth; k++)	/* mounted in each other */
		if (path[k] == m)
			return false;
	path[depth] = m;
	pid = m->proc ? m->proc->pid : m->nthread_only ? m->thread_tid : 0;
	if (pid > 0) {
		sb_addf(sb, "nsenter -t %d -m ", (int)pid);
		return true;
	}
	/* A path in nsfind's own mount namespace outlives any process. */
	for (i = 0; i < m->nall; i++) {
		h = &m->all[i];
		if (h->kind != NSF_H_BINDMOUNT || h->path == NULL || h->covered ||
		    h->tree || h->mntns == NULL || !h->mntns->self)
			continue;
		sb_adds(sb, "nsenter --mount=");
		sh_quote(sb, h->path);
		sb_addc(sb, ' ');
		return true;
	}
	for (i = 0; i < m->nall; i++) {
		h = &m->all[i];
		if (h->kind != NSF_H_FD || h->slot >= 0 || h->pid <= 0)
			continue;
		if (h->tid)
			sb_addf(sb, "nsenter --mount=/proc/%d/task/%d/fd/%d ",
			    (int)h->pid, (int)h->tid, h->fd);
		else
			sb_addf(sb, "nsenter --mount=/proc/%d/fd/%d ", (int)h->pid, h->fd);
		return true;
	}
	for (i = 0; i < m->nall; i++) {
		h = &m->all[i];
		/* A covered path opens what covers it; a detached tree has no path. */
		if (h->kind != NSF_H_BINDMOUNT || h->path == NULL || h->covered ||
		    h->tree)
			continue;
		mark = sb->len;
		if (enter(w, h->mntns, sb, path, depth + 1)) {
			sb_adds(sb, "nsenter --mount=");
			sh_quote(sb, h->path);
			sb_addc(sb, ' ');
			return true;
		}
		sb_cut(sb, mark);
	}
	return false;
}

/* "NAME" when path is where `ip netns add NAME` mounts a netns. */
static const char *
netns_name(const struct nsf_ns *ns, const char *path)
{
	static const char *dirs[] = { "/run/netns/", "/var/run/netns/" };
	const char *name;
	size_t i;

	if (ns->type != NSF_NET || path == NULL)
		return NULL;
	for (i = 0; i < NSF_ARRAY_SIZE(dirs); i++) {
		if (strncmp(path, dirs[i], strlen(dirs[i])) != 0)
			continue;
		name = path + strlen(dirs[i]);
		if (*name && strchr(name, '/') == NULL)
			return name;
	}
	return NULL;
}

static void
mount_release(struct why *w, const struct nsf_ns *ns, const struct nsf_holder *h,
    struct strbuf *sb)
{
	struct nsf_ns *path[WHY_MAXDEPTH];
	const char *name = netns_name(ns, h->path);

	w->budget = 256;
	if (h->tree) {
		fd_release(w, h, sb);
		return;
	}
	if (h->mntns == NULL) {
		sb_adds(sb, "umount ");
		sh_quote(sb, h->path);
		sb_adds(sb, " (in a mount namespace nsfind could not name)");
		return;
	}
	if (!enter(w, h->mntns, sb, path, 0)) {
		sb_cut(sb, 0);
		sb_adds(sb, "umount ");
		sh_quote(sb, h->path);
		sb_addf(sb, " inside mnt:[%llu]", (unsigned long long)h->mntns->ino);
		return;
	}
	/*
	 * `ip netns del` also unlinks the file, which another mount
	 * namespace may share with nsfind's: only for nsfind's own.
	 */
	if (name && h->mntns->self && !h->covered) {
		sb_adds(sb, "ip netns del ");
		sh_quote(sb, name);
	} else {
		sb_adds(sb, "umount ");
		sh_quote(sb, h->path);
	}
	/* umount PATH would take what is mounted over it first. */
	if (h->covered) {
		sb_adds(sb, ", once what covers it (");
		sb_adds(sb, h->covered_by ? h->covered_by : "another mount");
		sb_adds(sb, ") is unmounted");
	}
}

/* The engine's own command that stops a container, when there is one. */
static bool
container_stop(const struct nsf_container *c, struct strbuf *sb)
{
	const char *e, *who;

	if (c == NULL || (e = c->engine) == NULL)
		return false;
	who = c->name ? c->name : c->id;
	if (strcmp(e, "kubernetes") == 0 && c->pod && c->k8s_namespace) {
		sb_adds(sb, "kubectl delete pod -n ");
		sh_quote(sb, c->k8s_namespace);
		sb_addc(sb, ' ');
		sh_quote(sb, c->pod);
	} else if (strcmp(e, "docker") == 0 && who) {
		sb_adds(sb, "docker stop ");
		sh_quote(sb, who);
	} else if (strcmp(e, "podman") == 0 && who) {
		sb_adds(sb, "podman stop ");
		sh_quote(sb, who);
	} else if (strcmp(e, "cri-o") == 0 && c->id) {
		sb_adds(sb, "crictl stop ");
		sh_quote(sb, c->id);
	} else if (strcmp(e, "containerd") == 0 && c->id) {
		sb_adds(sb, "ctr -n ");
		sh_quote(sb, c->ctr_namespace ? c->ctr_namespace : "default");
		sb_adds(sb, " task kill ");
		sh_quote(sb, c->id);
	} else if (strcmp(e, "lxc") == 0 && c->name) {
		sb_adds(sb, "lxc-stop -n ");
		sh_quote(sb, c->name);
	} else if (strcmp(e, "systemd-nspawn") == 0 && c->name) {
		sb_adds(sb, "machinectl terminate ");
		sh_quote(sb, c->name);
	} else if (strcmp(e, "flatpak") == 0 && c->name) {
		sb_adds(sb, "flatpak kill ");
		sh_quote(sb, c->name);
	} else
		return false;
	return true;
}

/*
 * How to end processes pids[0..n) (total of them in all), p the first:
 * the container's stop command when its engine has one ("stop container
 * web-1 (docker): docker stop web-1"), else kill, naming the container,
 * unit or sandbox when known.
 */
static void
procs_release(const struct nsf_proc *p, const pid_t *pids, size_t n, size_t total,
    struct strbuf *sb)
{
	char *label = p ? nsf_container_label(p->container) : NULL;
	size_t i;

	if (p && p->kthread) {
		sb_adds(sb, "none: a kernel thread");
		free(label);
		return;
	}
	if (p && label && p->container->engine) {
		sb_adds(sb, "stop container ");
		sb_adds(sb, label);
		sb_adds(sb, ": ");
		if (container_stop(p->container, sb)) {
			free(label);
			return;
		}
		sb_cut(sb, 0);
	}
	sb_adds(sb, "kill");
	for (i = 0; i < n; i++)
		sb_addf(sb, " %d", (int)pids[i]);
	if (total > n)
		sb_addf(sb, " and the %zu other processes in it", total - n);
	if (label) {
		sb_adds(sb, " (");
		sb_adds(sb, p->container->engine ? "in " : "in unit ");
		sb_adds(sb, label);
		sb_addc(sb, ')');
	}
	free(label);
}

static void
proc_release(const struct nsf_proc *p, pid_t pid, struct strbuf *sb)
{
	procs_release(p, &pid, 1, 1, sb);
}

/* The processes whose own (not *_for_children) namespace of its type is ns. */
static size_t
members(struct nsf_graph *g, const struct nsf_ns *ns, pid_t *pids, size_t max)
{
	size_t i, n = 0;
	int e;

	for (e = 0; e < NSF_NENTRIES; e++)
		if (nsf_entry_type(e) == ns->type && e != NSF_E_PID_CHILDREN &&
		    e != NSF_E_TIME_CHILDREN)
			break;
	for (i = 0; i < g->nprocs && e < NSF_NENTRIES; i++) {
		if (g->procs[i]->ns[e] != ns)
			continue;
		if (n < max)
			pids[n] = g->procs[i]->pid;
		n++;
	}
	return n;
}

static void
comm_text(const struct nsf_proc *p, struct strbuf *sb, bool escape)
{
	const char *c = p ? p->comm : NULL;

	if (c == NULL)
		c = "?";
	if (escape)
		nsf_esc_text(sb, c);
	else
		sb_adds(sb, c);
}

static void
fd_release(struct why *w, const struct nsf_holder *h, struct strbuf *sb)
{
	const struct nsf_proc *p = holder_proc(w->g, h);

	if (h->slot >= 0)
		sb_addf(sb, "unregister file slot %d of the io_uring at fd %d", h->slot, h->fd);
	else
		sb_addf(sb, "close fd %d", h->fd);
	if (h->tid)
		sb_addf(sb, " of thread %d", (int)h->tid);
	sb_addf(sb, " of %d (", (int)h->pid);
	comm_text(p, sb, false);
	sb_adds(sb, "), or ");
	proc_release(p, h->pid, sb);
}

/*
 * A zombie goes when its parent reaps it, or when the parent ends and
 * init (or a subreaper) reaps it instead.
 */
static void
zombie_release(struct why *w, const struct nsf_holder *h, struct strbuf *sb)
{
	const struct nsf_proc *pp = h->parent;

	if (pp == NULL && h->ppid > 0)
		pp = graph_find_proc(w->g, h->ppid);
	if (h->ppid <= 0) {
		sb_adds(sb, "its parent must reap it (wait(2))");
		return;
	}
	sb_addf(sb, "%d (", (int)h->ppid);
	comm_text(pp, sb, false);
	sb_adds(sb, ") must reap it (wait(2))");
	if (h->ppid == 1)
		return;
	sb_adds(sb, ", or end it: ");
	proc_release(pp, h->ppid, sb);
}

/*
 * The release hint of a holder, unescaped; empty when there is none (an
 * owner or parent, which leads on instead, or unknown).  Hints for kinds
 * this view does not know yet stay empty.
 */
static void
release(struct why *w, const struct nsf_ns *ns, const struct nsf_holder *h,
    struct strbuf *sb)
{
	pid_t pids[WHY_MAXPIDS];
	size_t n;

	if (ns->initial)
		return;
	switch (h->kind) {
	case NSF_H_PROCESS:
		n = members(w->g, ns, pids, WHY_MAXPIDS);
		if (n == 0) {
			pids[0] = h->pid;
			n = 1;
		}
		procs_release(holder_proc(w->g, h), pids,
		    n < WHY_MAXPIDS ? n : WHY_MAXPIDS, n, sb);
		break;
	case NSF_H_THREAD:
	case NSF_H_CHILDREN:
		proc_release(holder_proc(w->g, h), h->pid, sb);
		break;
	case NSF_H_ZOMBIE:
		zombie_release(w, h, sb);
		break;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		fd_release(w, h, sb);
		break;
	case NSF_H_BINDMOUNT:
		mount_release(w, ns, h, sb);
		break;
	default:
		break;
	}
}

/* "1234 (sleep 1000)" and " [web-1 (docker)]", escaped. */
static void
proc_desc(const struct nsf_proc *p, pid_t pid, struct strbuf *sb)
{
	const char *cmd = p ? nsf_proc_command(p) : NULL;
	char *label = p ? nsf_container_label(p->container) : NULL;

	sb_addf(sb, "%d (", (int)pid);
	if (p && p->kthread) {
		sb_addc(sb, '[');
		comm_text(p, sb, true);
		sb_addc(sb, ']');
	} else
		nsf_esc_text(sb, cmd ? cmd : "?");
	sb_addc(sb, ')');
	if (label) {
		sb_adds(sb, " [");
		nsf_esc_text(sb, label);
		sb_addc(sb, ']');
	}
	free(label);
}

static void
ns_name(const struct nsf_ns *ns, struct strbuf *sb)
{
	if (ns->unresolved)
		sb_addf(sb, "%s:?(nsid %d of %llu)", nsf_type_name(ns->type), ns->nsid,
		    (unsigned long long)ns->seen_from->ino);
	else
		sb_addf(sb, "%s:[%llu]", nsf_type_name(ns->type),
		    (unsigned long long)ns->ino);
}

/* A holder as a line of the text tree, escaped; v: the namespace it leads to. */
static void
holder_desc(struct why *w, const struct nsf_holder *h, const struct nsf_ns *v,
    struct strbuf *sb)
{
	const struct nsf_proc *p = holder_proc(w->g, h);

	switch (h->kind) {
	case NSF_H_PROCESS:
		sb_adds(sb, "process ");
		proc_desc(p, h->pid, sb);
		if (h->count > 1)
			sb_addf(sb, " and %d more", h->count - 1);
		break;
	case NSF_H_THREAD:
		sb_addf(sb, "thread %d of process ", (int)h->tid);
		proc_desc(p, h->pid, sb);
		if (h->count > 1)
			sb_addf(sb, " and %d more", h->count - 1);
		break;
	case NSF_H_CHILDREN:
		sb_addf(sb, "%s of process ", h->entry ? h->entry : "children");
		proc_desc(p, h->pid, sb);
		if (h->count > 1)
			sb_addf(sb, " and %d more", h->count - 1);
		break;
	case NSF_H_ZOMBIE:
		sb_addf(sb, "zombie %d", (int)h->pid);
		if (h->count > 1)
			sb_addf(sb, " and %d more", h->count - 1);
		if (h->ppid > 0) {
			sb_adds(sb, ", not reaped by its parent ");
			proc_desc(h->parent ? h->parent : graph_find_proc(w->g, h->ppid),
			    h->ppid, sb);
		}
		break;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		if (h->kind != NSF_H_FD)
			sb_adds(sb, nsf_hkind_name(h->kind));
		if (h->kind == NSF_H_TUN && h->ifname) {
			sb_addc(sb, ' ');
			nsf_esc_text(sb, h->ifname);
		}
		if (h->slot >= 0)
			sb_addf(sb, "%sio_uring slot %d of", h->kind == NSF_H_FD ?
			    "" : " in ", h->slot);
		sb_addf(sb, "%sfd %d of ", h->kind == NSF_H_FD && h->slot < 0 ?
		    "" : " ", h->fd);
		if (h->tid)
			sb_addf(sb, "thread %d of ", (int)h->tid);
		sb_adds(sb, "process ");
		proc_desc(p, h->pid, sb);
		break;
	case NSF_H_BINDMOUNT:
		sb_adds(sb, "bind-mount ");
		nsf_esc_text(sb, h->path ? h->path : "?");
		if (h->covered) {
			sb_adds(sb, " (covered by ");
			nsf_esc_text(sb, h->covered_by ? h->covered_by : "another mount");
			sb_addc(sb, ')');
		}
		if (h->tree) {
			sb_addf(sb, " in a detached tree of fd %d of ", h->fd);
			if (h->tid)
				sb_addf(sb, "thread %d of ", (int)h->tid);
			sb_adds(sb, "process ");
			proc_desc(p, h->pid, sb);
		} else if (h->mntns == NULL)
			sb_adds(sb, " in an unknown mount namespace");
		else if (!h->mntns->self) {
			sb_adds(sb, " in ");
			ns_name(h->mntns, sb);
			if (h->mntns->initial)
				sb_adds(sb, " (initial)");
			else if (nsf_ns_hidden(h->mntns))
				sb_adds(sb, " (hidden)");
		}
		break;
	case NSF_H_OWNER:
	case NSF_H_PARENT:
		sb_adds(sb, h->kind == NSF_H_OWNER ? "owner of " : "parent of ");
		ns_name(v ? v : h->other, sb);
		if (v && nsf_ns_hidden(v))
			sb_adds(sb, " (hidden)");
		break;
	case NSF_H_UNKNOWN:
		sb_adds(sb, "unknown: nsfind cannot see what holds it");
		break;
	default:
		nsf_holder_text(h, sb);
		break;
	}
}

static void
text_line(struct why *w, const char *prefix, bool last, const struct strbuf *line)
{
	sb_adds(&w->out, prefix);
	sb_adds(&w->out, last ? w->last : w->branch);
	sb_addn(&w->out, line->buf ? line->buf : "", line->len);
	sb_addc(&w->out, '\n');
}

/* One line for holder h (leading to v, if any), then what holds v below it. */
static void
text_holder(struct why *w, struct nsf_ns *ns, const struct nsf_holder *h,
    struct nsf_ns *v, const char *prefix, bool last, int depth)
{
	struct strbuf line = STRBUF_INIT, hint = STRBUF_INIT, sub = STRBUF_INIT;

	holder_desc(w, h, v, &line);
	release(w, ns, h, &hint);
	if (hint.len) {
		sb_adds(&line, "; release: ");
		nsf_esc_text(&line, sb_str(&hint));
	}
	if (v && w->seen[v->index]) {
		sb_adds(&line, "; ");
		ns_name(v, &line);
		sb_adds(&line, " shown above");
		v = NULL;
	} else if (v && depth >= WHY_MAXDEPTH) {
		sb_adds(&line, "; cut here: too deep");
		v = NULL;
	}
	text_line(w, prefix, last, &line);
	if (v) {
		sb_adds(&sub, prefix);
		sb_adds(&sub, last ? "   " : w->bar);
		text_holders(w, v, sb_str(&sub), depth + 1);
	}
	sb_free(&line);
	sb_free(&hint);
	sb_free(&sub);
}

/* The holders of ns, as the children of a line; owner and parent once per namespace. */
static void
text_holders(struct why *w, struct nsf_ns *ns, const char *prefix, int depth)
{
	struct nsf_ns *const *v;
	size_t i, k, n, items = 0, done = 0;

	w->seen[ns->index] = true;
	for (i = 0; i < ns->nall; i++) {
		holder_via(ns, &ns->all[i], &n);
		items += (ns->all[i].kind == NSF_H_OWNER ||
		    ns->all[i].kind == NSF_H_PARENT) && n > 0 ? n : 1;
	}
	for (i = 0; i < ns->nall; i++) {
		v = holder_via(ns, &ns->all[i], &n);
		if (n == 0) {
			done++;
			text_holder(w, ns, &ns->all[i], NULL, prefix, done == items, depth);
			continue;
		}
		if (ns->all[i].kind == NSF_H_BINDMOUNT)
			n = 1;
		for (k = 0; k < n; k++) {
			done++;
			text_holder(w, ns, &ns->all[i], v[k], prefix, done == items, depth);
		}
	}
}

static void
text_ns(struct why *w, struct nsf_ns *ns)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	ns_name(ns, &line);
	if (ns->initial)
		sb_adds(&line, " (initial): lives as long as the system; nothing to release");
	else if (nsf_ns_hidden(ns))
		sb_adds(&line, " (hidden)");
	for (i = 0; i < ns->nnames; i++) {
		sb_adds(&line, i ? "," : " ip netns ");
		nsf_esc_text(&line, ns->names[i]);
	}
	sb_addn(&w->out, line.buf, line.len);
	sb_addc(&w->out, '\n');
	sb_free(&line);
	if (!ns->initial)
		text_holders(w, ns, "", 0);
	else
		w->seen[ns->index] = true;
}

/* Extra keys of one holder: release, container, and where it leads. */
static void
json_holder(struct why *w, struct nsf_ns *ns, const struct nsf_holder *h, int depth)
{
	struct strbuf hint = STRBUF_INIT;
	struct nsf_ns *const *v;
	struct nsf_proc *p;
	size_t n, k;

	nsf_holder_json(h, w->j);
	if (ns->initial)
		return;
	json_obj_reopen(w->j);
	release(w, ns, h, &hint);
	json_bytes(w->j, "release", hint.len ? sb_str(&hint) : NULL);
	sb_free(&hint);
	if ((h->kind != NSF_H_BINDMOUNT || h->tree) &&
	    (p = holder_proc(w->g, h)) != NULL && p->container)
		nsf_container_json(p->container, "container", w->j);
	v = holder_via(ns, h, &n);
	if (n > 0)
		json_ns(w, v[0], "via", depth + 1);
	if (n > 1 && h->kind != NSF_H_BINDMOUNT) {
		json_arr_open(w->j, "via_more");
		for (k = 1; k < n; k++)
			json_ns(w, v[k], NULL, depth + 1);
		json_arr_close(w->j);
	}
	json_obj_close(w->j);
}

static void
json_ns(struct why *w, struct nsf_ns *ns, const char *key, int depth)
{
	size_t i;

	json_obj_open(w->j, key);
	if (ns->unresolved) {
		json_null(w->j, "ns");
		json_bool(w->j, "unresolved", true);
		json_u64(w->j, "seen_from", ns->seen_from->ino);
		json_i64(w->j, "seen_as_netnsid", ns->nsid);
	} else
		json_u64(w->j, "ns", ns->ino);
	json_str(w->j, "type", nsf_type_name(ns->type));
	if (w->seen[ns->index] || depth >= WHY_MAXDEPTH) {
		json_bool(w->j, w->seen[ns->index] ? "repeated" : "truncated", true);
		json_obj_close(w->j);
		return;
	}
	w->seen[ns->index] = true;
	json_bool(w->j, "hidden", nsf_ns_hidden(ns));
	json_bool(w->j, "initial", ns->initial);
	if (ns->nnames) {
		json_arr_open(w->j, "names");
		for (i = 0; i < ns->nnames; i++)
			json_str(w->j, NULL, ns->names[i]);
		json_arr_close(w->j);
	}
	json_arr_open(w->j, "holders");
	for (i = 0; i < ns->nall; i++)
		json_holder(w, ns, &ns->all[i], depth);
	json_arr_close(w->j);
	json_obj_close(w->j);
}

/* Mark in sel every namespace the explanation of ns visits. */
void
nsf_why_reach(struct nsf_graph *g, struct nsf_ns *ns, bool *sel)
{
	struct nsf_ns *const *v;
	size_t i, k, n;

	if (sel[ns->index])
		return;
	sel[ns->index] = true;
	for (i = 0; i < ns->nall; i++) {
		v = holder_via(ns, &ns->all[i], &n);
		for (k = 0; k < n; k++)
			nsf_why_reach(g, v[k], sel);
	}
}

int
view_why(struct nsf_graph *g, const struct nsf_viewopts *o, struct nsf_ns **list,
    size_t n, FILE *out)
{
	struct why w;
	struct json j;
	size_t i;
	bool fancy = nsf_esc_utf8 && !o->raw;

	memset(&w, 0, sizeof(w));
	w.g = g;
	w.seen = xcalloc(g->nns + 1, sizeof(bool));
	w.branch = fancy ? "\xe2\x94\x9c\xe2\x94\x80 " : "|- ";
	w.last = fancy ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ";
	w.bar = fancy ? "\xe2\x94\x82  " : "|  ";
	if (o->json) {
		json_init(&j, !o->raw);
		w.j = &j;
		json_obj_open(&j, NULL);
		json_arr_open(&j, "namespaces");
		for (i = 0; i < n; i++) {
			memset(w.seen, 0, g->nns * sizeof(bool));
			json_ns(&w, list[i], NULL, 0);
		}
		json_arr_close(&j);
		view_notes_json(g, &j);
		json_obj_close(&j);
		fwrite(j.sb.buf, 1, j.sb.len, out);
		sb_free(&j.sb);
	} else {
		for (i = 0; i < n; i++) {
			memset(w.seen, 0, g->nns * sizeof(bool));
			if (i)
				sb_addc(&w.out, '\n');
			text_ns(&w, list[i]);
		}
		if (w.out.len)
			fwrite(w.out.buf, 1, w.out.len, out);
		sb_free(&w.out);
	}
	free(w.seen);
	return ferror(out) ? -1 : 0;
}
