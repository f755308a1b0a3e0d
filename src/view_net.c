/*
 * view_net.c - network columns (NETNSID, INTERFACES) and the --links
 * view: which namespace is wired to which, by which interfaces.
 */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "details.h"
#include "escape.h"
#include "rawout.h"
#include "netinfo.h"
#include "util.h"
#include "views.h"

/* The name of the interface with ifindex in ns, or NULL. */
const char *
nsf_peer_name(const struct nsf_ns *ns, int ifindex)
{
	size_t i;

	if (ns == NULL || ns->net == NULL)
		return NULL;
	for (i = 0; i < ns->net->nlinks; i++)
		if (ns->net->links[i].ifindex == ifindex)
			return ns->net->links[i].name;
	return NULL;
}

static void
ns_ref(const struct nsf_ns *ns, struct strbuf *sb)
{
	if (ns == NULL)
		sb_adds(sb, "?");
	else if (ns->unresolved)
		sb_addf(sb, "unresolved(nsid %d)", ns->nsid);
	else
		sb_addf(sb, "%llu", (unsigned long long)ns->ino);
}

static void
link_text(const struct nsf_ns *ns, const struct nsf_netinfo *ni, size_t k,
    struct strbuf *sb)
{
	const struct nsf_link *l = &ni->links[k];
	const char *pn;

	nsf_esc_text(sb, l->name);
	if (l->kind[0]) {
		sb_addc(sb, '(');
		nsf_esc_text(sb, l->kind);
		sb_addc(sb, ')');
	}
	nsf_addrs_text(ns, l->ifindex, sb);	/* when DETAILS read them */
	if (l->link_netnsid < 0)
		return;
	sb_addf(sb, " %s ", nsf_arrow);
	ns_ref(ni->peer[k], sb);
	if ((pn = nsf_peer_name(ni->peer[k], l->link_ifindex)) != NULL) {
		sb_addc(sb, ':');
		nsf_esc_text(sb, pn);
	}
}

void
nsf_net_text(struct nsf_ns *ns, int col, struct strbuf *sb)
{
	struct nsf_netinfo *ni = ns->net;
	size_t k;

	if (ni == NULL)
		return;
	if (col == COL_NETNSID) {
		if (ni->nsid >= 0)
			sb_addf(sb, "%d", ni->nsid);
		else if (ni->nsid == NSF_NSID_NONE)
			sb_adds(sb, "unassigned");
		return;
	}
	for (k = 0; k < ni->nlinks; k++) {
		if (k)
			sb_addc(sb, '\n');
		link_text(ns, ni, k, sb);
	}
}

static void
link_json(const struct nsf_ns *ns, const struct nsf_netinfo *ni, size_t k,
    struct json *j)
{
	const struct nsf_link *l = &ni->links[k];
	const struct nsf_ns *p = ni->peer[k];

	json_obj_open(j, NULL);
	json_str(j, "name", l->name);
	json_i64(j, "ifindex", l->ifindex);
	json_str(j, "kind", l->kind[0] ? l->kind : NULL);
	json_str(j, "state", l->state[0] ? l->state : NULL);
	if (l->master)
		json_i64(j, "master", l->master);
	nsf_addrs_json(ns, l->ifindex, j);
	if (l->link_netnsid >= 0) {
		if (p && !p->unresolved)
			json_u64(j, "peer_ns", p->ino);
		else
			json_null(j, "peer_ns");
		if (ni->peer_nsid[k] >= 0)
			json_i64(j, "peer_netnsid", ni->peer_nsid[k]);
		else
			json_null(j, "peer_netnsid");
		json_i64(j, "peer_ifindex", l->link_ifindex);
		json_str(j, "peer_name", nsf_peer_name(p, l->link_ifindex));
	}
	json_obj_close(j);
}

void
nsf_net_json(struct nsf_ns *ns, int col, const char *key, struct json *j)
{
	struct nsf_netinfo *ni = ns->net;
	size_t k;

	if (ni == NULL) {
		json_null(j, key);
		return;
	}
	if (col == COL_NETNSID) {
		if (ni->nsid >= 0)
			json_i64(j, key, ni->nsid);
		else
			json_null(j, key);
		return;
	}
	json_arr_open(j, key);
	for (k = 0; k < ni->nlinks; k++)
		link_json(ns, ni, k, j);
	json_arr_close(j);
}

/* One row of --links: a link whose other end is in another namespace. */
struct lrow {
	struct nsf_ns	*ns, *peer;
	const struct nsf_link *l;
	int		 peer_nsid;
};

static void
names(const struct nsf_ns *ns, struct strbuf *sb)
{
	size_t i;

	for (i = 0; ns && i < ns->nnames; i++) {
		if (i)
			sb_addc(sb, ',');
		nsf_esc_text(sb, ns->names[i]);
	}
}

