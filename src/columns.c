/*
 * columns.c - what each column of a namespace says, as text and as JSON.
 *
 * Views call these; everything here comes from the graph.  The process
 * details (command, user) were read by the procfs source beforehand.
 */
#include <ctype.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "container.h"
#include "details.h"
#include "escape.h"
#include "netinfo.h"
#include "mounts.h"
#include "util.h"
#include "views.h"

const struct nsf_coldef nsf_cols[NSF_NCOLS] = {
	[COL_NS] = { "NS", 10, SCOLS_FL_RIGHT, CT_NUM, "namespace identifier (inode number)" },
	[COL_TYPE] = { "TYPE", 5, 0, CT_STR, "kind of namespace" },
	[COL_PATH] = { "PATH", 0, 0, CT_STR, "path to the namespace" },
	[COL_NPROCS] = { "NPROCS", 5, SCOLS_FL_RIGHT, CT_NUM, "number of processes in the namespace" },
	[COL_NTHREADS] = { "NTHREADS", 5, SCOLS_FL_RIGHT, CT_NUM, "number of tasks (threads) in the namespace" },
	[COL_PID] = { "PID", 5, SCOLS_FL_RIGHT, CT_NUM, "lowest PID in the namespace" },
	[COL_PPID] = { "PPID", 5, SCOLS_FL_RIGHT, CT_NUM, "PPID of the PID" },
	[COL_COMMAND] = { "COMMAND", 0, SCOLS_FL_TRUNC, CT_STR, "command line of the PID" },
	[COL_UID] = { "UID", 0, SCOLS_FL_RIGHT, CT_NUM, "UID of the PID" },
	[COL_USER] = { "USER", 0, 0, CT_STR, "username of the PID" },
	[COL_NETNSID] = { "NETNSID", 0, SCOLS_FL_RIGHT, CT_STR, "namespace ID as used by network subsystem" },
	[COL_NSFS] = { "NSFS", 0, SCOLS_FL_WRAP, CT_ARRAY, "nsfs mountpoint (usually used network subsystem)" },
	[COL_PNS] = { "PNS", 10, SCOLS_FL_RIGHT, CT_NUM, "parent namespace identifier (inode number)" },
	[COL_ONS] = { "ONS", 10, SCOLS_FL_RIGHT, CT_NUM, "owner namespace identifier (inode number)" },
	[COL_ID] = { "ID", 0, SCOLS_FL_RIGHT, CT_NUM, "64-bit namespace id (NS_GET_ID, 6.18+)" },
	[COL_CREATOR] = { "CREATOR", 0, SCOLS_FL_RIGHT, CT_NUM, "UID that created the user namespace" },
	[COL_INITIAL] = { "INITIAL", 0, 0, CT_BOOL, "one of the initial namespaces" },
	[COL_HIDDEN] = { "HIDDEN", 0, 0, CT_BOOL, "no process or thread is in it" },
	[COL_HOLDERS] = { "HOLDERS", 0, SCOLS_FL_WRAP, CT_ARRAY, "what keeps the namespace alive" },
	[COL_NAMES] = { "NAMES", 0, 0, CT_ARRAY, "ip netns names" },
	[COL_CONTAINER] = { "CONTAINER", 0, SCOLS_FL_TRUNC, CT_STR, "container, pod, unit or sandbox behind it" },
	[COL_INTERFACES] = { "INTERFACES", 0, SCOLS_FL_WRAP, CT_ARRAY, "network interfaces, and peers in other namespaces" },
	[COL_DETAILS] = { "DETAILS", 0, SCOLS_FL_WRAP, CT_STR, "what is inside: hostname, id maps, pid level, offsets, mounts, addresses..." },
};

int
nsf_col_from_name(const char *s, size_t len)
{
	int i;

	for (i = 0; i < NSF_NCOLS; i++)
		if (strlen(nsf_cols[i].name) == len &&
		    strncasecmp(nsf_cols[i].name, s, len) == 0)
			return i;
	return -1;
}

/* lsns's keys: the column name in lower case, '-' as '_'. */
char *
nsf_col_key(int col)
{
	char *k = xstrdup(nsf_cols[col].name), *p;

	for (p = k; *p; p++)
		*p = *p == '-' ? '_' : tolower((unsigned char)*p);
	return k;
}

