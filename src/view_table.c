/*
 * view_table.c - the table and tree views, through libsmartcols as lsns
 * draws them.
 *
 * In a terminal the table fits its width, as util-linux tools do.  The
 * layout is decided here, not left to libsmartcols, because it must
 * shorten with a visible mark (…), keep a container's name before its
 * engine, and wrap HOLDERS one holder per line, breaking a holder wider
 * than the column, where libsmartcols would widen the column to the
 * longest line instead.  NS, TYPE and the numbers are never shortened.
 * Every cell handed to libsmartcols then fits, so it prints as it is.
 * Piped output and -r are not fitted, -u keeps COMMAND and CONTAINER whole
 * and -W keeps every cell on one line, as in lsns.
 */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "escape.h"
#include "rawout.h"
#include "util.h"
#include "views.h"

struct trow {
	struct nsf_ns	*ns;
	long		 parent;	/* row index of the tree parent, or -1 */
	int		 depth;
	char		**cell;		/* one per column, NULL when empty */
};

struct tctx {
	struct nsf_graph	*g;
	const struct nsf_viewopts *v;
	bool			*done;
	bool			 term;	/* fitted to a terminal */
	struct trow		*rows;
	size_t			 nrows, cap;
};

/* How a column gives way when the table is wider than the terminal. */
enum fit { FIT_FIXED, FIT_TRUNC, FIT_WRAP };

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


/* Is a column shown on several lines here?  HOLDERS only in a terminal. */
static bool
cell_multiline(const struct tctx *c, int col)
{
	if (!multiline(c->v, col))
		return false;
	return col != COL_HOLDERS || c->term;
}

static void
add_row(struct tctx *c, struct nsf_ns *ns, long parent, int depth)
{
	struct strbuf sb = STRBUF_INIT;
	struct trow *r;
	size_t i;

	nsf_grow(&c->rows, &c->cap, c->nrows, sizeof(*c->rows));
	r = &c->rows[c->nrows++];
	r->ns = ns;
	r->parent = parent;
	r->depth = depth;
	r->cell = xcalloc(c->v->ncols + 1, sizeof(char *));
	for (i = 0; i < c->v->ncols; i++) {
		sb_reset(&sb);
		nsf_col_text(c->g, ns, c->v->cols[i], &sb);
		if (!cell_multiline(c, c->v->cols[i]))
			nsf_col_flatten(&sb, c->v->cols[i]);
		if (sb.len)
			r->cell[i] = sb_detach(&sb);
	}
	sb_free(&sb);
}

static void
add_tree(struct tctx *c, struct nsf_ns *ns, long parent, int depth)
{
	struct nsf_ns **kids;
	size_t n, i;
	long me;

	if (c->done[ns->index])
		return;
	c->done[ns->index] = true;
	me = (long)c->nrows;
	add_row(c, ns, parent, depth);
	nsf_tree_down(ns, c->v->tree, &kids, &n);
	for (i = 0; i < n; i++)
		if (c->v->sel[kids[i]->index])
			add_tree(c, kids[i], me, depth + 1);
	free(kids);
}

static bool
is_top(struct tctx *c, struct nsf_ns *ns)
{
	struct nsf_ns *up = nsf_tree_up(ns, c->v->tree);

	return c->v->tree == NSF_TREE_NONE || up == NULL || !c->v->sel[up->index];
}

/* ---- fitting to the terminal ---- */

/* Display columns of s[0..len), and in *fit the bytes that fit in max. */
static size_t
dwidth(const char *s, size_t len, size_t max, size_t *fit)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, w = 0, off = 0;
	int cw;

	memset(&st, 0, sizeof(st));
	if (fit)
		*fit = len;
	while (off < len) {
		n = mbrtowc(&wc, s + off, len - off, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else {
			if (n == 0)
				n = 1;
			if ((cw = wcwidth(wc)) < 0)
				cw = 0;
		}
		if (fit && *fit == len && w + cw > max)
			*fit = off;
		w += cw;
		off += n;
	}
	return w;
}

static size_t
swidth(const char *s)
{
	return s ? dwidth(s, strlen(s), 0, NULL) : 0;
}

/* The widest line of a multi-line cell. */
static size_t
cell_width(const char *s)
{
	const char *nl;
	size_t w, m = 0;

	while (s) {
		nl = strchr(s, '\n');
		w = dwidth(s, nl ? (size_t)(nl - s) : strlen(s), 0, NULL);
		if (w > m)
			m = w;
		s = nl ? nl + 1 : NULL;
	}
	return m;
}

