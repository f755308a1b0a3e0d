/*
 * view_table.c - the table and tree views, through libsmartcols as lsns
 * draws them.
 */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "rawout.h"
#include "util.h"
#include "views.h"

struct tctx {
	struct nsf_graph	*g;
	const struct nsf_viewopts *v;
	struct libscols_table	*tb;
	bool			*done;
};

static int
col_flags(const struct nsf_viewopts *v, int col, bool first)
{
	int fl = nsf_cols[col].flags;

	if (v->notrunc)
		fl &= ~SCOLS_FL_TRUNC;
	if (v->nowrap)
		fl &= ~SCOLS_FL_WRAP;
	/* The tree column is drawn left-aligned, or depth would not show. */
	if (v->tree != NSF_TREE_NONE && first)
		fl = (fl | SCOLS_FL_TREE) & ~SCOLS_FL_RIGHT;
	return fl;
}

/* Multi-line cells (one interface or mount per line) unless -W or -r. */
static bool
multiline(const struct nsf_viewopts *v, int col)
{
	return !v->nowrap && !v->raw && (nsf_cols[col].flags & SCOLS_FL_WRAP);
}

static void
flatten(struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < sb->len; i++)
		if (sb->buf[i] == '\n')
			sb->buf[i] = ',';
}

static int
add_line(struct tctx *c, struct nsf_ns *ns, struct libscols_line *parent,
    struct libscols_line **out)
{
	struct strbuf sb = STRBUF_INIT;
	struct libscols_line *ln;
	size_t i;

	if ((ln = scols_table_new_line(c->tb, parent)) == NULL)
		return -ENOMEM;
	for (i = 0; i < c->v->ncols; i++) {
		sb_reset(&sb);
		nsf_col_text(c->g, ns, c->v->cols[i], &sb);
		if (!multiline(c->v, c->v->cols[i]))
			flatten(&sb);
		if (sb.len && scols_line_refer_data(ln, i, sb_detach(&sb)) != 0)
			return -ENOMEM;
	}
	sb_free(&sb);
	*out = ln;
	return 0;
}

static int
add_tree(struct tctx *c, struct nsf_ns *ns, struct libscols_line *parent)
{
	struct libscols_line *ln;
	struct nsf_ns **kids;
	size_t n, i;
	int r;

	if (c->done[ns->index])
		return 0;
	c->done[ns->index] = true;
	if ((r = add_line(c, ns, parent, &ln)) != 0)
		return r;
	nsf_tree_down(ns, c->v->tree, &kids, &n);
	for (i = 0; i < n && r == 0; i++)
		if (c->v->sel[kids[i]->index])
			r = add_tree(c, kids[i], ln);
	free(kids);
	return r;
}

static bool
is_top(struct tctx *c, struct nsf_ns *ns)
{
	struct nsf_ns *up = nsf_tree_up(ns, c->v->tree);

	return c->v->tree == NSF_TREE_NONE || up == NULL || !c->v->sel[up->index];
}

int
view_table(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	struct tctx c = { g, v, NULL, NULL };
	struct libscols_line *ln;
	struct nsf_ns **list;
	size_t n, i;
	int r = 0;

	if ((c.tb = scols_new_table()) == NULL)
		return -ENOMEM;
	scols_table_set_stream(c.tb, out);
	scols_table_enable_raw(c.tb, v->raw);
	/* Cells are escaped once, by escape.h's policy, not again here. */
	scols_table_enable_noencoding(c.tb, 1);
	scols_table_enable_noheadings(c.tb, v->noheadings);
	for (i = 0; i < v->ncols; i++) {
		struct libscols_column *cl = scols_table_new_column(c.tb,
		    nsf_cols[v->cols[i]].name, nsf_cols[v->cols[i]].whint,
		    col_flags(v, v->cols[i], i == 0));

		if (cl == NULL)
			r = -ENOMEM;
		else if (multiline(v, v->cols[i])) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
			    scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n");
		}
	}
	c.done = xcalloc(g->nns + 1, sizeof(bool));
	list = nsf_sorted(g, v->sel, &n);
	for (i = 0; i < n && r == 0; i++) {
		if (!is_top(&c, list[i]))
			continue;
		if (v->tree != NSF_TREE_NONE)
			r = add_tree(&c, list[i], NULL);
		else
			r = add_line(&c, list[i], NULL, &ln);
	}
	if (r == 0)
		r = v->raw ? nsf_raw_print(c.tb, out, v->noheadings) :
		    scols_print_table(c.tb);
	free(list);
	free(c.done);
	scols_unref_table(c.tb);
	return r;
}
