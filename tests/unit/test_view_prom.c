/*
 * test_view_prom.c - the Prometheus view on a graph built here: labels
 * stay bounded (holders is a set of kinds, a long name is cut), and any
 * bytes as a container's name give a valid exposition (a property test
 * on random bytes: UTF-8, no control, C1 or bidi character, only \\ and
 * \" escapes in label values).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "container.h"
#include "escape.h"
#include "graph.h"
#include "views.h"

/* A namespace of graph g, held by n bind mounts, its container c. */
static struct nsf_ns *
add_ns(struct nsf_graph *g, uint64_t ino, int n, struct nsf_container *c)
{
	struct nsf_holder h;
	struct nsf_ns *ns;
	int i;

	ns = graph_add(g, NSF_NET, 4, ino, NULL);
	for (i = 0; i < n; i++) {
		memset(&h, 0, sizeof(h));
		h.kind = NSF_H_BINDMOUNT;
		h.fd = -1;
		h.path = (char *)"/run/netns/x";	/* copied */
		graph_add_holder(ns, &h);
	}
	ns->container = c;
	ns->container_owned = c != NULL;
	return ns;
}

static struct nsf_container *
unit(const char *name, size_t len)
{
	struct nsf_container *c = calloc(1, sizeof(*c));

	c->unit = calloc(1, len + 1);
	memcpy(c->unit, name, len);
	c->source = "cgroup";
	return c;
}

/* The whole output of view_prom for g, every namespace selected. */
static char *
render(struct nsf_graph *g)
{
	bool *sel;
	char *buf = NULL;
	size_t len = 0, i;
	struct nsf_viewopts v;
	FILE *f;

	graph_finalize(g);
	sel = calloc(g->nns + 1, sizeof(*sel));
	for (i = 0; i < g->nns; i++)
		sel[i] = true;
	memset(&v, 0, sizeof(v));
	v.sel = sel;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(view_prom(g, &v, f), 0);
	fclose(f);
	free(sel);
	return buf;
}

/* The info line of namespace ino in out. */
static char *
info_line(const char *out, uint64_t ino)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "nsfind_namespace_info{ns=\"%llu\",",
	    (unsigned long long)ino);
	p = strstr(out, key);
	assert_non_null(p);
	e = strchr(p, '\n');
	assert_non_null(e);
	return strndup(p, (size_t)(e - p));
}

/*
 * One line of the exposition, as Prometheus' parser and promtool want it:
 * valid UTF-8, no C0/DEL/C1 control, no bidi or line separator control,
 * and inside label values only \\, \" and \n after a backslash.
 */
static void
check_line(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char *copy = strndup(s, n);
	size_t i;
	int inq = 0;

	assert_true(nsf_utf8_valid(copy));
	free(copy);
	for (i = 0; i < n; i++) {
		assert_false(u[i] < 0x20 || u[i] == 0x7f);
		if (u[i] == 0xc2 && i + 1 < n)
			assert_false(u[i + 1] >= 0x80 && u[i + 1] <= 0x9f);
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80)
			assert_false(u[i + 2] == 0x8e || u[i + 2] == 0x8f ||
			    (u[i + 2] >= 0xa8 && u[i + 2] <= 0xae));
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x81)
			assert_false(u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9);
		if (s[0] == '#')
			continue;
		if (s[i] == '"')
			inq = !inq;
		else if (inq && s[i] == '\\') {
			assert_true(i + 1 < n);
			assert_non_null(strchr("\\\"n", s[i + 1]));
			i++;
		}
	}
	assert_int_equal(inq, 0);
}

static void
check_all(const char *out)
{
	const char *p, *e;

	for (p = out; *p != '\0'; p = e + 1) {
		e = strchr(p, '\n');
		assert_non_null(e);
		check_line(p, (size_t)(e - p));
	}
}

/* 1,000 bind mounts of one namespace: holders="bind-mount", once. */
static void
test_holders_set(void **state)
{
	struct nsf_graph *g = graph_new();
	char *out, *line;

	(void)state;
	add_ns(g, 4026532001, 1000, NULL);
	out = render(g);
	line = info_line(out, 4026532001);
	assert_non_null(strstr(line, ",holders=\"bind-mount\","));
	assert_true(strlen(line) < 200);
	assert_non_null(strstr(out, "nsfind_holders{kind=\"bind-mount\"} 1000\n"));
	free(line);
	free(out);
	graph_free(g);
}

/* A name of 4,000 bytes: cut to 512, at a character boundary. */
static void
test_long_name(void **state)
{
	struct nsf_graph *g = graph_new();
	char name[4000], *out, *line;
	size_t i;

	(void)state;
	/* "x" then "é" over and over: byte 512 is in the middle of one. */
	name[0] = 'x';
	for (i = 1; i + 2 <= 4000; i += 2)
		memcpy(name + i, "\xc3\xa9", 2);
	add_ns(g, 4026532002, 1, unit(name, 3999));
	out = render(g);
	line = info_line(out, 4026532002);
	check_all(out);
	assert_true(strlen(line) < 700);
	/* 255 whole characters, no half one escaped, then "...". */
	assert_non_null(strstr(line, ",container=\"x\xc3\xa9"));
	assert_non_null(strstr(line, "\xc3\xa9...\"}"));
	assert_null(strstr(line, "\\x"));
	assert_int_equal(strstr(line, "...\"}") - strstr(line, ",container=\"x") -
	    (ptrdiff_t)strlen(",container=\""), 511);
	free(line);
	free(out);
	graph_free(g);
}

/* A systemd unit unescaped to hostile bytes: its exact label. */
static void
test_hostile_unit(void **state)
{
	static const char u[] = "a\xff\\x1b\"\\\xc2\x9b\xe2\x80\xae\n.service";
	struct nsf_graph *g = graph_new();
	char *out, *line;

	(void)state;
	add_ns(g, 4026532003, 1, unit(u, sizeof(u) - 1));
	out = render(g);
	check_all(out);
	line = info_line(out, 4026532003);
	assert_non_null(strstr(line, ",container=\"a\\\\xff\\\\x5cx1b\\\"\\\\x5c"
	    "\\\\xc2\\\\x9b\\\\xe2\\\\x80\\\\xae\\\\x0a.service\"}"));
	free(line);
	free(out);
	graph_free(g);
}

/* Random bytes as names, 2,000 times: the output is always valid. */
static void
test_random_names(void **state)
{
	static const unsigned char pick[] = {
		0x00, 0x01, 0x0a, 0x1b, 0x22, 0x5c, 0x7f, 0x80, 0x9b, 0xc2,
		0xc3, 0xe2, 0x80, 0xae, 0x81, 0xa6, 0xed, 0xa0, 0xf0, 0xf4,
		0xff, 'a', 'n', ' ', '"', '\\', 0xa9, 0x8e, 0xa8, 0x90,
	};
	struct nsf_graph *g;
	char name[64], *out;
	size_t len, i;
	int round, k;

	(void)state;
	srandom(12345);
	for (round = 0; round < 100; round++) {
		g = graph_new();
		for (k = 0; k < 20; k++) {
			len = 1 + (size_t)random() % (sizeof(name) - 1);
			for (i = 0; i < len; i++)
				name[i] = (char)(random() % 2 ? pick[random() % sizeof(pick)] :
				    random() % 256);
			add_ns(g, 4026533000 + (uint64_t)k, k % 3, unit(name, len));
		}
		out = render(g);
		check_all(out);
		free(out);
		graph_free(g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holders_set),
		cmocka_unit_test(test_long_name),
		cmocka_unit_test(test_hostile_unit),
		cmocka_unit_test(test_random_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