static const char *
mark(void)
{
	return nsf_esc_utf8 ? "\xe2\x80\xa6" : "...";
}

/* s cut to w columns, the last of them a mark; s itself when it fits. */
static void
trunc_to(struct strbuf *out, const char *s, size_t w)
{
	size_t fit, mw = swidth(mark());

	if (swidth(s) <= w) {
		sb_adds(out, s);
		return;
	}
	if (w <= mw) {
		dwidth(s, strlen(s), w, &fit);
		sb_addn(out, s, fit);
		return;
	}
	dwidth(s, strlen(s), w - mw, &fit);
	sb_addn(out, s, fit);
	sb_adds(out, mark());
}

/*
 * CONTAINER is "name (engine)": the name is what identifies the row, so
 * the engine goes first, "web1 (…)", and only then the name is cut.
 */
static void
trunc_container(struct strbuf *out, const char *s, size_t w)
{
	const char *p = strrchr(s, '(');
	size_t len = strlen(s), nlen;
	struct strbuf nm = STRBUF_INIT;

	if (swidth(s) <= w || p == NULL || p == s || p[-1] != ' ' ||
	    s[len - 1] != ')') {
		trunc_to(out, s, w);
		return;
	}
	nlen = (size_t)(p - 1 - s);
	sb_addn(&nm, s, nlen);
	if (swidth(sb_str(&nm)) + 3 + swidth(mark()) <= w) {
		sb_adds(out, sb_str(&nm));
		sb_addf(out, " (%s)", mark());
	} else if (swidth(sb_str(&nm)) + swidth(mark()) <= w) {
		sb_adds(out, sb_str(&nm));
		sb_adds(out, mark());
	} else
		trunc_to(out, sb_str(&nm), w);
	sb_free(&nm);
}

/*
 * One line of a wrapped cell in pieces of at most w columns, broken
 * after a '/', ',', '(' or ':', or at a space, when one is in the second
 * half; the pieces after the first are indented, so that a new holder
 * stands out.
 */
static void
wrap_line(struct strbuf *out, const char *s, size_t len, size_t w)
{
	size_t fit, i, ind = w > 12 ? 2 : 0, avail = w;
	bool first = true;

	while (len > 0) {
		if (!first) {
			sb_addc(out, '\n');
			sb_addn(out, "  ", ind);
			avail = w - ind;
		}
		if (dwidth(s, len, avail, &fit) <= avail)
			fit = len;
		else {
			for (i = fit; i > fit / 2; i--)
				if (strchr("/,(:", s[i - 1]) != NULL || s[i] == ' ')
					break;
			if (i > fit / 2)
				fit = i;
			if (fit == 0)
				fit = 1;
		}
		sb_addn(out, s, fit);
		s += fit;
		len -= fit;
		if (len > 0 && *s == ' ') {	/* the break replaces the space */
			s++;
			len--;
		}
		first = false;
	}
}

/* A HOLDERS cell on one line when it fits, else one holder per line. */
static char *
wrap_cell(const char *s, size_t w, int col)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	const char *p, *nl;

	sb_adds(&in, s);
	if (col == COL_HOLDERS) {
		nsf_col_flatten(&in, col);
		if (swidth(sb_str(&in)) > w) {
			sb_reset(&in);
			sb_adds(&in, s);
		}
	}
	for (p = sb_str(&in); p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (p != sb_str(&in))
			sb_addc(&out, '\n');
		wrap_line(&out, p, nl ? (size_t)(nl - p) : strlen(p), w);
	}
	sb_free(&in);
	return sb_detach(&out);
}

static size_t
term_width(FILE *out)
{
	struct winsize ws;
	const char *e;
	long n;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((e = getenv("COLUMNS")) != NULL && (n = strtol(e, NULL, 10)) > 0)
		return (size_t)n;
	return 80;
}

struct cfit {
	enum fit	 how;
	size_t		 nat;		/* natural width */
	size_t		 floor;		/* narrowest it goes before others give */
	size_t		 hdr;
	unsigned	 weight;	/* share of the width it gets back */
	size_t		 w;		/* chosen */
};

/*
 * How far each column gives way, in rounds: each round's floors are tried
 * before the next round's lower ones, and the weights share out what is
 * left above them.  CONTAINER's floors (NAME_*) come from the names it
 * shows: a container's name goes last.
 */
