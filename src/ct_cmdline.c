/*
 * ct_cmdline.c - sandboxes with no cgroup of their own, named by the
 * process's own command line (mininet hosts, Chromium and Electron, and
 * the sandbox setters bwrap, firejail and unshare themselves).
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/*
 * mininet starts each host as "bash --norc --noediting -is mininet:h1"
 * (through mnexec and env).
 */
static int
cmd_mininet(struct sl bin, const struct args *a, struct nsf_container *out)
{
	struct sl host;
	size_t i;

	if (!sl_eq(bin, "bash") && !sl_eq(bin, "mnexec") && !sl_eq(bin, "env"))
		return -1;
	for (i = 1; i < a->n; i++) {
		if (strncmp(a->v[i], "mininet:", 8) != 0)
			continue;
		host = sl_of(a->v[i] + 8);
		if (!is_sane(host) || memchr(host.p, ' ', host.n) != NULL)
			return -1;
		return ct_fill(out, "mininet", sl_none, host);
	}
	return -1;
}

/*
 * Chromium's sandboxed children say what they are with --type=.  The
 * same flags in a program that is not a Chromium browser mean Electron.
 */
static int
cmd_chromium(struct sl bin, const struct args *a, struct nsf_container *out)
{
	static const char *const types[] = {
		"zygote", "renderer", "utility", "gpu-process", "ppapi",
		"nacl-loader", NULL
	};
	static const char *const browsers[] = {
		"chrome", "chromium", "chromium-browser", "google-chrome",
		"google-chrome-stable", "google-chrome-beta",
		"google-chrome-unstable", "headless_shell", "msedge", "brave",
		"opera", "vivaldi-bin", NULL
	};
	const char *type = NULL;
	size_t i, k;

	for (i = 1; i < a->n && type == NULL; i++) {
		if (strncmp(a->v[i], "--type=", 7) != 0)
			continue;
		for (k = 0; types[k] != NULL; k++)
			if (strcmp(a->v[i] + 7, types[k]) == 0)
				type = types[k];
	}
	if (type == NULL)
		return -1;
	for (k = 0; browsers[k] != NULL; k++)
		if (sl_eq(bin, browsers[k]))
			return ct_fill(out, "chrome", sl_none, sl_of(type));
	if (!is_sane(bin))
		return -1;
	return ct_fill(out, "electron", sl_none, bin);
}

/*
 * The sandbox setter itself (bwrap, firejail, unshare): unshare(2) moves
 * it into the namespaces it makes, so it often is their first process.
 */
static int
cmd_sandbox(struct sl bin, const struct args *a, struct nsf_container *out)
{
	if (sl_eq(bin, "bwrap"))
		return ct_anc_bwrap(a, out);
	if (sl_eq(bin, "firejail"))
		return ct_anc_firejail(a, out);
	if (sl_eq(bin, "unshare"))
		return ct_fill(out, "unshare", sl_none, sl_none);
	return -1;
}

int
nsf_container_from_cmdline(const char *argv, size_t argv_len,
    struct nsf_container *out)
{
	struct args a;
	struct sl bin;
	int r = -1;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (!args_split(argv, argv_len, &a))
		return 0;
	if (args_respace(&a) && a.n > 0) {
		bin = sl_base(sl_of(a.v[0]));
		if ((r = cmd_mininet(bin, &a, out)) < 0 &&
		    (r = cmd_sandbox(bin, &a, out)) < 0)
			r = cmd_chromium(bin, &a, out);
	}
	args_free(&a);
	if (r <= 0) {
		nsf_container_free(out);
		return 0;
	}
	out->source = "cmdline";
	return 1;
}

