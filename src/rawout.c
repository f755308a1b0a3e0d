/*
 * rawout.c - util-linux's raw table format (-r), written from a
 * libsmartcols table whose cells are already escaped (escape.h).
 *
 * libsmartcols' own raw output encodes every cell again, backslashes
 * included, so text escaped by nsfind's policy would come out escaped
 * twice (\x5cx1b).  Here the only thing left to encode is what separates
 * cells: a blank becomes \x20, as util-linux writes it.
 */
#include <libsmartcols.h>
#include <stdio.h>

#include "rawout.h"

static void
put_cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == ' ')
			fputs("\\x20", out);
		else
			fputc(*s, out);
	}
}

int
nsf_raw_print(struct libscols_table *tb, FILE *out, bool noheadings)
{
	struct libscols_iter *it;
	struct libscols_column *cl;
	struct libscols_line *ln;
	struct libscols_cell *c;
	size_t i, n = scols_table_get_ncols(tb);

	if (!noheadings) {
		for (i = 0; i < n; i++) {
			cl = scols_table_get_column(tb, i);
			if (i)
				fputc(' ', out);
			put_cell(out, scols_cell_get_data(scols_column_get_header(cl)));
		}
		fputc('\n', out);
	}
	if ((it = scols_new_iter(SCOLS_ITER_FORWARD)) == NULL)
		return -1;
	while (scols_table_next_line(tb, it, &ln) == 0) {
		for (i = 0; i < n; i++) {
			c = scols_line_get_cell(ln, i);
			if (i)
				fputc(' ', out);
			put_cell(out, c ? scols_cell_get_data(c) : NULL);
		}
		fputc('\n', out);
	}
	scols_free_iter(it);
	return ferror(out) ? -1 : 0;
}