#define NROUNDS		5
#define NAME_ENGINE	1000	/* "name (…)" */
#define NAME_ONLY	1001	/* "name…" */
#define NAME_FIT	1002	/* "name…", for as many names as fit */

static const struct {
	int		 col;
	enum fit	 how;
	size_t		 floor[NROUNDS];
	unsigned	 weight;
} fit_tab[] = {
	{ COL_HOLDERS, FIT_WRAP, { 24, 16, 12, 8, 8 }, 3 },
	{ COL_NSFS, FIT_WRAP, { 16, 12, 8, 6, 6 }, 2 },
	{ COL_INTERFACES, FIT_WRAP, { 16, 12, 8, 6, 6 }, 2 },
	{ COL_COMMAND, FIT_TRUNC, { 12, 8, 6, 4, 4 }, 2 },
	{ COL_CONTAINER, FIT_TRUNC,
	    { NAME_ENGINE, NAME_ONLY, NAME_FIT, NAME_FIT, 4 }, 1 },
	{ COL_PATH, FIT_TRUNC, { 12, 8, 6, 4, 4 }, 1 },
	{ COL_NAMES, FIT_TRUNC, { 8, 6, 6, 4, 4 }, 1 },
	{ COL_USER, FIT_TRUNC, { 8, 6, 6, 4, 4 }, 1 },
};

/* The widest container name, without its engine: what CONTAINER keeps. */
static size_t
name_width(const struct tctx *c, size_t i, size_t cap)
{
	const char *s, *p;
	size_t k, w, m = 0;

	for (k = 0; k < c->nrows; k++) {
		if ((s = c->rows[k].cell[i]) == NULL)
			continue;
		p = strrchr(s, '(');
		w = dwidth(s, p && p > s ? (size_t)(p - 1 - s) : strlen(s), 0, NULL);
		if (w > m)
			m = w;
	}
	return m > cap ? cap : m;	/* a very long name gives way too */
}

/* Which row of fit_tab says how column i (col) gives way; -1: it does not. */
static int
col_fit(const struct tctx *c, size_t i, struct cfit *f)
{
	size_t t;
	int col = c->v->cols[i];

	f->how = FIT_FIXED;
	f->floor = f->nat;
	f->weight = 0;
	for (t = 0; t < NSF_ARRAY_SIZE(fit_tab); t++) {
		if (fit_tab[t].col != col)
			continue;
		if (fit_tab[t].how == FIT_WRAP && !multiline(c->v, col))
			return -1;	/* -W: one line, as long as it is */
		if (fit_tab[t].how == FIT_TRUNC && c->v->notrunc &&
		    (col == COL_COMMAND || col == COL_CONTAINER))
			return -1;	/* -u */
		f->how = fit_tab[t].how;
		f->weight = fit_tab[t].weight;
		return (int)t;
	}
	(void)i;
	return -1;
}

static size_t widths_at(struct cfit *, size_t, size_t);

/*
 * NAME_FIT: the widest container name (with its mark) that still fits
 * once the other columns are at their floors; a longer name elsewhere
 * is then cut rather than every one.
 */
static size_t
name_fit(const struct tctx *c, struct cfit *f, size_t n, size_t i, size_t avail)
{
	const char *s, *p;
	size_t k, w, sum, best = f[i].hdr, mw = swidth(mark());

	f[i].floor = 0;
	sum = widths_at(f, n, 0);
	if (sum >= avail)
		return best;
	for (k = 0; k < c->nrows; k++) {
		if ((s = c->rows[k].cell[i]) == NULL)
			continue;
		p = strrchr(s, '(');
		w = dwidth(s, p && p > s ? (size_t)(p - 1 - s) : strlen(s), 0, NULL) + mw;
		if (w > best && w <= avail - sum && w <= 24 + mw)
			best = w;
	}
	return best;
}

/* Floors of round r; never below the header, never above what is needed. */
static void
set_floors(const struct tctx *c, struct cfit *f, const int *tab, size_t n,
    int r, size_t avail)
{
	size_t i, fl;

	for (i = 0; i < n; i++) {
		if (tab[i] < 0)
			continue;
		fl = fit_tab[tab[i]].floor[r];
		if (fl == NAME_ENGINE)
			fl = name_width(c, i, 24) + 3 + swidth(mark());
		else if (fl == NAME_ONLY)
			fl = name_width(c, i, 24) + swidth(mark());
		else if (fl == NAME_FIT)
			fl = 0;		/* below, once the others are set */
		if (fl < f[i].hdr)
			fl = f[i].hdr;
		f[i].floor = fl < f[i].nat ? fl : f[i].nat;
	}
	for (i = 0; i < n; i++) {
		if (tab[i] < 0 || fit_tab[tab[i]].floor[r] != NAME_FIT)
			continue;
		fl = name_fit(c, f, n, i, avail);
		f[i].floor = fl < f[i].nat ? fl : f[i].nat;
	}
}

