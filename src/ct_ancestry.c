/*
 * ct_ancestry.c - the container behind a process from an ancestor that
 * is a container shim or monitor (containerd shims, conmon, lxc-start,
 * liblxc's monitor, systemd-nspawn, lxd forkstart, bubblewrap, firejail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/*
 * containerd shims: v2 "-namespace <ns> -id <id>"; v1 has no -id but a
 * "-workdir .../<ns>/<id>"; docker 17's shim takes the id first.  The
 * namespace tells who asked: "moby" is docker, "k8s.io" is the CRI.
 */
static int
anc_shim(const struct args *a, const char *engine, struct nsf_container *out)
{
	static const char *const nsopt[] = {
		"-namespace", "--namespace", NULL
	};
	static const char *const idopt[] = { "-id", "--id", NULL };
	static const char *const wdopt[] = { "-workdir", "--workdir", NULL };
	struct sl ns, id;

	ns = sl_of(opt_find(a, nsopt, 0, NULL));
	id = sl_of(opt_find(a, idopt, 0, NULL));
	if (id.n == 0)
		id = sl_base(sl_of(opt_find(a, wdopt, 0, NULL)));
	if (id.n == 0 && a->n > 1 && is_id64(sl_of(a->v[1])))
		id = sl_of(a->v[1]);
	if (!is_ident(id, MAX_CTR_ID))
		id = sl_none;
	if (!is_ident(ns, MAX_NAME))
		ns = sl_none;
	if (sl_eq(ns, "moby") || sl_eq(ns, "plugins.moby"))
		engine = "docker";
	else if (sl_eq(ns, "k8s.io"))
		engine = "kubernetes";
	else if (engine == NULL || ns.n > 0)
		engine = "containerd";
	if (!ct_fill(out, engine, id, sl_none))
		return 0;
	if (ns.n > 0 && (out->ctr_namespace = sl_dup(ns)) == NULL)
		return 0;
	return 1;
}

/*
 * conmon serves both podman and CRI-O.  CRI-O names containers
 * "k8s_..." and points conmon at its own directories and runtimes
 * ("/var/run/crio", "/usr/lib/cri-o-runc/sbin/runc"); podman passes
 * itself as the exit command, which settles any doubt.
 */
static int
anc_conmon(const struct args *a, struct nsf_container *out)
{
	static const char *const cid[] = { "-c", "--cid", NULL };
	static const char *const cname[] = { "-n", "--name", NULL };
	struct sl id, name;
	struct k8sname k;
	const char *engine;

	id = sl_of(opt_find(a, cid, 0, NULL));
	name = sl_of(opt_find(a, cname, 0, NULL));
	if (!is_ident(id, MAX_CTR_ID))
		id = sl_none;
	if (k8s_name(name, &k)) {
		if (!ct_fill(out, "kubernetes", id, sl_none))
			return 0;
		k8s_apply(out, &k);
		return out->name != NULL && out->pod != NULL &&
		    out->k8s_namespace != NULL && out->pod_uid != NULL;
	}
	if ((args_mention(a, "crio") || args_mention(a, "cri-o")) &&
	    !args_mention(a, "podman"))
		engine = "cri-o";
	else
		engine = "podman";
	return ct_fill(out, engine, id, is_sane(name) ? name : sl_none);
}

/* lxc-start -n <name>, with getopt clustering. */
static int
anc_lxc(const struct args *a, struct nsf_container *out)
{
	static const char *const lname[] = { "--name", NULL };
	struct sl name;

	name = sl_of(opt_find(a, lname, 'n', "nolPfspcL"));
	return ct_fill(out, "lxc", sl_none, is_sane(name) ? name : sl_none);
}

/*
 * systemd-nspawn names the machine after -M, else after the basename of
 * -D or of -i without ".raw", as nspawn itself does.
 */
static int
anc_nspawn(const struct args *a, struct nsf_container *out)
{
	static const char *const lmach[] = { "--machine", NULL };
	static const char *const ldir[] = { "--directory", NULL };
	static const char *const limg[] = { "--image", NULL };
	static const char *const takes = "DuLMSZipE";
	struct sl name;

	name = sl_of(opt_find(a, lmach, 'M', takes));
	if (name.n == 0)
		name = sl_base(sl_of(opt_find(a, ldir, 'D', takes)));
	if (name.n == 0) {
		name = sl_base(sl_of(opt_find(a, limg, 'i', takes)));
		if (sl_suffix(name, ".raw") && name.n > strlen(".raw"))
			name.n -= strlen(".raw");
	}
	return ct_fill(out, "systemd-nspawn", sl_none,
	    is_sane(name) ? name : sl_none);
}

/*
 * liblxc retitles its monitor "[lxc monitor] <lxcpath> <name>", one
 * string with spaces.
 */
static int
anc_lxc_monitor(const struct args *a, struct nsf_container *out)
{
	const char *title = a->v[0], *sp;

	if (strncmp(title, "[lxc monitor] ", 14) != 0 ||
	    (sp = strrchr(title, ' ')) == NULL || sp < title + 14)
		return -1;
	return ct_fill(out, "lxc", sl_none,
	    is_sane(sl_of(sp + 1)) ? sl_of(sp + 1) : sl_none);
}

static int
ancestor_tool(struct sl tool, const struct args *a, struct nsf_container *out)
{
	if (tool_is(tool, "docker-containerd-shim"))
		return anc_shim(a, "docker", out);
	if (sl_prefix(tool, "containerd-shim"))
		return anc_shim(a, NULL, out);
	if (tool_is(tool, "conmon"))
		return anc_conmon(a, out);
	if (tool_is(tool, "lxc-start"))
		return anc_lxc(a, out);
	if (tool_is(tool, "systemd-nspawn"))
		return anc_nspawn(a, out);
	if (sl_eq(tool, "bwrap"))
		return ct_anc_bwrap(a, out);
	if (sl_eq(tool, "firejail"))
		return ct_anc_firejail(a, out);
	if (sl_eq(tool, "unshare"))
		return ct_fill(out, "unshare", sl_none, sl_none);
	if (sl_eq(tool, "lxd") && a->n >= 3 &&
	    strcmp(a->v[1], "forkstart") == 0)
		return ct_fill(out, "lxc", sl_none,
		    is_sane(sl_of(a->v[2])) ? sl_of(a->v[2]) : sl_none);
	return -1;
}

/*
 * The argv names the program better than comm, which is truncated and
 * which a process sets freely; comm is the fallback for an empty or
 * rewritten argv.
 */
int
nsf_container_from_ancestor(const char *comm, const char *argv,
    size_t argv_len, struct nsf_container *out)
{
	struct args a;
	int r = -1;

	if (out == NULL)
		return 0;
	memset(out, 0, sizeof(*out));
	if (!args_split(argv, argv_len, &a))
		return 0;
	if (a.n > 0 && (r = anc_lxc_monitor(&a, out)) < 0)
		r = ancestor_tool(sl_base(sl_of(a.v[0])), &a, out);
	if (r < 0 && comm != NULL)
		r = ancestor_tool(sl_of(comm), &a, out);
	args_free(&a);
	if (r <= 0) {
		nsf_container_free(out);
		return 0;
	}
	out->source = "ancestry";
	return 1;
}