const char *
nsf_proc_command(const struct nsf_proc *p)
{
	if (p == NULL)
		return NULL;
	if (p->cmdline)
		return p->cmdline;
	return p->comm;
}

/* The process that represents a namespace in PID, COMMAND, USER... */
static struct nsf_proc *
rep_proc(struct nsf_graph *g, struct nsf_ns *ns)
{
	if (ns->proc)
		return ns->proc;
	if (ns->nthread_only)
		return graph_find_proc(g, ns->thread_pid);
	if (ns->nchildren)
		return graph_find_proc(g, ns->children_pid);
	return NULL;
}

/* Paths may hold anything: a text cell shows them escaped (escape.h), JSON raw. */
static void
add_path(struct strbuf *sb, const char *path, bool escape)
{
	if (path == NULL)
		path = "?";
	if (escape)
		nsf_esc_text(sb, path);
	else
		sb_adds(sb, path);
}

/* "/run/x/mnt » /mnt/net": where a mount sits, through hidden mount namespaces. */
void
nsf_mount_chain(const struct nsf_holder *h, struct strbuf *sb, bool escape)
{
	const struct nsf_holder *chain[16];
	const struct nsf_holder *cur = h;
	struct nsf_ns *m;
	size_t n = 0, i, j;

	while (cur && n < NSF_ARRAY_SIZE(chain)) {
		chain[n++] = cur;
		m = cur->mntns;
		cur = NULL;
		if (m == NULL || !nsf_ns_hidden(m))
			break;
		for (i = 0; i < m->nholders; i++) {
			if (m->holders[i].kind != NSF_H_BINDMOUNT)
				continue;
			for (j = 0; j < n; j++)	/* a loop of mounts */
				if (chain[j] == &m->holders[i])
					break;
			if (j == n)
				cur = &m->holders[i];
			break;
		}
	}
	/* The outermost mount: say where it is unless nsfind sees it too. */
	m = chain[n - 1]->mntns;
	cur = chain[n - 1];
	while (n-- > 0) {
		add_path(sb, chain[n]->path, escape);
		if (chain[n]->covered) {
			sb_adds(sb, " (covered by ");
			add_path(sb, chain[n]->covered_by ? chain[n]->covered_by :
			    "another mount", escape);
			sb_addc(sb, ')');
		}
		if (n > 0)
			sb_addf(sb, " %s ", escape ? nsf_chevron : "\xc2\xbb");
	}
	if (cur->tree)
		sb_addf(sb, " in a detached tree of fd %d of %d", cur->fd,
		    (int)cur->pid);
	else if (m && !m->self)
		sb_addf(sb, " in mnt:[%llu]", (unsigned long long)m->ino);
}

/*
 * Holders that read as one for a person: copies of one bind mount (the
 * same path, propagated into other mount namespaces), and the fds,
 * sockets or tun devices of one process.
 */
static bool
same_holder(const struct nsf_holder *a, const struct nsf_holder *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case NSF_H_BINDMOUNT:
		/* A detached tree's paths are its own: never a copy of a mount. */
		if (a->tree || b->tree)
			return a->tree && b->tree && a->pid == b->pid &&
			    a->fd == b->fd && strcmp(a->path, b->path) == 0;
		return a->path != NULL && b->path != NULL &&
		    strcmp(a->path, b->path) == 0;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		return a->pid == b->pid;
	default:
		return false;
	}
}

/* Is all[k] the first of its kind in all[]? */
static bool
first_of_group(const struct nsf_holder *all, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (same_holder(&all[i], &all[k]))
			return false;
	return true;
}

/*
 * The copy of all[k]'s group that stands for it in text: the mount in
 * nsfind's own mount namespace, else one in a namespace a task is in,
 * else the first.  *ncopies counts the group.
 */
