/*
 * ct_sandbox.c - sandboxes that make namespaces without a cgroup of their
 * own: bubblewrap (and so Flatpak) and firejail, found as the ancestor
 * that set the sandbox up, and named the way their own tools name them;
 * Flatpak apps from the instance directories flatpak keeps; bare runc
 * and crun from their state directories.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/*
 * bwrap's options that take one or two arguments (bubblewrap 0.4 to
 * 0.8); every other "--word" takes none.  The command is the first word
 * that is not an option or an option's argument, or the one after "--".
 */
static int
bwrap_nargs(const char *opt)
{
	static const char *const two[] = {
		"--setenv", "--bind", "--bind-try", "--dev-bind",
		"--dev-bind-try", "--ro-bind", "--ro-bind-try", "--file",
		"--bind-data", "--ro-bind-data", "--symlink", "--chmod",
		"--overlay-src", NULL
	};
	static const char *const one[] = {
		"--args", "--argv0", "--chdir", "--unsetenv", "--lock-file",
		"--sync-fd", "--uid", "--gid", "--hostname", "--info-fd",
		"--json-status-fd", "--userns-block-fd", "--userns",
		"--userns2", "--pidns", "--seccomp", "--add-seccomp-fd",
		"--block-fd", "--proc", "--dev", "--tmpfs", "--mqueue", "--dir",
		"--remount-ro", "--exec-label", "--file-label", "--cap-add",
		"--cap-drop", "--perms", "--size", "--tmp-overlay",
		"--ro-overlay", NULL
	};
	size_t i;

	for (i = 0; two[i] != NULL; i++)
		if (strcmp(opt, two[i]) == 0)
			return 2;
	for (i = 0; one[i] != NULL; i++)
		if (strcmp(opt, one[i]) == 0)
			return 1;
	return 0;
}

/* "bwrap [options] COMMAND": named after the command's base name. */
int
ct_anc_bwrap(const struct args *a, struct nsf_container *out)
{
	struct sl name = sl_none;
	size_t i;

	for (i = 1; i < a->n; i++) {
		if (strcmp(a->v[i], "--") == 0) {
			if (i + 1 < a->n)
				name = sl_base(sl_of(a->v[i + 1]));
			break;
		}
		if (strncmp(a->v[i], "--", 2) != 0) {
			name = sl_base(sl_of(a->v[i]));
			break;
		}
		i += (size_t)bwrap_nargs(a->v[i]);
	}
	return ct_fill(out, "bubblewrap", sl_none,
	    is_sane(name) ? name : sl_none);
}

/* "firejail --name=NAME ...", else unnamed (its pid names it). */
int
ct_anc_firejail(const struct args *a, struct nsf_container *out)
{
	static const char *const lname[] = { "--name", NULL };
	struct sl name;

	name = sl_of(opt_find(a, lname, 0, NULL));
	return ct_fill(out, "firejail", sl_none,
	    is_sane(name) ? name : sl_none);
}

/*
 * firejail records the name of the sandbox whose outer firejail is PID
 * in /run/firejail/name/<pid>, which `firejail --list` shows.
 */
static void
firejail_name(struct nsf_container *c, const char *rootdir)
{
	char path[64], *text;
	size_t len;

	if (c->name != NULL || c->id == NULL || !is_ident(sl_of(c->id), 10))
		return;
	snprintf(path, sizeof(path), "run/firejail/name/%s", c->id);
	if ((text = read_small(rootdir, path, &len)) == NULL)
		return;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	take_name(c, text);
}

void
ct_resolve_sandbox(struct nsf_container *c, const char *rootdir)
{
	if (strcmp(c->engine, "firejail") == 0)
		firejail_name(c, rootdir);
}

/*
 * Bare runc and crun keep a state directory per container, named by its
 * id: runc's state.json has "init_process_pid", crun's status file the
 * pid on its first line.  The first of PIDS (a process, then its
 * ancestors) that is a container's init names it.
 */
static const struct {
	const char	*dir, *file, *engine;
} oci_roots[] = {
	{ "run/runc", "state.json", "runc" },
	{ "run/crun", "status", "crun" },
};

static long long
oci_pid(const char *rootdir, const char *dir, const char *id, const char *file)
{
	char path[PATH_MAX_CT], *text;
	long long pid;
	size_t len;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", dir, id, file) >=
	    sizeof(path) || (text = read_small(rootdir, path, &len)) == NULL)
		return -1;
	if (text[0] == '{')
		pid = json_top_int(text, len, strcmp(file, "status") == 0 ?
		    "pid" : "init_process_pid");
	else
		pid = strtoll(text, NULL, 10);
	free(text);
	return pid;
}

/*
 * The state dirs are read once per run, not once per process: podman
 * keeps every container of its own in /run/runc too, and a host has
 * thousands of processes to attribute.
 */
#define MAX_OCI	4096

struct oci_ent {
	long long	 pid;
	const char	*engine;
	char		*id;
};

static struct {
	char		*root;
	struct oci_ent	*v;
	size_t		 n;
} oci;