/* A veth pair shows once: skip the end whose peer row is already listed. */
static bool
dup_row(const struct lrow *rows, size_t n, const struct lrow *r)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].ns == r->peer && rows[i].peer == r->ns &&
		    rows[i].l->link_ifindex == r->l->ifindex &&
		    r->l->link_ifindex == rows[i].l->ifindex)
			return true;
	return false;
}

static size_t
collect_links(struct nsf_graph *g, const bool *sel, struct lrow **out)
{
	struct lrow *rows = NULL, r;
	struct nsf_ns **list;
	size_t n, i, k, nr = 0, cap = 0;

	list = nsf_sorted(g, sel, &n);
	for (i = 0; i < n; i++) {
		struct nsf_netinfo *ni = list[i]->net;

		/* An unresolved namespace's links show from their resolved end. */
		if (list[i]->unresolved)
			continue;
		for (k = 0; ni && k < ni->nlinks; k++) {
			if (ni->links[k].link_netnsid < 0)
				continue;
			r.ns = list[i];
			r.peer = ni->peer[k];
			r.l = &ni->links[k];
			r.peer_nsid = ni->peer_nsid[k];
			if (dup_row(rows, nr, &r))
				continue;
			nsf_grow(&rows, &cap, nr, sizeof(*rows));
			rows[nr++] = r;
		}
	}
	free(list);
	*out = rows;
	return nr;
}

static void
links_json(struct nsf_graph *g, struct lrow *rows, size_t n, bool raw, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	size_t i;

	json_init(&j, !raw);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "links");
	for (i = 0; i < n; i++) {
		json_obj_open(&j, NULL);
		json_u64(&j, "ns", rows[i].ns->ino);
		json_str(&j, "interface", rows[i].l->name);
		json_str(&j, "kind", rows[i].l->kind[0] ? rows[i].l->kind : NULL);
		if (rows[i].peer && !rows[i].peer->unresolved)
			json_u64(&j, "peer_ns", rows[i].peer->ino);
		else
			json_null(&j, "peer_ns");
		if (rows[i].peer_nsid >= 0)
			json_i64(&j, "peer_netnsid", rows[i].peer_nsid);
		else
			json_null(&j, "peer_netnsid");
		json_str(&j, "peer_interface",
		    nsf_peer_name(rows[i].peer, rows[i].l->link_ifindex));
		json_obj_close(&j);
	}
	json_arr_close(&j);
	view_notes_json(g, &j);
	json_obj_close(&j);
	fwrite(j.sb.buf, 1, j.sb.len, out);
	sb_free(&j.sb);
	sb_free(&sb);
}

int
view_links(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	static const char *hdr[] = { "NS", "NAMES", "INTERFACE", "KIND",
	    "PEER-NS", "PEER-NAMES", "PEER-INTERFACE" };
	struct strbuf sb = STRBUF_INIT;
	struct libscols_table *tb;
	struct libscols_line *ln;
	struct lrow *rows;
	size_t n, i, c;
	const char *pn;
	int rc;

	n = collect_links(g, v->sel, &rows);
	if (v->json) {
		links_json(g, rows, n, v->raw, out);
		free(rows);
		return ferror(out) ? -1 : 0;
	}
	if ((tb = scols_new_table()) == NULL) {
		free(rows);
		return -ENOMEM;
	}
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, v->raw);
	scols_table_enable_noheadings(tb, v->noheadings);
	scols_table_enable_noencoding(tb, 1);	/* escaped here, once */
	for (c = 0; c < NSF_ARRAY_SIZE(hdr); c++)
		scols_table_new_column(tb, hdr[c], 0, c == 0 ? SCOLS_FL_RIGHT : 0);
	for (i = 0; i < n; i++) {
		if ((ln = scols_table_new_line(tb, NULL)) == NULL)
			break;
		sb_reset(&sb); ns_ref(rows[i].ns, &sb);
		scols_line_set_data(ln, 0, sb_str(&sb));
		sb_reset(&sb); names(rows[i].ns, &sb);
		scols_line_set_data(ln, 1, sb_str(&sb));
		sb_reset(&sb); nsf_esc_text(&sb, rows[i].l->name);
		scols_line_set_data(ln, 2, sb_str(&sb));
		sb_reset(&sb); nsf_esc_text(&sb, rows[i].l->kind);
		scols_line_set_data(ln, 3, sb_str(&sb));
		sb_reset(&sb); ns_ref(rows[i].peer, &sb);
		scols_line_set_data(ln, 4, sb_str(&sb));
		sb_reset(&sb); names(rows[i].peer, &sb);
		scols_line_set_data(ln, 5, sb_str(&sb));
		pn = nsf_peer_name(rows[i].peer, rows[i].l->link_ifindex);
		sb_reset(&sb); nsf_esc_text(&sb, pn ? pn : "?");
		scols_line_set_data(ln, 6, sb_str(&sb));
	}
	rc = v->raw ? nsf_raw_print(tb, out, v->noheadings) :
	    scols_print_table(tb);
	scols_unref_table(tb);
	sb_free(&sb);
	free(rows);
	return rc;
}
