/*
 * view_prom.c - the Prometheus text exposition format, for the node
 * exporter's textfile collector: counts by type and holder kind, and one
 * info series per namespace.
 *
 * Every label has a bounded set of values or a bounded length, so that a
 * host with thousands of mounts or processes does not make a series
 * longer or more numerous: holders is the set of kinds (never one entry
 * per holder), and a host string (the container's name) goes through
 * nsf_esc_label() after being cut to LABEL_MAX bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "escape.h"
#include "views.h"

/* Longest host string put in a label, before escaping (bytes). */
#define LABEL_MAX	512

/*
 * name="value", the value valid UTF-8 with no control characters (see
 * escape.h) and at most LABEL_MAX bytes of the original; a longer one is
 * cut at a character boundary and ends with "...".
 */
static void
label(FILE *out, const char *name, const char *v, bool comma)
{
	struct strbuf sb = STRBUF_INIT;
	char *cut = NULL;
	size_t n;

	if (v != NULL && (n = strlen(v)) > LABEL_MAX) {
		n = LABEL_MAX;
		while (n > 0 && ((unsigned char)v[n] & 0xc0) == 0x80)
			n--;
		cut = xmalloc(n + 4);
		memcpy(cut, v, n);
		memcpy(cut + n, "...", 4);
		v = cut;
	}
	nsf_esc_label(&sb, v != NULL ? v : "");
	fprintf(out, "%s%s=\"%s\"", comma ? "," : "", name, sb_str(&sb));
	sb_free(&sb);
	free(cut);
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

/*
 * The kinds of ns's holders, each once, in the order of enum nsf_hkind:
 * "process,bind-mount" whether one bind mount or 649 copies keep it.
 */
static void
kinds(struct strbuf *sb, const struct nsf_ns *ns)
{
	bool seen[NSF_H_NKINDS] = { false };
	size_t h;
	int k;

	for (h = 0; h < ns->nall; h++)
		seen[ns->all[h].kind] = true;
	for (k = 0; k < NSF_H_NKINDS; k++)
		if (seen[k])
			sb_addf(sb, "%s%s", sb_str(sb)[0] ? "," : "",
			    nsf_hkind_name(k));
}

static void
info(struct nsf_graph *g, const bool *sel, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct nsf_ns **list;
	size_t n, i;
	char *c;

	header(out, "nsfind_namespace_info", "One series per namespace; the value is its number of tasks.");
	list = nsf_sorted(g, sel, &n);
	for (i = 0; i < n; i++) {
		if (list[i]->unresolved)
			continue;
		sb_reset(&sb);
		kinds(&sb, list[i]);
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
