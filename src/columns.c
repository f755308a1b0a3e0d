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

void
nsf_holder_text(const struct nsf_holder *h, struct strbuf *sb)
{
	sb_adds(sb, nsf_hkind_name(h->kind));
	switch (h->kind) {
	case NSF_H_PROCESS:
	case NSF_H_OWNER:
	case NSF_H_PARENT:
		sb_addf(sb, "(%d)", h->count);
		break;
	case NSF_H_THREAD:
		sb_addf(sb, "(%d/%d)", (int)h->pid, (int)h->tid);
		break;
	case NSF_H_CHILDREN:
		sb_addf(sb, "(%d)", (int)h->pid);
		break;
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
		break;
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
		sb_addc(sb, ')');
		break;
	case NSF_H_BINDMOUNT:
		sb_addc(sb, '(');
		nsf_mount_chain(h, sb, true);
		sb_addc(sb, ')');
		break;
	default:
		break;
	}
}

void
nsf_holder_json(const struct nsf_holder *h, struct json *j)
{
	struct strbuf sb = STRBUF_INIT;

	json_obj_open(j, NULL);
	json_str(j, "kind", nsf_hkind_name(h->kind));
	if (h->proc)
		json_bytes(j, "command", nsf_proc_command(h->proc));
	switch (h->kind) {
	case NSF_H_PROCESS:
		json_i64(j, "count", h->count);
		json_i64(j, "pid", h->pid);
		break;
	case NSF_H_THREAD:
		json_i64(j, "count", h->count);
		json_i64(j, "pid", h->pid);
		json_i64(j, "tid", h->tid);
		break;
	case NSF_H_CHILDREN:
		json_i64(j, "count", h->count);
		json_i64(j, "pid", h->pid);
		json_str(j, "entry", h->entry);
		break;
	case NSF_H_ZOMBIE:
		json_i64(j, "count", h->count);
		json_i64(j, "pid", h->pid);
		if (h->ppid > 0)
			json_i64(j, "ppid", h->ppid);
		else
			json_null(j, "ppid");
		json_bytes(j, "parent_command", h->parent ?
		    nsf_proc_command(h->parent) : NULL);
		break;
	case NSF_H_OWNER:
	case NSF_H_PARENT:
		json_i64(j, "count", h->count);
		json_u64(j, "ns", h->other->ino);
		json_str(j, "type", nsf_type_name(h->other->type));
		break;
	case NSF_H_FD:
	case NSF_H_SOCKET:
	case NSF_H_TUN:
		json_i64(j, "pid", h->pid);
		if (h->tid)
			json_i64(j, "tid", h->tid);
		json_i64(j, "fd", h->fd);
		if (h->slot >= 0)
			json_i64(j, "io_uring_slot", h->slot);
		if (h->kind == NSF_H_TUN)
			json_str(j, "ifname", h->ifname);
		break;
	case NSF_H_BINDMOUNT:
		json_bytes(j, "path", h->path);
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
		nsf_mount_chain(h, &sb, false);
		json_str(j, "chain", sb_str(&sb));
		sb_free(&sb);
		break;
	default:
		break;
	}
	json_obj_close(j);
}

static void
container_text(const struct nsf_container *c, struct strbuf *sb)
{
	char *label;

	if (c && (label = nsf_container_label(c)) != NULL) {
		nsf_esc_text(sb, label);
		free(label);
	}
}

/* {"engine", "id", "name", "pod", "k8s_namespace", "unit", "source"} or null. */
void
nsf_container_json(const struct nsf_container *c, const char *key, struct json *j)
{
	if (c == NULL || (c->engine == NULL && c->unit == NULL)) {
		json_null(j, key);
		return;
	}
	json_obj_open(j, key);
	json_str(j, "engine", c->engine);
	json_str(j, "id", c->id);
	json_str(j, "name", c->name);
	json_str(j, "pod", c->pod);
	json_str(j, "k8s_namespace", c->k8s_namespace);
	json_str(j, "unit", c->unit);
	json_str(j, "source", c->source);
	json_obj_close(j);
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

static void
holders_text(struct nsf_ns *ns, struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < ns->nall; i++) {
		if (i)
			sb_adds(sb, ", ");
		nsf_holder_text(&ns->all[i], sb);
	}
}

static void
nsfs_paths(struct nsf_ns *ns, struct strbuf *sb, struct json *j)
{
	struct strbuf one = STRBUF_INIT;
	size_t i;
	int n = 0;

	for (i = 0; i < ns->nholders; i++) {
		if (ns->holders[i].kind != NSF_H_BINDMOUNT)
			continue;
		sb_reset(&one);
		nsf_mount_chain(&ns->holders[i], &one, j == NULL);
		if (j)
			json_str(j, NULL, sb_str(&one));
		else {
			if (n++)
				sb_addc(sb, '\n');
			sb_adds(sb, sb_str(&one));
		}
	}
	sb_free(&one);
}

void
nsf_col_text(struct nsf_graph *g, struct nsf_ns *ns, int col, struct strbuf *sb)
{
	struct nsf_proc *p = rep_proc(g, ns);
	size_t i;

	switch (col) {
	case COL_NS:
		if (ns->unresolved)
			sb_addf(sb, "?(nsid %d of %llu)", ns->nsid,
			    (unsigned long long)ns->seen_from->ino);
		else
			sb_addf(sb, "%llu", (unsigned long long)ns->ino);
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
		container_text(ns->container, sb);
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
		json_u64(j, "seen_from", ns->seen_from->ino);
		json_i64(j, "seen_as_netnsid", ns->nsid);
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
		for (i = 0; i < ns->nall; i++)
			nsf_holder_json(&ns->all[i], j);
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
		nsf_container_json(ns->container, k, j);
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
