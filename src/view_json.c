/*
 * view_json.c - one JSON document {"namespaces": [...], "notes": [...]}.
 *
 * Objects use lsns's keys for the selected columns, plus "holders" as an
 * array of objects.  Trees nest "children".  The whole document is built in
 * memory and written at once.
 */
#include <stdlib.h>

#include "escape.h"
#include "util.h"
#include "views.h"
#include "watch.h"

static void ns_json(struct nsf_graph *, const struct nsf_viewopts *,
    struct nsf_ns *, struct json *, bool *);

static void
children_json(struct nsf_graph *g, const struct nsf_viewopts *v,
    struct nsf_ns *ns, struct json *j, bool *done)
{
	struct nsf_ns **kids;
	size_t n, i, shown = 0;

	nsf_tree_down(ns, v->tree, &kids, &n);
	for (i = 0; i < n; i++)
		if (v->sel[kids[i]->index] && !done[kids[i]->index])
			shown++;
	if (shown) {
		json_arr_open(j, "children");
		for (i = 0; i < n; i++)
			if (v->sel[kids[i]->index] && !done[kids[i]->index])
				ns_json(g, v, kids[i], j, done);
		json_arr_close(j);
	}
	free(kids);
}

static void
ns_json(struct nsf_graph *g, const struct nsf_viewopts *v, struct nsf_ns *ns,
    struct json *j, bool *done)
{
	size_t i;

	done[ns->index] = true;
	json_obj_open(j, NULL);
	for (i = 0; i < v->ncols; i++)
		nsf_col_json(g, ns, v->cols[i], j);
	if (v->tree != NSF_TREE_NONE)
		children_json(g, v, ns, j, done);
	json_obj_close(j);
}

/* One namespace object, exactly as -J writes it (no children): --watch events. */
void
view_json_ns(struct nsf_graph *g, const struct nsf_viewopts *v,
    struct nsf_ns *ns, const char *key, struct json *j)
{
	size_t i;

	json_obj_open(j, key);
	for (i = 0; i < v->ncols; i++)
		nsf_col_json(g, ns, v->cols[i], j);
	json_obj_close(j);
}

void
view_notes_json(struct nsf_graph *g, struct json *j)
{
	size_t i;

	json_arr_open(j, "notes");
	for (i = 0; i < g->nnotes; i++)
		json_str(j, NULL, g->notes[i]);
	json_arr_close(j);
}

int
view_json(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	struct nsf_ns **list, *up;
	struct json j;
	bool *done;
	size_t n, i;

	json_init(&j, !v->raw);
	done = xcalloc(g->nns + 1, sizeof(bool));
	list = nsf_sorted(g, v->sel, &n);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "namespaces");
	for (i = 0; i < n; i++) {
		up = nsf_tree_up(list[i], v->tree);
		if (v->tree != NSF_TREE_NONE && up && v->sel[up->index])
			continue;
		if (!done[list[i]->index])
			ns_json(g, v, list[i], &j, done);
	}
	json_arr_close(&j);
	view_notes_json(g, &j);
	json_obj_close(&j);
	fwrite(j.sb.buf, 1, j.sb.len, out);
	sb_free(&j.sb);
	free(list);
	free(done);
	return ferror(out) ? -1 : 0;
}

void
view_notes(struct nsf_graph *g, FILE *err)
{
	size_t i;

	struct strbuf sb = STRBUF_INIT;

	for (i = 0; i < g->nnotes; i++) {
		sb_reset(&sb);
		nsf_esc_text(&sb, g->notes[i]);
		fprintf(err, "nsfind: note: %s\n", sb_str(&sb));
	}
	sb_free(&sb);
}