static const struct nsf_holder *
group_rep(const struct nsf_holder *all, size_t n, size_t k, size_t *ncopies)
{
	const struct nsf_holder *best = &all[k];
	int rank, brank = 3;
	size_t i;

	*ncopies = 0;
	for (i = k; i < n; i++) {
		if (i != k && !same_holder(&all[k], &all[i]))
			continue;
		(*ncopies)++;
		if (all[i].kind != NSF_H_BINDMOUNT || all[i].mntns == NULL)
			rank = 2;
		else if (all[i].mntns->self)
			rank = 0;
		else
			rank = nsf_ns_hidden(all[i].mntns) ? 2 : 1;
		if (rank < brank) {
			brank = rank;
			best = &all[i];
		}
	}
	return best;
}

/* One holder; "+N copies" or "+N more" when it stands for others too. */
static void
holder_text_n(const struct nsf_holder *h, size_t others, struct strbuf *sb)
{
	sb_adds(sb, nsf_hkind_name(h->kind));
	switch (h->kind) {
	case NSF_H_PROCESS:
	case NSF_H_OWNER:
	case NSF_H_PARENT:
		sb_addf(sb, "(%d)", h->count);
		return;
	case NSF_H_THREAD:
		sb_addf(sb, "(%d/%d)", (int)h->pid, (int)h->tid);
		return;
	case NSF_H_CHILDREN:
		sb_addf(sb, "(%d)", (int)h->pid);
		return;
	case NSF_H_ZOMBIE:
		sb_addf(sb, "(%d", (int)h->pid);
		if (h->count > 1)
			sb_addf(sb, " +%d", h->count - 1);
		if (h->ppid > 0) {
			sb_addf(sb, ", parent %d", (int)h->ppid);
			if (h->parent && h->parent->comm) {
				sb_addc(sb, ' ');
				nsf_esc_text(sb, h->parent->comm);
			}
		}
		sb_addc(sb, ')');
		return;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		sb_addf(sb, "(%d", (int)h->pid);
		if (h->tid)
			sb_addf(sb, "/%d", (int)h->tid);
		sb_addf(sb, ":%d", h->fd);
		if (h->slot >= 0)
			sb_addf(sb, " io_uring[%d]", h->slot);
		if (h->ifname) {
			sb_addc(sb, ' ');
			nsf_esc_text(sb, h->ifname);
		}
		if (h->proc && h->proc->comm) {
			sb_addc(sb, ' ');
			nsf_esc_text(sb, h->proc->comm);
		}
		if (others)
			sb_addf(sb, " +%zu more", others);
		break;
	case NSF_H_BINDMOUNT:
		sb_addc(sb, '(');
		nsf_mount_chain(h, sb, true);
		if (others)
			sb_addf(sb, " +%zu cop%s", others, others == 1 ? "y" : "ies");
		break;
	default:
		return;
	}
	sb_addc(sb, ')');
}

void
nsf_holder_text(const struct nsf_holder *h, struct strbuf *sb)
{
	holder_text_n(h, 0, sb);
}

/* Where one copy of a bind mount is: mount namespace, cover, chain, tree. */
static void
mount_where(const struct nsf_holder *h, struct json *j, struct strbuf *sb)
{
	if (h->mntns)
		json_u64(j, "mntns", h->mntns->ino);
	else
		json_null(j, "mntns");
	json_bool(j, "covered", h->covered);
	json_str(j, "covered_by", h->covered_by);
	if (h->tree) {
		json_bool(j, "detached_tree", true);
		json_i64(j, "pid", h->pid);
		if (h->tid)
			json_i64(j, "tid", h->tid);
		json_i64(j, "fd", h->fd);
	}
	sb_reset(sb);
	nsf_mount_chain(h, sb, false);
	json_str(j, "chain", sb_str(sb));
}

/*
 * The writer of every holder object.  h[0..n-1] are copies of one bind
 * mount (n is 1 for any other holder): one object, path once, and each
 * mount namespace the mount appears in under "copies".
 */
