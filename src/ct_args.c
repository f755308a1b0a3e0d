/*
 * ct_args.c - command lines (/proc/PID/cmdline) as argument vectors, and
 * options found in them the way the programs themselves parse them.
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

void
args_free(struct args *a)
{
	free(a->buf);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/*
 * /proc/PID/cmdline is NUL-separated and need not end in a NUL; take a
 * private, terminated copy and drop the padding some programs leave.
 */
int
args_split(const char *argv, size_t len, struct args *a)
{
	size_t i, n = 1;
	char *s;

	memset(a, 0, sizeof(*a));
	if (argv == NULL)
		len = 0;
	if (len > MAX_ARGV)
		len = MAX_ARGV;
	if ((a->buf = malloc(len + 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(a->buf, argv, len);
	a->buf[len] = '\0';
	for (i = 0; i < len; i++)
		n += a->buf[i] == '\0';
	if ((a->v = calloc(n + 1, sizeof(*a->v))) == NULL) {
		args_free(a);
		return 0;
	}
	for (s = a->buf; a->n < n; s += strlen(s) + 1)
		a->v[a->n++] = s;
	while (a->n > 0 && a->v[a->n - 1][0] == '\0')
		a->v[--a->n] = NULL;
	return 1;
}

/*
 * Chrome and Electron rewrite their title into one space-separated
 * string.  Split it back; the program path may hold spaces, so it ends
 * at the first " -".
 */
int
args_respace(struct args *a)
{
	char *s, *dash, **v;
	size_t n = 1;

	if (a->n != 1 || strchr(a->v[0], ' ') == NULL)
		return 1;
	for (s = a->v[0]; *s != '\0'; s++)
		n += *s == ' ';
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return 0;
	s = a->v[0];
	n = 0;
	if ((dash = strstr(s, " -")) != NULL) {
		*dash = '\0';
		v[n++] = s;
		s = dash + 1;
	}
	for (; s != NULL; s = dash) {
		if ((dash = strchr(s, ' ')) != NULL)
			*dash++ = '\0';
		if (*s != '\0')
			v[n++] = s;
	}
	free(a->v);
	a->v = v;
	a->n = n;
	return 1;
}

/*
 * The value of an option, first occurrence, before any "--".  LONGS are
 * whole option words ("-id", "--cid") taking "WORD VALUE" or
 * "WORD=VALUE" (Go flag and GLib styles).  SHORTOPT, if not 0, is a
 * getopt letter found in clusters ("-bD dir", "-Mname"); TAKES lists the
 * letters that take a value, so their values are skipped.
 */
const char *
opt_find(const struct args *a, const char *const *longs, char shortopt,
    const char *takes)
{
	const char *s, *val;
	size_t i, j, k, n;

	for (i = 1; i < a->n; i++) {
		s = a->v[i];
		if (strcmp(s, "--") == 0)
			break;
		for (k = 0; longs != NULL && longs[k] != NULL; k++) {
			n = strlen(longs[k]);
			if (strncmp(s, longs[k], n) != 0)
				continue;
			if (s[n] == '=')
				return s + n + 1;
			if (s[n] == '\0')
				return i + 1 < a->n ? a->v[i + 1] : NULL;
		}
		if (shortopt == 0 || s[0] != '-' || s[1] == '-' || s[1] == '\0')
			continue;
		for (j = 1; s[j] != '\0'; j++) {
			if (strchr(takes, s[j]) == NULL)
				continue;
			val = s[j + 1] != '\0' ? s + j + 1 :
			    i + 1 < a->n ? a->v[i + 1] : NULL;
			if (s[j] == shortopt)
				return val;
			if (s[j + 1] == '\0')
				i++;
			break;
		}
	}
	return NULL;
}

int
args_mention(const struct args *a, const char *word)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strstr(a->v[i], word) != NULL)
			return 1;
	return 0;
}

/* Sets engine, id and name from slices; empty slices are left NULL. */
int
ct_fill(struct nsf_container *out, const char *engine, struct sl id,
    struct sl name)
{
	if ((out->engine = strdup(engine)) == NULL)
		return 0;
	if (id.n > 0 && (out->id = sl_dup(id)) == NULL)
		return 0;
	if (name.n > 0 && (out->name = sl_dup(name)) == NULL)
		return 0;
	return 1;
}

/*
 * The program as the kernel or the process names it: exact, or the
 * 15-byte truncation that comm keeps.
 */
int
tool_is(struct sl s, const char *tool)
{
	size_t n = strlen(tool);

	if (sl_eq(s, tool))
		return 1;
	return n > COMM_LEN && s.n == COMM_LEN && memcmp(s.p, tool, s.n) == 0;
}

