/*
 * view_procs.c - the process view, in the layout of the original listns
 * script: one line per (PID or TID, namespace) for every task that is
 * outside an initial namespace, "PID  NAMESPACE  COMMAND".
 */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "details.h"
#include "escape.h"
#include "rawout.h"
#include "util.h"
#include "views.h"

struct row {
	char		*label;		/* container label, for grouping */
	struct nsf_proc	*p;
	pid_t		 tid;		/* == p->pid for the process itself */
	int		 entry;
	struct nsf_ns	*ns;
};

struct rows {
	struct row	*v;
	size_t		 n, cap;
};

static bool
wanted(const struct nsf_filter *f, struct nsf_ns *ns)
{
	if (ns == NULL || ns->initial)
		return false;
	if (f->types && !(f->types & (1u << ns->type)))
		return false;
	if (f->ino && f->ino != ns->ino)
		return false;
	return true;
}

static void
collect(struct rows *r, struct nsf_proc *p, pid_t tid, struct nsf_ns **ns,
    struct nsf_ns **lead, const struct nsf_filter *f)
{
	int e;

	for (e = 0; e < NSF_NENTRIES; e++) {
		if (!wanted(f, ns[e]) || (lead && ns[e] == lead[e]))
			continue;
		/* *_for_children only where it differs from the task's own. */
		if ((e == NSF_E_PID_CHILDREN && ns[e] == ns[NSF_E_PID]) ||
		    (e == NSF_E_TIME_CHILDREN && ns[e] == ns[NSF_E_TIME]))
			continue;
		nsf_grow(&r->v, &r->cap, r->n, sizeof(*r->v));
		r->v[r->n++] = (struct row){ NULL, p, tid, e, ns[e] };
	}
}

static void
ns_cell(const struct row *w, struct strbuf *sb)
{
	size_t i;

	sb_addf(sb, "%s:[%llu]", nsf_entry_name(w->entry),
	    (unsigned long long)w->ns->ino);
	for (i = 0; i < w->ns->nnames; i++) {
		sb_adds(sb, i ? "," : " (");
		nsf_esc_text(sb, w->ns->names[i]);
	}
	if (w->ns->nnames)
		sb_addc(sb, ')');
}

static void
cmd_cell(const struct row *w, struct strbuf *sb)
{
	const struct nsf_proc *p = w->p;

	if (p->kthread) {
		sb_addc(sb, '[');
		nsf_esc_text(sb, p->comm ? p->comm : "?");
		sb_addc(sb, ']');
	} else if (nsf_proc_command(p))
		nsf_esc_text(sb, nsf_proc_command(p));
	if (w->tid != p->pid)
		sb_addf(sb, " (thread of %d)", (int)p->pid);
}

/*
 * NSPID: the task's pid in each pid namespace from the outermost in, as
 * /proc/PID/status says; a task of the initial pid namespace has only one.
 */
static const struct nsf_nspid *
row_nspid(const struct row *w, struct nsf_nspid *one)
{
	struct nsf_ns *pidns = w->tid == w->p->pid ? w->p->ns[NSF_E_PID] : NULL;
	const struct nsf_nspid *t;
	size_t i;

	for (i = 0; pidns == NULL && i < w->p->nthr; i++)
		if (w->p->threads[i].tid == w->tid)
			pidns = w->p->threads[i].ns[NSF_E_PID];
	if (pidns == NULL)
		pidns = w->p->ns[NSF_E_PID];
	if ((t = nsf_details_nspid(pidns, w->tid)) != NULL)
		return t;
	if (pidns && !pidns->initial)
		return NULL;	/* gone, or unreadable: say nothing */
	one->tid = w->tid;
	one->n = 1;
	one->v = &one->tid;
	return one;
}

/* Rows of one container together, containers by name, then by pid. */
static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (!x->label != !y->label)
		return x->label ? -1 : 1;
	if (x->label && strcmp(x->label, y->label) != 0)
		return strcmp(x->label, y->label);
	if (x->p->pid != y->p->pid)
		return x->p->pid < y->p->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->entry - y->entry;
}

static void
group(struct rows *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].p->container)
			r->v[i].label = nsf_container_label(r->v[i].p->container);
	qsort(r->v, r->n, sizeof(*r->v), cmp_row);
}