static void
holder_obj(const struct nsf_holder *const *h, size_t n, struct json *j)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	json_obj_open(j, NULL);
	json_str(j, "kind", nsf_hkind_name(h[0]->kind));
	if (h[0]->proc)
		json_bytes(j, "command", nsf_proc_command(h[0]->proc));
	switch (h[0]->kind) {
	case NSF_H_PROCESS:
		json_i64(j, "count", h[0]->count);
		json_i64(j, "pid", h[0]->pid);
		break;
	case NSF_H_THREAD:
		json_i64(j, "count", h[0]->count);
		json_i64(j, "pid", h[0]->pid);
		json_i64(j, "tid", h[0]->tid);
		break;
	case NSF_H_CHILDREN:
		json_i64(j, "count", h[0]->count);
		json_i64(j, "pid", h[0]->pid);
		json_str(j, "entry", h[0]->entry);
		break;
	case NSF_H_ZOMBIE:
		json_i64(j, "count", h[0]->count);
		json_i64(j, "pid", h[0]->pid);
		if (h[0]->ppid > 0)
			json_i64(j, "ppid", h[0]->ppid);
		else
			json_null(j, "ppid");
		json_bytes(j, "parent_command", h[0]->parent ?
		    nsf_proc_command(h[0]->parent) : NULL);
		break;
	case NSF_H_OWNER:
	case NSF_H_PARENT:
		json_i64(j, "count", h[0]->count);
		json_u64(j, "ns", h[0]->other->ino);
		json_str(j, "type", nsf_type_name(h[0]->other->type));
		break;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		json_i64(j, "pid", h[0]->pid);
		if (h[0]->tid)
			json_i64(j, "tid", h[0]->tid);
		json_i64(j, "fd", h[0]->fd);
		if (h[0]->slot >= 0)
			json_i64(j, "io_uring_slot", h[0]->slot);
		if (h[0]->kind == NSF_H_TUN)
			json_str(j, "ifname", h[0]->ifname);
		break;
	case NSF_H_BINDMOUNT:
		json_bytes(j, "path", h[0]->path);
		/* The first copy at the top too: one-copy readers need no loop. */
		mount_where(h[0], j, &sb);
		json_i64(j, "count", (int64_t)n);
		json_arr_open(j, "copies");
		for (i = 0; i < n; i++) {
			json_obj_open(j, NULL);
			mount_where(h[i], j, &sb);
			json_obj_close(j);
		}
		json_arr_close(j);
		break;
	default:
		break;
	}
	json_obj_close(j);
	sb_free(&sb);
}

void
nsf_holder_json(const struct nsf_holder *h, struct json *j)
{
	holder_obj(&h, 1, j);
}

/* Every holder of ns, the copies of one bind mount as one object. */
static void
holders_json(struct nsf_ns *ns, struct json *j)
{
	const struct nsf_holder **grp;
	size_t i, k, n;

	grp = xcalloc(ns->nall + 1, sizeof(*grp));
	for (k = 0; k < ns->nall; k++) {
		if (ns->all[k].kind == NSF_H_BINDMOUNT) {
			if (!first_of_group(ns->all, k))
				continue;
			for (n = 0, i = k; i < ns->nall; i++)
				if (i == k || same_holder(&ns->all[k], &ns->all[i]))
					grp[n++] = &ns->all[i];
		} else {
			grp[0] = &ns->all[k];
			n = 1;
		}
		holder_obj(grp, n, j);
	}
	free(grp);
}

/*
 * The label, then, when every process was attributed (--container, -P),
 * the other containers whose tasks are in the namespace too.
 */
static void
container_text(struct nsf_graph *g, struct nsf_ns *ns, struct strbuf *sb)
{
	const struct nsf_container **sh;
	size_t i, n;
	char *label;

	if (ns->container && (label = nsf_container_label(ns->container)) != NULL) {
		nsf_esc_text(sb, label);
		free(label);
	}
	n = nsf_container_sharers(g, ns, &sh);
	for (i = 0; i < n; i++) {
		if ((label = nsf_container_label(sh[i])) == NULL)
			continue;
		sb_addf(sb, i == 0 ? "; shared with " : ", ");
		nsf_esc_text(sb, label);
		free(label);
	}
	free(sh);
}

static void
container_members(const struct nsf_container *c, struct json *j)
{
	json_str(j, "engine", c->engine);
	json_str(j, "id", c->id);
	json_str(j, "name", c->name);
	json_str(j, "pod", c->pod);
	json_str(j, "pod_id", c->pod_uid);
}

/*
 * {"engine", "id", "name", "pod", "pod_id", "k8s_namespace",
 * "ctr_namespace", "unit", "source"} or null.
 */