void
nsf_container_oci_forget(void)
{
	size_t i;

	for (i = 0; i < oci.n; i++)
		free(oci.v[i].id);
	free(oci.v);
	free(oci.root);
	memset(&oci, 0, sizeof(oci));
}

static void
oci_load(const char *rootdir)
{
	struct dirent *de;
	struct oci_ent *nv;
	long long pid;
	size_t r;
	DIR *d;

	if ((oci.root = strdup(rootdir != NULL ? rootdir : "")) == NULL)
		return;
	for (r = 0; r < NSF_ARRAY_N(oci_roots); r++) {
		if ((d = opendir_under(rootdir, oci_roots[r].dir)) == NULL)
			continue;
		while (oci.n < MAX_OCI && (de = readdir(d)) != NULL) {
			if (!is_ident(sl_of(de->d_name), MAX_NAME) ||
			    (pid = oci_pid(rootdir, oci_roots[r].dir,
			    de->d_name, oci_roots[r].file)) <= 0)
				continue;
			if ((nv = realloc(oci.v, (oci.n + 1) * sizeof(*nv))) ==
			    NULL)
				break;
			oci.v = nv;
			if ((oci.v[oci.n].id = strdup(de->d_name)) == NULL)
				break;
			oci.v[oci.n].pid = pid;
			oci.v[oci.n++].engine = oci_roots[r].engine;
		}
		closedir(d);
	}
}

int
nsf_container_from_oci_state(const char *rootdir, const int *pids, size_t n,
    struct nsf_container *out)
{
	size_t k, i;

	memset(out, 0, sizeof(*out));
	if (oci.root == NULL || strcmp(oci.root, rootdir != NULL ? rootdir :
	    "") != 0) {
		nsf_container_oci_forget();
		oci_load(rootdir);
	}
	for (i = 0; i < n; i++)
		for (k = 0; k < oci.n; k++) {
			if (oci.v[k].pid != pids[i])
				continue;
			if (!ct_fill(out, oci.v[k].engine, sl_of(oci.v[k].id),
			    sl_none)) {
				nsf_container_free(out);
				return 0;
			}
			out->source = "state";
			return 1;
		}
	return 0;
}

/*
 * Flatpak keeps an instance directory per running app,
 * $XDG_RUNTIME_DIR/.flatpak/<instance>/, with "bwrapinfo.json" (the
 * pid of bwrap's child, the sandbox's first process, as `flatpak ps`
 * shows it) and "info" (the app's keyfile: "[Application]" "name=").
 */
static char *
flatpak_app(const char *rootdir, const char *dir)
{
	char path[PATH_MAX_CT], *text, *line, *save = NULL, *r = NULL;
	int in_app = 0;
	size_t len;

	if ((size_t)snprintf(path, sizeof(path), "%s/info", dir) >= sizeof(path) ||
	    (text = read_small(rootdir, path, &len)) == NULL)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line != NULL && r == NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '[')
			in_app = strcmp(line, "[Application]") == 0;
		else if (in_app && strncmp(line, "name=", 5) == 0 &&
		    is_sane(sl_of(line + 5)))
			r = strdup(line + 5);
	}
	free(text);
	return r;
}

static int
flatpak_user(const char *rootdir, const char *udir, const int *pids, size_t n,
    struct nsf_container *out)
{
	char path[PATH_MAX_CT], *text, *app;
	struct dirent *de;
	long long pid;
	size_t i, len;
	DIR *d;

	if ((d = opendir_under(rootdir, udir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!is_ident(sl_of(de->d_name), MAX_NAME) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s/bwrapinfo.json",
		    udir, de->d_name) >= sizeof(path) ||
		    (text = read_small(rootdir, path, &len)) == NULL)
			continue;
		pid = json_top_int(text, len, "child-pid");
		free(text);
		for (i = 0; pid > 0 && i < n && pids[i] != pid; i++)
			;
		if (pid <= 0 || i == n)
			continue;
		/* Shorter than the bwrapinfo.json path that fitted. */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", udir,
		    de->d_name) >= sizeof(path))
			continue;
		app = flatpak_app(rootdir, path);
		i = ct_fill(out, "flatpak", sl_of(de->d_name), sl_of(app));
		free(app);
		closedir(d);
		if (!i)
			nsf_container_free(out);
		else
			out->source = "state";
		return i != 0;
	}
	closedir(d);
	return 0;
}

int
nsf_container_from_flatpak(const char *rootdir, const int *pids, size_t n,
    struct nsf_container *out)
{
	char udir[PATH_MAX_CT];
	struct dirent *de;
	DIR *d;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if ((d = opendir_under(rootdir, "run/user")) == NULL)
		return 0;
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (!is_ident(sl_of(de->d_name), 10) ||
		    strspn(de->d_name, "0123456789") != strlen(de->d_name))
			continue;
		snprintf(udir, sizeof(udir), "run/user/%s/.flatpak", de->d_name);
		r = flatpak_user(rootdir, udir, pids, n, out);
	}
	closedir(d);
	return r;
}