static size_t
widths_at(struct cfit *f, size_t n, size_t level)
{
	size_t i, sum = 0, w;

	for (i = 0; i < n; i++) {
		w = f[i].how == FIT_FIXED ? f[i].nat : f[i].weight * level;
		if (w < f[i].floor)
			w = f[i].floor;
		if (w > f[i].nat)
			w = f[i].nat;
		f[i].w = w;
		sum += w;
	}
	return sum;
}

/* The largest share level at which the columns fit in avail. */
static void
share(struct cfit *f, size_t n, size_t avail)
{
	size_t lo = 0, hi = 0, mid, i;

	for (i = 0; i < n; i++)
		if (f[i].nat > hi)
			hi = f[i].nat;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (widths_at(f, n, mid) <= avail)
			lo = mid;
		else
			hi = mid - 1;
	}
	widths_at(f, n, lo);
}

/* Rewrite the cells of the columns that give way to their widths. */
static void
apply_fit(struct tctx *c, const struct cfit *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct trow *r;
	size_t i, k, w, ind;
	char *s;

	for (k = 0; k < c->nrows; k++) {
		r = &c->rows[k];
		for (i = 0; i < c->v->ncols; i++) {
			if (f[i].how == FIT_FIXED || (s = r->cell[i]) == NULL ||
			    f[i].w >= f[i].nat)
				continue;
			/* The tree column's drawing takes two columns a level. */
			ind = i == 0 && c->v->tree != NSF_TREE_NONE ? 2 * r->depth : 0;
			w = f[i].w > ind + 1 ? f[i].w - ind : 1;
			sb_reset(&sb);
			if (f[i].how == FIT_WRAP) {
				r->cell[i] = wrap_cell(s, w, c->v->cols[i]);
				free(s);
				continue;
			}
			if (c->v->cols[i] == COL_CONTAINER)
				trunc_container(&sb, s, w);
			else
				trunc_to(&sb, s, w);
			free(s);
			r->cell[i] = sb_detach(&sb);
		}
	}
	sb_free(&sb);
}

/* Multi-line HOLDERS that fit on one line are written on one line. */
static void
join_holders(struct tctx *c, const struct cfit *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	for (i = 0; i < c->v->ncols; i++) {
		if (c->v->cols[i] != COL_HOLDERS || f[i].how != FIT_WRAP ||
		    f[i].w < f[i].nat)
			continue;
		for (k = 0; k < c->nrows; k++) {
			if (c->rows[k].cell[i] == NULL)
				continue;
			sb_reset(&sb);
			sb_adds(&sb, c->rows[k].cell[i]);
			nsf_col_flatten(&sb, COL_HOLDERS);
			free(c->rows[k].cell[i]);
			c->rows[k].cell[i] = sb_detach(&sb);
		}
	}
	sb_free(&sb);
}

static void
fit(struct tctx *c, size_t termw)
{
	struct strbuf sb = STRBUF_INIT;
	struct cfit *f;
	size_t n = c->v->ncols, i, k, w, sum = 0, avail;
	int col, *tab, r;

	f = xcalloc(n + 1, sizeof(*f));
	tab = xcalloc(n + 1, sizeof(*tab));
	for (i = 0; i < n; i++) {
		col = c->v->cols[i];
		f[i].hdr = c->v->noheadings ? 1 : swidth(nsf_cols[col].name);
		f[i].nat = f[i].hdr;
		if (nsf_cols[col].whint >= 1 && f[i].nat < nsf_cols[col].whint)
			f[i].nat = (size_t)nsf_cols[col].whint;
		for (k = 0; k < c->nrows; k++) {
			const char *s = c->rows[k].cell[i];

			if (col == COL_HOLDERS && s && multiline(c->v, col)) {
				/* Its natural width is all holders on one line. */
				sb_reset(&sb);
				sb_adds(&sb, s);
				nsf_col_flatten(&sb, col);
				w = swidth(sb_str(&sb));
			} else
				w = cell_width(s);
			if (i == 0 && c->v->tree != NSF_TREE_NONE)
				w += 2 * c->rows[k].depth;
			if (w > f[i].nat)
				f[i].nat = w;
		}
		tab[i] = col_fit(c, i, &f[i]);
		sum += f[i].nat;
	}
	/* Columns are separated by one space. */
	avail = termw > n - 1 ? termw - (n - 1) : 1;
	if (sum > avail) {
		/*
		 * When what cannot give way (numbers, identifiers) is too
		 * wide alone, or -W keeps a wrapping column on one line, the
		 * line will be long anyway; the others then give way only as
		 * far as the first round.
		 */
		for (i = 0, w = 0; i < n; i++)
			if (f[i].how == FIT_FIXED)
				w += f[i].nat;
		if (c->v->nowrap)
			w = avail + 1;
		for (r = 0; r < NROUNDS; r++) {
			set_floors(c, f, tab, n, r, avail);
			if (widths_at(f, n, 0) <= avail || w > avail)
				break;
		}
		share(f, n, avail);
		apply_fit(c, f);
	}
	join_holders(c, f);
	sb_free(&sb);
	free(tab);
	free(f);
}