void
nsf_container_json(const struct nsf_container *c, const char *key, struct json *j)
{
	if (c == NULL || (c->engine == NULL && c->unit == NULL)) {
		json_null(j, key);
		return;
	}
	json_obj_open(j, key);
	container_members(c, j);
	json_str(j, "k8s_namespace", c->k8s_namespace);
	json_str(j, "ctr_namespace", c->ctr_namespace);
	json_str(j, "unit", c->unit);
	json_str(j, "source", c->source);
	json_obj_close(j);
}

/*
 * A namespace's container, and "shared_with": the other containers with
 * tasks in it ({"engine", "id", "name", "pod", "pod_id"}), when every
 * process was attributed (--container, -P); absent otherwise.
 */
static void
container_ns_json(struct nsf_graph *g, struct nsf_ns *ns, const char *key,
    struct json *j)
{
	const struct nsf_container **sh;
	size_t i, n;

	n = nsf_container_sharers(g, ns, &sh);
	if (n == 0 || ns->container == NULL || (ns->container->engine == NULL &&
	    ns->container->unit == NULL)) {
		nsf_container_json(ns->container, key, j);
		free(sh);
		return;
	}
	json_obj_open(j, key);
	container_members(ns->container, j);
	json_str(j, "k8s_namespace", ns->container->k8s_namespace);
	json_str(j, "ctr_namespace", ns->container->ctr_namespace);
	json_str(j, "unit", ns->container->unit);
	json_str(j, "source", ns->container->source);
	json_arr_open(j, "shared_with");
	for (i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		container_members(sh[i], j);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_obj_close(j);
	free(sh);
}

/* The first path a user could open the namespace by. */
static void
ns_path(struct nsf_graph *g, struct nsf_ns *ns, struct strbuf *sb, bool escape)
{
	struct nsf_proc *p = rep_proc(g, ns);
	size_t i;

	if (ns->proc) {
		sb_addf(sb, "/proc/%d/ns/%s", (int)p->pid, nsf_type_name(ns->type));
		return;
	}
	if (ns->nthread_only) {
		sb_addf(sb, "/proc/%d/task/%d/ns/%s", (int)ns->thread_pid,
		    (int)ns->thread_tid, nsf_type_name(ns->type));
		return;
	}
	for (i = 0; i < ns->nall; i++) {
		const struct nsf_holder *h = &ns->all[i];

		if (h->kind == NSF_H_FD && h->slot < 0) {
			if (h->tid)
				sb_addf(sb, "/proc/%d/task/%d/fd/%d", (int)h->pid,
				    (int)h->tid, h->fd);
			else
				sb_addf(sb, "/proc/%d/fd/%d", (int)h->pid, h->fd);
			return;
		}
		/* A covered mount's path opens what covers it: never that. */
		if (h->kind == NSF_H_BINDMOUNT && h->mntns && h->mntns->self &&
		    !h->covered) {
			add_path(sb, h->path, escape);
			return;
		}
	}
}

/* One line per holder, copies and fds of one process summarised. */
static void
holders_text(struct nsf_ns *ns, struct strbuf *sb)
{
	const struct nsf_holder *rep;
	size_t k, n, lines = 0;

	for (k = 0; k < ns->nall; k++) {
		if (!first_of_group(ns->all, k))
			continue;
		rep = group_rep(ns->all, ns->nall, k, &n);
		if (lines++)
			sb_addc(sb, '\n');
		holder_text_n(rep, n - 1, sb);
	}
}

/*
 * NSFS: where the namespace is mounted.  JSON lists every copy; text
 * names each path once (HOLDERS says how many copies there are).
 */
static void
nsfs_paths(struct nsf_ns *ns, struct strbuf *sb, struct json *j)
{
	struct strbuf one = STRBUF_INIT;
	const struct nsf_holder *rep;
	size_t i, ncopies;
	int n = 0;

	for (i = 0; i < ns->nall; i++) {
		if (ns->all[i].kind != NSF_H_BINDMOUNT)
			continue;
		sb_reset(&one);
		if (j) {
			nsf_mount_chain(&ns->all[i], &one, false);
			json_str(j, NULL, sb_str(&one));
			continue;
		}
		if (!first_of_group(ns->all, i))
			continue;
		rep = group_rep(ns->all, ns->nall, i, &ncopies);
		nsf_mount_chain(rep, &one, true);
		if (n++)
			sb_addc(sb, '\n');
		sb_adds(sb, sb_str(&one));
	}
	sb_free(&one);
}

/*
 * NS of a namespace known only by a netnsid: "?(nsid N of INODE)", or
 * "?(peer of INODE, nsid unassigned)" when the namespace that shows it
 * has no id for it.  That one may be unresolved too (a chain of
 * namespaces only links reveal): it is written the same way, inside.
 */
static void
unresolved_text(const struct nsf_ns *ns, struct strbuf *sb, int depth)
{
	if (!ns->unresolved) {
		sb_addf(sb, "%llu", (unsigned long long)ns->ino);
		return;
	}
	if (depth > 2 || ns->seen_from == NULL) {
		sb_adds(sb, "?");
		return;
	}
	if (ns->nsid >= 0)
		sb_addf(sb, "?(nsid %d of ", ns->nsid);
	else
		sb_adds(sb, "?(peer of ");
	unresolved_text(ns->seen_from, sb, depth + 1);
	sb_adds(sb, ns->nsid >= 0 ? ")" : ", nsid unassigned)");
}

/*
 * A cell on one line: list columns hold one item per line, which a view
 * that has one line to give (no wrapping, -r, --watch) joins, holders
 * with ", ", other lists with ",".  Host bytes are escaped already, so a
 * newline here is always a separator.
 */
void
nsf_col_flatten(struct strbuf *sb, int col)
{
	struct strbuf o = STRBUF_INIT;
	size_t i;

	if (memchr(sb_str(sb), '\n', sb->len) == NULL)
		return;
	for (i = 0; i < sb->len; i++) {
		if (sb->buf[i] != '\n')
			sb_addc(&o, sb->buf[i]);
		else
			sb_adds(&o, col == COL_HOLDERS ? ", " : ",");
	}
	sb_reset(sb);
	sb_adds(sb, sb_str(&o));
	sb_free(&o);
}

void
nsf_col_text(struct nsf_graph *g, struct nsf_ns *ns, int col, struct strbuf *sb)
{
	struct nsf_proc *p = rep_proc(g, ns);
	size_t i;

	switch (col) {
	case COL_NS:
		unresolved_text(ns, sb, 0);
		break;
	case COL_TYPE: sb_adds(sb, nsf_type_name(ns->type)); break;
	case COL_PATH: ns_path(g, ns, sb, true); break;
	case COL_NPROCS: sb_addf(sb, "%d", ns->nprocs); break;
	case COL_NTHREADS: sb_addf(sb, "%d", ns->ntasks); break;
	case COL_PID: if (p) sb_addf(sb, "%d", (int)p->pid); break;
	case COL_PPID: if (p && p->ppid >= 0) sb_addf(sb, "%d", (int)p->ppid); break;
	case COL_COMMAND:
		if (p && p->kthread) {
			sb_addc(sb, '[');
			nsf_esc_text(sb, p->comm ? p->comm : "?");
			sb_addc(sb, ']');
		} else if (p && nsf_proc_command(p))
			nsf_esc_text(sb, nsf_proc_command(p));
		break;
	case COL_UID: if (p) sb_addf(sb, "%u", (unsigned)p->uid); break;
	case COL_USER: if (p && p->user) nsf_esc_text(sb, p->user); break;
	case COL_NSFS: nsfs_paths(ns, sb, NULL); break;
	case COL_PNS: if (ns->parent) sb_addf(sb, "%llu", (unsigned long long)ns->parent->ino); break;
	case COL_ONS: if (ns->owner) sb_addf(sb, "%llu", (unsigned long long)ns->owner->ino); break;
	case COL_ID: if (ns->id) sb_addf(sb, "%llu", (unsigned long long)ns->id); break;
	case COL_CREATOR: if (ns->has_creator) sb_addf(sb, "%u", (unsigned)ns->creator); break;
	case COL_INITIAL: sb_adds(sb, ns->initial ? "yes" : "no"); break;
	case COL_HIDDEN: sb_adds(sb, nsf_ns_hidden(ns) ? "yes" : "no"); break;
	case COL_HOLDERS: holders_text(ns, sb); break;
	case COL_NAMES:
		for (i = 0; i < ns->nnames; i++) {
			if (i)
				sb_addc(sb, ',');
			nsf_esc_text(sb, ns->names[i]);
		}
		break;
	case COL_CONTAINER:
		container_text(g, ns, sb);
		break;
	case COL_NETNSID:
	case COL_INTERFACES:
		if (ns->type == NSF_NET)
			nsf_net_text(ns, col, sb);
		break;
	case COL_DETAILS:
		nsf_details_text(ns, sb);
		break;
	}
}

static void
json_opt_num(struct json *j, const char *k, bool have, uint64_t v)
{
	if (have)
		json_u64(j, k, v);
	else
		json_null(j, k);
}

void
nsf_col_json(struct nsf_graph *g, struct nsf_ns *ns, int col, struct json *j)
{
	struct strbuf sb = STRBUF_INIT;
	struct nsf_proc *p = rep_proc(g, ns);
	char *k = nsf_col_key(col);
	size_t i;

	switch (col) {
	case COL_NS:
		if (!ns->unresolved) {
			json_u64(j, k, ns->ino);
			break;
		}
		/* Known only as a netnsid of another namespace. */
		json_null(j, k);
		json_bool(j, "unresolved", true);
		if (ns->seen_from && !ns->seen_from->unresolved)
			json_u64(j, "seen_from", ns->seen_from->ino);
		else		/* revealed by another unresolved one */
			json_null(j, "seen_from");
		if (ns->nsid >= 0)
			json_i64(j, "seen_as_netnsid", ns->nsid);
		else
			json_null(j, "seen_as_netnsid");	/* unassigned */
		break;
	case COL_NPROCS: json_i64(j, k, ns->nprocs); break;
	case COL_PATH:
		ns_path(g, ns, &sb, false);
		json_bytes(j, k, sb.len ? sb_str(&sb) : NULL);
		break;
	case COL_COMMAND:
		json_bytes(j, k, p == NULL ? NULL : p->kthread ? p->comm :
		    nsf_proc_command(p));
		break;
	case COL_USER: json_str(j, k, p ? p->user : NULL); break;
	case COL_NTHREADS: json_i64(j, k, ns->ntasks); break;
	case COL_PID: json_opt_num(j, k, p, p ? p->pid : 0); break;
	case COL_PPID: json_opt_num(j, k, p && p->ppid >= 0, p ? p->ppid : 0); break;
	case COL_UID: json_opt_num(j, k, p, p ? p->uid : 0); break;
	case COL_PNS: json_opt_num(j, k, ns->parent, ns->parent ? ns->parent->ino : 0); break;
	case COL_ONS: json_opt_num(j, k, ns->owner, ns->owner ? ns->owner->ino : 0); break;
	case COL_ID: json_opt_num(j, k, ns->id, ns->id); break;
	case COL_CREATOR: json_opt_num(j, k, ns->has_creator, ns->creator); break;
	case COL_INITIAL: json_bool(j, k, ns->initial); break;
	case COL_HIDDEN: json_bool(j, k, nsf_ns_hidden(ns)); break;
	case COL_HOLDERS:
		json_arr_open(j, k);
		holders_json(ns, j);
		json_arr_close(j);
		break;
	case COL_NSFS:
		json_arr_open(j, k);
		nsfs_paths(ns, NULL, j);
		json_arr_close(j);
		break;
	case COL_NAMES:
		json_arr_open(j, k);
		for (i = 0; i < ns->nnames; i++)
			json_str(j, NULL, ns->names[i]);
		json_arr_close(j);
		break;
	case COL_CONTAINER:
		container_ns_json(g, ns, k, j);
		break;
	case COL_NETNSID:
	case COL_INTERFACES:
		if (ns->type == NSF_NET)
			nsf_net_json(ns, col, k, j);
		else
			json_null(j, k);
		break;
	case COL_DETAILS:
		nsf_details_json(ns, k, j);
		break;
	default:
		nsf_col_text(g, ns, col, &sb);
		json_str(j, k, sb.len ? sb_str(&sb) : NULL);
		break;
	}
	sb_free(&sb);
	free(k);
}
