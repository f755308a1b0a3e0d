/*
 * view_prom.c - the Prometheus text exposition format, for the node
 * exporter's textfile collector: counts by type and holder kind, and one
 * info series per namespace.
 */
#include <stdio.h>
#include <stdlib.h>

#include "container.h"
#include "views.h"

/* Label values: backslash, double quote and newline escaped. */
static void
label(FILE *out, const char *name, const char *v, bool comma)
{
	fprintf(out, "%s%s=\"", comma ? "," : "", name);
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(out, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
	fputc('"', out);
}

static void
header(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
counts(struct nsf_graph *g, const bool *sel, FILE *out)
{
	int n[NSF_NTYPES][2] = { { 0 } }, k[NSF_H_NKINDS] = { 0 };
	size_t i, h;
	int t;

	for (i = 0; i < g->nns; i++) {
		if (!sel[i] || g->ns[i]->unresolved)
			continue;
		n[g->ns[i]->type][nsf_ns_hidden(g->ns[i])]++;
		for (h = 0; h < g->ns[i]->nall; h++)
			k[g->ns[i]->all[h].kind]++;
	}
	header(out, "nsfind_namespaces", "Namespaces alive, by type and whether no task is in them.");
	for (t = 0; t < NSF_NTYPES; t++)
		for (h = 0; h < 2; h++)
			fprintf(out, "nsfind_namespaces{type=\"%s\",hidden=\"%s\"} %d\n",
			    nsf_type_name(t), h ? "true" : "false", n[t][h]);
	header(out, "nsfind_holders", "Holders keeping namespaces alive, by kind.");
	for (t = 0; t < NSF_H_NKINDS; t++)
		fprintf(out, "nsfind_holders{kind=\"%s\"} %d\n", nsf_hkind_name(t), k[t]);
}

static void
info(struct nsf_graph *g, const bool *sel, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct nsf_ns **list;
	size_t n, i, h;
	char *c;

	header(out, "nsfind_namespace_info", "One series per namespace; the value is its number of tasks.");
	list = nsf_sorted(g, sel, &n);
	for (i = 0; i < n; i++) {
		if (list[i]->unresolved)
			continue;
		sb_reset(&sb);
		for (h = 0; h < list[i]->nall; h++)
			sb_addf(&sb, "%s%s", h ? "," : "", nsf_hkind_name(list[i]->all[h].kind));
		fprintf(out, "nsfind_namespace_info{ns=\"%llu\"",
		    (unsigned long long)list[i]->ino);
		label(out, "type", nsf_type_name(list[i]->type), true);
		label(out, "initial", list[i]->initial ? "true" : "false", true);
		label(out, "hidden", nsf_ns_hidden(list[i]) ? "true" : "false", true);
		label(out, "holders", sb_str(&sb), true);
		c = list[i]->container ? nsf_container_label(list[i]->container) : NULL;
		label(out, "container", c, true);
		free(c);
		fprintf(out, "} %d\n", list[i]->ntasks);
	}
	free(list);
	sb_free(&sb);
}

int
view_prom(struct nsf_graph *g, const struct nsf_viewopts *v, FILE *out)
{
	counts(g, v->sel, out);
	info(g, v->sel, out);
	header(out, "nsfind_uninspected_processes", "Processes nsfind was not allowed to inspect.");
	fprintf(out, "nsfind_uninspected_processes %d\n", g->uninspected);
	return ferror(out) ? -1 : 0;
}