static int
print_rows(struct tctx *c, struct libscols_table *tb)
{
	struct libscols_line **ln;
	size_t k, i;
	int r = 0;

	ln = xcalloc(c->nrows + 1, sizeof(*ln));
	for (k = 0; k < c->nrows && r == 0; k++) {
		ln[k] = scols_table_new_line(tb, c->rows[k].parent >= 0 ?
		    ln[c->rows[k].parent] : NULL);
		if (ln[k] == NULL) {
			r = -ENOMEM;
			break;
		}
		for (i = 0; i < c->v->ncols; i++) {
			if (c->rows[k].cell[i] == NULL)
				continue;
			if (scols_line_refer_data(ln[k], i, c->rows[k].cell[i]) != 0) {
				r = -ENOMEM;
				break;
			}
			c->rows[k].cell[i] = NULL;	/* the table owns it now */
		}
	}
	free(ln);
	return r;
}

static void
free_rows(struct tctx *c)
{
	size_t k, i;

	for (k = 0; k < c->nrows; k++) {
		for (i = 0; i < c->v->ncols; i++)
			free(c->rows[k].cell[i]);
		free(c->rows[k].cell);
	}
	free(c->rows);
}

int
view_table(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	struct tctx c;
	struct libscols_table *tb;
	struct nsf_ns **list;
	size_t n, i, termw = 0;
	int r = 0;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.v = v;
	c.term = !v->raw && isatty(fileno(out));
	if (c.term)
		termw = term_width(out);
	if ((tb = scols_new_table()) == NULL)
		return -ENOMEM;
	scols_table_set_stream(tb, out);
	scols_table_enable_raw(tb, v->raw);
	/* Cells are escaped once, by escape.h's policy, not again here. */
	scols_table_enable_noencoding(tb, 1);
	scols_table_enable_noheadings(tb, v->noheadings);
	/* The cells fit already: libsmartcols must not cut them again. */
	if (c.term)
		scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	for (i = 0; i < v->ncols; i++) {
		/* Fitted here: libsmartcols would cut without a mark. */
		struct libscols_column *cl = scols_table_new_column(tb,
		    nsf_cols[v->cols[i]].name, nsf_cols[v->cols[i]].whint,
		    col_flags(v, v->cols[i], i == 0) & ~(c.term ? SCOLS_FL_TRUNC : 0));

		if (cl == NULL)
			r = -ENOMEM;
		else if (cell_multiline(&c, v->cols[i])) {
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
			    scols_wrapnl_nextchunk, NULL);
			scols_column_set_safechars(cl, "\n");
		}
	}
	c.done = xcalloc(g->nns + 1, sizeof(bool));
	list = nsf_sorted(g, v->sel, &n);
	for (i = 0; i < n; i++) {
		if (!is_top(&c, list[i]))
			continue;
		if (v->tree != NSF_TREE_NONE)
			add_tree(&c, list[i], -1, 0);
		else
			add_row(&c, list[i], -1, 0);
	}
	if (c.term)
		fit(&c, termw);
	if (r == 0)
		r = print_rows(&c, tb);
	/* -r: from the cells as escaped, not escaped again (rawout.c). */
	if (r == 0)
		r = v->raw ? nsf_raw_print(tb, out, v->noheadings) :
		    scols_print_table(tb);
	free_rows(&c);
	free(list);
	free(c.done);
	scols_unref_table(tb);
	return r;
}