static int
procs_table(const struct nsf_viewopts *v, struct rows *r, FILE *out)
{
	static const char *names[] = { "PID", "NAMESPACE", "NSPID", "CONTAINER",
	    "COMMAND" };
	const struct nsf_nspid *np;
	struct nsf_nspid one;
	struct strbuf sb = STRBUF_INIT;
	struct libscols_table *tb;
	struct libscols_line *ln;
	size_t i;
	int rc = 0;

	if ((tb = scols_new_table()) == NULL)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, v->raw);
	scols_table_enable_noheadings(tb, v->noheadings);
	scols_table_enable_noencoding(tb, 1);	/* escaped here, once */
	scols_table_new_column(tb, names[0], 5, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, names[1], 0, 0);
	scols_table_new_column(tb, names[2], 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, names[3], 0, v->notrunc ? 0 : SCOLS_FL_TRUNC);
	scols_table_new_column(tb, names[4], 0, v->notrunc ? 0 : SCOLS_FL_TRUNC);
	for (i = 0; i < r->n && rc == 0; i++) {
		if ((ln = scols_table_new_line(tb, NULL)) == NULL) {
			rc = -ENOMEM;
			break;
		}
		sb_reset(&sb);
		sb_addf(&sb, "%d", (int)r->v[i].tid);
		scols_line_set_data(ln, 0, sb_str(&sb));
		sb_reset(&sb);
		ns_cell(&r->v[i], &sb);
		scols_line_set_data(ln, 1, sb_str(&sb));
		if ((np = row_nspid(&r->v[i], &one)) != NULL) {
			sb_reset(&sb);
			nsf_nspid_text(np, &sb);
			scols_line_set_data(ln, 2, sb_str(&sb));
		}
		if (r->v[i].label) {
			sb_reset(&sb);
			nsf_esc_text(&sb, r->v[i].label);
			scols_line_set_data(ln, 3, sb_str(&sb));
		}
		sb_reset(&sb);
		cmd_cell(&r->v[i], &sb);
		scols_line_set_data(ln, 4, sb_str(&sb));
	}
	if (rc == 0)
		rc = v->raw ? nsf_raw_print(tb, out, v->noheadings) :
		    scols_print_table(tb);
	sb_free(&sb);
	scols_unref_table(tb);
	return rc;
}

static int
procs_json(struct nsf_graph *g, const struct nsf_viewopts *v, struct rows *r,
    FILE *out)
{
	struct json j;
	size_t i, k;
	const struct row *w;
	const struct nsf_nspid *np;
	struct nsf_nspid one;
	int m;

	json_init(&j, !v->raw);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "tasks");
	for (i = 0; i < r->n; i++) {
		w = &r->v[i];
		json_obj_open(&j, NULL);
		json_i64(&j, "pid", w->p->pid);
		json_i64(&j, "tid", w->tid);
		json_bool(&j, "thread", w->tid != w->p->pid);
		if ((np = row_nspid(w, &one)) != NULL) {
			json_arr_open(&j, "nspid");
			for (m = 0; m < np->n; m++)
				json_i64(&j, NULL, np->v[m]);
			json_arr_close(&j);
		} else
			json_null(&j, "nspid");
		json_str(&j, "entry", nsf_entry_name(w->entry));
		json_str(&j, "type", nsf_type_name(w->ns->type));
		json_u64(&j, "ns", w->ns->ino);
		json_arr_open(&j, "names");
		for (k = 0; k < w->ns->nnames; k++)
			json_str(&j, NULL, w->ns->names[k]);
		json_arr_close(&j);
		json_bytes(&j, "command", w->p->kthread ? w->p->comm : nsf_proc_command(w->p));
		json_bool(&j, "kthread", w->p->kthread);
		nsf_container_json(w->p->container, "container", &j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	view_notes_json(g, &j);
	json_obj_close(&j);
	fwrite(j.sb.buf, 1, j.sb.len, out);
	sb_free(&j.sb);
	return ferror(out) ? -1 : 0;
}

int
view_procs(struct nsf_graph *g, const struct nsf_viewopts *v,
    const struct nsf_filter *f, FILE *out)
{
	struct rows r = { NULL, 0, 0 };
	struct nsf_proc *p;
	size_t i, t;
	int rc;

	for (i = 0; i < g->nprocs; i++) {
		p = g->procs[i];
		if (f->pid && p->pid != f->pid)
			continue;
		if (f->container && !nsf_container_match(p->container, f->container))
			continue;
		collect(&r, p, p->pid, p->ns, NULL, f);
		for (t = 0; t < p->nthr; t++)
			collect(&r, p, p->threads[t].tid, p->threads[t].ns, p->ns, f);
	}
	group(&r);
	rc = v->json ? procs_json(g, v, &r, out) : procs_table(v, &r, out);
	for (i = 0; i < r.n; i++)
		free(r.v[i].label);
	free(r.v);
	return rc;
}
