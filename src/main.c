/*
 * main.c - nsfind: find every Linux namespace, including the hidden ones,
 * and say what keeps each one alive.
 *
 * Options follow lsns(8) where the concept is the same.  The flow is one
 * way: parse options, let the sources fill the graph, render one view.
 */
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "escape.h"
#include "kernel.h"
#include "sources.h"
#include "util.h"
#include "views.h"
#include "watch.h"

#ifndef NSFIND_VERSION
#define NSFIND_VERSION "0.1"
#endif

enum {
	OPT_OUTPUT_ALL = 0x100, OPT_HIDDEN, OPT_NO_THREADS, OPT_NO_FDS,
	OPT_NO_MOUNTS, OPT_LINKS, OPT_CONTAINER, OPT_PROM, OPT_DOT,
	OPT_STATE_ROOT, OPT_TIMEOUT, OPT_WATCH, OPT_INTERVAL, OPT_WHY,
};

/* Exit status of a run that knows it missed something (a limit, a hang). */
#define EXIT_INCOMPLETE	3

struct cli {
	struct nsf_viewopts	 v;
	struct nsf_filter	 f;
	struct nsf_scanopts	 s;
	bool			 output_all, list, procs, links, prom, dot, watch;
	unsigned		 interval;	/* --watch: seconds, 0 unset */
	const char		*output;
	bool			 why;		/* --why: explain why_args, or --hidden */
	const char		**why_args;
	size_t			 nwhy;
};

static const int default_cols[] = { COL_NS, COL_TYPE, COL_NPROCS, COL_PID,
    COL_USER, COL_CONTAINER, COL_COMMAND, COL_HOLDERS, -1 };
static const int net_cols[] = { COL_NS, COL_TYPE, COL_NPROCS, COL_PID,
    COL_USER, COL_NETNSID, COL_NSFS, COL_INTERFACES, COL_COMMAND, COL_HOLDERS, -1 };
static const int hidden_cols[] = { COL_NS, COL_TYPE, COL_ONS, COL_PID,
    COL_COMMAND, COL_HOLDERS, -1 };

static void __attribute__((noreturn))
usage(void)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	    " nsfind [options] [<namespace>]\n"
	    " nsfind --why [options] <namespace>... | --hidden\n\n"
	    "List every namespace alive on this machine, including the ones no\n"
	    "process is in, and what keeps each one alive.\n\n"
	    "Options:\n"
	    " -J, --json             use JSON output format\n"
	    " -l, --list             use list format output (no tree)\n"
	    " -n, --noheadings       don't print headings\n"
	    " -o, --output <list>    define which output columns to use (+COL adds)\n"
	    "     --output-all       output all columns\n"
	    " -p, --task <pid>       print the namespaces of a process\n"
	    " -r, --raw              use the raw output format\n"
	    " -u, --notruncate       don't truncate text in columns\n"
	    " -W, --nowrap           don't use multi-line representation\n"
	    " -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts,\n"
	    "                        cgroup, time); may be repeated or comma-separated\n"
	    " -T, --tree[=<rel>]     use tree format (owner or parent; default owner)\n"
	    "     --hidden           only namespaces that no process or thread is in\n"
	    " -P, --processes        one line per task outside the initial namespaces\n"
	    "     --links            which network namespace is wired to which\n"
	    "     --container <name> only the namespaces of a container (name or id)\n"
	    "     --state-root <dir> read container engines' state under <dir>\n"
	    "     --prometheus       Prometheus text format (textfile collector)\n"
	    "     --dot              Graphviz graph of owners, parents, mounts, links\n"
	    "     --watch            print a line per change until interrupted\n"
	    "     --interval <secs>  --watch: a full rescan every <secs> (default 2)\n"
	    "     --why[=<ns>]       what keeps each namespace alive, down to what a\n"
	    "                        person can act on, and how to release it; <ns> is\n"
	    "                        an inode, an id, TYPE:[INODE], an ip netns name\n"
	    "                        or a namespace file; with --hidden, every hidden one\n"
	    "     --no-threads       do not look at threads (faster, misses some)\n"
	    "     --no-fds           do not look at fds, sockets and tun devices\n"
	    "     --no-mounts        search only its own mount namespace for bind mounts\n"
	    "     --timeout <secs>   give up path walks after this long in all (2)\n"
	    " -H, --list-columns     list the available columns\n"
	    " -h, --help             display this help\n"
	    " -V, --version          display version\n\n"
	    "See nsfind(8) for the columns and the holder kinds.\n", out);
	exit(0);
}

static void __attribute__((noreturn))
list_columns(void)
{
	int i;

	for (i = 0; i < NSF_NCOLS; i++)
		printf("%12s  %s\n", nsf_cols[i].name, nsf_cols[i].help);
	exit(0);
}

static void
add_col(struct cli *c, int col)
{
	size_t i;

	for (i = 0; i < c->v.ncols; i++)
		if (c->v.cols[i] == col)
			return;
	if (c->v.ncols < NSF_ARRAY_SIZE(c->v.cols))
		c->v.cols[c->v.ncols++] = col;
}

static void
set_cols(struct cli *c, const int *cols)
{
	for (; *cols >= 0; cols++)
		add_col(c, *cols);
}

static void
parse_output(struct cli *c, const char *list)
{
	const char *p = list, *e;
	int col;

	if (*p == '+')
		p++;
	else
		c->v.ncols = 0;
	if (*p == '\0')
		nsf_die("no columns in --output '%s'", list);
	/* "NS," and ",,," alike: every name between commas must be there. */
	for (;;) {
		e = p + strcspn(p, ",");
		if (e == p)
			nsf_die("empty column name in --output '%s'", list);
		if ((col = nsf_col_from_name(p, e - p)) < 0)
			nsf_die("unknown column: %.*s", (int)(e - p), p);
		add_col(c, col);
		if (*e == '\0')
			break;
		p = e + 1;
	}
	if (c->v.ncols == 0)
		nsf_die("no columns in --output '%s'", list);
}

static void
parse_types(struct cli *c, const char *arg)
{
	const char *p = arg, *e;
	char name[32];
	int t;

	while (*p) {
		e = p + strcspn(p, ",");
		if (e == p)
			nsf_die("empty namespace type in --type '%s'", arg);
		if ((size_t)(e - p) >= sizeof(name))
			nsf_die("unknown namespace type: %.*s", (int)(e - p), p);
		memcpy(name, p, e - p);
		name[e - p] = '\0';
		if ((t = nsf_type_from_name(name)) < 0)
			nsf_die("unknown namespace type: %s", name);
		c->f.types |= 1u << t;
		p = *e ? e + 1 : e;
	}
	if (c->f.types == 0)
		nsf_die("empty namespace type");
}

static unsigned long long
parse_num(const char *s, const char *what, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		nsf_die("invalid %s: '%s'", what, s);
	v = strtoull(s, &end, 10);
	if (errno || *end || v == 0 || v > max)
		nsf_die("invalid %s: '%s'", what, s);
	return v;
}

/* "2", "0.5": seconds, into milliseconds; at least 1 ms, at most a day. */
static int
parse_seconds(const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400)
		nsf_die("invalid --timeout: '%s' (seconds, e.g. 2 or 0.5)", s);
	return v * 1000 < 1 ? 1 : (int)(v * 1000);
}

/* A namespace given by its file: stat() it, on the nsfs device. */
static int
why_stat(const char *path, struct stat *st, char *err, size_t errsize)
{
	struct statfs sfs;

	if (stat(path, st) != 0) {
		snprintf(err, errsize, "cannot open namespace '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (statfs(path, &sfs) != 0 || (unsigned long)sfs.f_type != NSFS_MAGIC) {
		snprintf(err, errsize, "'%s' is not a namespace file", path);
		return -1;
	}
	return 0;
}

static void
add_why(struct cli *c, const char *arg)
{
	struct stat st;
	char err[PATH_MAX + 128];

	if (*arg == '\0')
		nsf_die("empty namespace for --why");
	/* A path that names no namespace is wrong before any scan. */
	if (strchr(arg, '/') && why_stat(arg, &st, err, sizeof(err)) != 0)
		nsf_die("%s", err);
	c->why_args = xreallocarray(c->why_args, c->nwhy + 1, sizeof(*c->why_args));
	c->why_args[c->nwhy++] = arg;
}

static void
check_why(struct cli *c)
{
	if (c->procs || c->links || c->prom || c->dot || c->watch ||
	    c->v.tree != NSF_TREE_NONE)
		nsf_die("--why draws its own tree: it goes with none of --tree, "
		    "--processes, --links, --prometheus, --dot and --watch");
	if (c->output || c->output_all)
		nsf_die("--why shows no columns: it takes no --output");
	if (c->nwhy == 0 && !c->f.hidden)
		nsf_die("--why needs a namespace, or --hidden for every hidden one");
	if (!c->f.hidden && (c->f.types || c->f.pid || c->f.container))
		nsf_die("with --why, --type, --task and --container choose among --hidden");
}

static void
parse_args(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "list", no_argument, NULL, 'l' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "output-all", no_argument, NULL, OPT_OUTPUT_ALL },
		{ "task", required_argument, NULL, 'p' },
		{ "raw", no_argument, NULL, 'r' },
		{ "notruncate", no_argument, NULL, 'u' },
		{ "nowrap", no_argument, NULL, 'W' },
		{ "type", required_argument, NULL, 't' },
		{ "tree", optional_argument, NULL, 'T' },
		{ "hidden", no_argument, NULL, OPT_HIDDEN },
		{ "processes", no_argument, NULL, 'P' },
		{ "links", no_argument, NULL, OPT_LINKS },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "prometheus", no_argument, NULL, OPT_PROM },
		{ "state-root", required_argument, NULL, OPT_STATE_ROOT },
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "watch", no_argument, NULL, OPT_WATCH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "why", optional_argument, NULL, OPT_WHY },
		{ "no-threads", no_argument, NULL, OPT_NO_THREADS },
		{ "no-fds", no_argument, NULL, OPT_NO_FDS },
		{ "no-mounts", no_argument, NULL, OPT_NO_MOUNTS },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stat st;
	pid_t pid;
	int ch;

	c->s.threads = c->s.fds = c->s.mounts = c->s.kernel_walk = true;
	c->s.state_root = "";
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":Jlno:p:ruWt:T::PHhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'J': c->v.json = true; break;
		case 'l': c->list = true; break;
		case 'n': c->v.noheadings = true; break;
		case 'o': c->output = optarg; break;
		case OPT_OUTPUT_ALL: c->output_all = true; break;
		case 'p':
			pid = parse_num(optarg, "PID", INT_MAX);
			/* One process's namespaces: a second, other -p is refused. */
			if (c->f.pid && c->f.pid != pid)
				nsf_die("-p/--task given twice (%d and %d): one process at a time",
				    (int)c->f.pid, (int)pid);
			c->f.pid = pid;
			break;
		case 'r': c->v.raw = true; break;
		case 'u': c->v.notrunc = true; break;
		case 'W': c->v.nowrap = true; break;
		case 't': parse_types(c, optarg); break;
		case 'T':
			/* "-T parent" as well as "-Tparent" and "--tree=parent". */
			if (optarg == NULL && optind < argc && argv[optind][0] != '-' &&
			    strspn(argv[optind], "0123456789") != strlen(argv[optind]))
				optarg = argv[optind++];
			if (optarg == NULL || strcmp(optarg, "owner") == 0)
				c->v.tree = NSF_TREE_OWNER;
			else if (strcmp(optarg, "parent") == 0)
				c->v.tree = NSF_TREE_PARENT;
			else
				nsf_die("unknown tree relation: '%s' (use owner or parent)", optarg);
			break;
		case OPT_HIDDEN: c->f.hidden = true; break;
		case 'P': c->procs = true; break;
		case OPT_LINKS: c->links = true; break;
		case OPT_PROM: c->prom = true; break;
		case OPT_STATE_ROOT:
			if (stat(optarg, &st) == 0 && !S_ISDIR(st.st_mode))
				nsf_die("cannot read --state-root '%s': not a directory", optarg);
			if (access(optarg, R_OK | X_OK) != 0)
				nsf_die("cannot read --state-root '%s': %s", optarg, strerror(errno));
			c->s.state_root = optarg;
			break;
		case OPT_DOT: c->dot = true; break;
		case OPT_WATCH: c->watch = true; break;
		case OPT_INTERVAL:
			c->interval = parse_num(optarg,
			    "interval (whole seconds, 1 to 86400)", 86400);
			break;
		case OPT_WHY:
			c->why = true;
			if (optarg)
				add_why(c, optarg);
			break;
		case OPT_CONTAINER:
			if (*optarg == '\0')
				nsf_die("empty container name");
			c->f.container = optarg;
			break;
		case OPT_NO_THREADS: c->s.threads = false; break;
		case OPT_NO_FDS: c->s.fds = false; break;
		case OPT_NO_MOUNTS: c->s.mounts = false; break;
		case OPT_TIMEOUT: c->s.timeout_ms = parse_seconds(optarg); break;
		case 'H': list_columns();
		case 'h': usage();
		case 'V': printf("nsfind %s\n", NSFIND_VERSION); exit(0);
		case ':': nsf_die("option '%s' requires an argument", argv[optind - 1]);
		default:
			if (optopt)
				nsf_die("unknown option '-%c' (try --help)", optopt);
			nsf_die("unknown option '%s' (try --help)", argv[optind - 1]);
		}
	}
	while (c->why && optind < argc)
		add_why(c, argv[optind++]);
	if (optind < argc)
		c->f.ino = parse_num(argv[optind++], "namespace", UINT64_MAX);
	if (optind < argc)
		nsf_die("unexpected argument '%s'", argv[optind]);
	if (c->v.json && c->v.raw)
		nsf_die("mutually exclusive arguments: --json --raw");
	if (c->why)
		check_why(c);
	if (c->list)
		c->v.tree = NSF_TREE_NONE;
	if (c->procs && (c->f.hidden || c->v.tree != NSF_TREE_NONE))
		nsf_die("--processes shows tasks: it goes with neither --hidden nor --tree");
	if (c->procs + c->links + c->prom + c->dot > 1)
		nsf_die("--processes, --links, --prometheus and --dot exclude each other");
	if (c->interval && !c->watch)
		nsf_die("--interval goes with --watch");
	if (c->watch && (c->procs + c->links + c->prom + c->dot ||
	    c->v.tree != NSF_TREE_NONE))
		nsf_die("--watch prints changes: it goes with none of --processes, "
		    "--links, --prometheus, --dot and --tree");
}

static void
choose_cols(struct cli *c)
{
	int i;

	if (c->output_all || (c->v.json && c->output == NULL)) {
		for (i = 0; i < NSF_NCOLS; i++)
			add_col(c, i);
		return;
	}
	if (c->f.hidden)
		set_cols(c, hidden_cols);
	else if (c->f.types == (1u << NSF_NET))
		set_cols(c, net_cols);
	else
		set_cols(c, default_cols);
	if (c->output)
		parse_output(c, c->output);
}

/* Containers are looked up only when something shows or filters by them. */
static bool
wants_containers(const struct cli *c)
{
	size_t i;

	if (c->why)
		return c->f.container != NULL;
	if (c->procs || c->f.container || c->prom || c->dot)	/* dot: clusters */
		return true;
	for (i = 0; i < c->v.ncols; i++)
		if (c->v.cols[i] == COL_CONTAINER)
			return true;
	return false;
}

/* What is inside each namespace: only when DETAILS is shown (-J shows it). */
static bool
wants_details(const struct cli *c)
{
	size_t i;

	if (c->why || c->procs || c->links || c->prom || c->dot)
		return false;
	for (i = 0; i < c->v.ncols; i++)
		if (c->v.cols[i] == COL_DETAILS)
			return true;
	return false;
}

/* Interfaces are listed only when something shows them. */
static bool
wants_netlink(const struct cli *c)
{
	size_t i;

	if (c->why)
		return false;
	if (c->links || c->dot)
		return true;
	if (c->procs || c->prom)
		return false;
	for (i = 0; i < c->v.ncols; i++)
		if (c->v.cols[i] == COL_NETNSID || c->v.cols[i] == COL_INTERFACES ||
		    c->v.cols[i] == COL_DETAILS)	/* names for the addresses */
			return true;
	return false;
}

static void
details(struct nsf_graph *g, struct nsf_scanopts *s, pid_t pid)
{
	struct nsf_proc *p;

	if (pid > 0 && (p = graph_find_proc(g, pid)) != NULL)
		src_proc_details(g, p, s);
}

/* Read command and user of the processes the chosen view shows, and only those. */
static void
fetch_details(struct nsf_graph *g, struct cli *c)
{
	struct nsf_proc *p;
	struct nsf_ns *ns;
	size_t i, k;

	for (i = 0; i < g->nns; i++) {
		ns = g->ns[i];
		if (!c->v.sel[i])
			continue;
		if (ns->proc)
			src_proc_details(g, ns->proc, &c->s);
		details(g, &c->s, ns->thread_pid);
		details(g, &c->s, ns->children_pid);
		for (k = 0; k < ns->nholders; k++)
			details(g, &c->s, ns->holders[k].pid);
		if (ns->nzombies) {
			details(g, &c->s, ns->zombie_pid);
			if ((p = graph_find_proc(g, ns->zombie_pid)) != NULL)
				details(g, &c->s, p->ppid);
		}
	}
	if (!c->procs)
		return;
	for (i = 0; i < g->nprocs; i++)
		src_proc_details(g, g->procs[i], &c->s);
}

static bool
any_selected(const struct nsf_graph *g, const bool *sel)
{
	size_t i;

	for (i = 0; i < g->nns; i++)
		if (sel[i])
			return true;
	return false;
}

/* --watch: the same scan and filters, one line per change, until stopped. */
static int
watch(struct cli *c)
{
	struct nsf_watchopts o;

	memset(&o, 0, sizeof(o));
	o.s = &c->s;
	o.v = &c->v;
	o.f = &c->f;
	o.containers = wants_containers(c);
	o.interval = c->interval ? c->interval : 2;
	return nsf_watch(&o);
}

/*
 * The namespace a --why argument names: a path to its file; TYPE:[INODE];
 * a number, as an inode first, then as a 64-bit id; an `ip netns` name;
 * else a file in the current directory.  NULL, with err said, if none.
 */
static struct nsf_ns *
why_resolve(struct nsf_graph *g, const char *arg, char *err, size_t errsize)
{
	struct nsf_ns *ns = NULL;
	struct stat st;
	unsigned long long v;
	uint64_t ino;
	size_t i, k;
	char *end;
	int type;

	if (strchr(arg, '/')) {
		if (why_stat(arg, &st, err, errsize) != 0)
			return NULL;
		if ((ns = graph_find(g, st.st_dev, st.st_ino)) == NULL)
			snprintf(err, errsize, "namespace %llu of '%s' not found",
			    (unsigned long long)st.st_ino, arg);
		return ns;
	}
	if (nsf_parse_nslink(arg, &type, &ino) == 0) {
		if ((ns = graph_find_ino(g, ino)) == NULL || (int)ns->type != type) {
			snprintf(err, errsize, "namespace %s not found", arg);
			return NULL;
		}
		return ns;
	}
	if (*arg >= '0' && *arg <= '9') {
		errno = 0;
		v = strtoull(arg, &end, 10);
		if (errno == 0 && *end == '\0') {
			if ((ns = graph_find_ino(g, v)) != NULL)
				return ns;
			for (i = 0; i < g->nns; i++)
				if (g->ns[i]->id && g->ns[i]->id == v)
					return g->ns[i];
			snprintf(err, errsize, "namespace %s not found "
			    "(no namespace has that inode or id)", arg);
			return NULL;
		}
	}
	for (i = 0; i < g->nns; i++)
		for (k = 0; k < g->ns[i]->nnames; k++)
			if (strcmp(g->ns[i]->names[k], arg) == 0)
				return g->ns[i];
	if (stat(arg, &st) == 0 && why_stat(arg, &st, err, errsize) == 0) {
		if ((ns = graph_find(g, st.st_dev, st.st_ino)) == NULL)
			snprintf(err, errsize, "namespace %llu of '%s' not found",
			    (unsigned long long)st.st_ino, arg);
		return ns;
	}
	snprintf(err, errsize, "no namespace '%s' (not an inode, an id, "
	    "TYPE:[INODE], an ip netns name or a namespace file)", arg);
	return NULL;
}

static void
why_add(struct nsf_ns **list, size_t *n, bool *listed, struct nsf_ns *ns)
{
	if (listed[ns->index])
		return;
	listed[ns->index] = true;
	list[(*n)++] = ns;
}

/* --why: resolve every argument before anything is printed, then explain. */
static int
run_why(struct cli *c, struct nsf_graph *g)
{
	struct nsf_ns **list, **hidden, *ns;
	struct nsf_holder *h;
	bool *listed, *sel;
	char err[PATH_MAX + 256];
	size_t n = 0, nh, i, k;
	int rc;

	list = xcalloc(c->nwhy + g->nns + 1, sizeof(*list));
	listed = xcalloc(g->nns + 1, sizeof(*listed));
	for (i = 0; i < c->nwhy; i++) {
		if ((ns = why_resolve(g, c->why_args[i], err, sizeof(err))) == NULL) {
			free(list);
			free(listed);
			free(c->why_args);
			free(c->v.sel);
			graph_free(g);
			nsf_die("%s", err);
		}
		why_add(list, &n, listed, ns);
	}
	if (c->f.hidden) {
		sel = nsf_select(g, &c->f);
		hidden = nsf_sorted(g, sel, &nh);
		for (i = 0; i < nh; i++)
			why_add(list, &n, listed, hidden[i]);
		free(hidden);
		free(sel);
	}
	/* Commands, users and containers of the processes the trees name. */
	free(c->v.sel);
	c->v.sel = xcalloc(g->nns + 1, sizeof(bool));
	for (i = 0; i < n; i++)
		nsf_why_reach(g, list[i], c->v.sel);
	fetch_details(g, c);
	for (i = 0; i < g->nns; i++) {
		if (!c->v.sel[i])
			continue;
		ns = g->ns[i];
		for (k = 0; k < ns->nall; k++) {
			h = &ns->all[k];
			if (h->pid > 0 && (h->kind != NSF_H_BINDMOUNT || h->tree))
				src_proc_container(g, &c->s, h->pid);
			/* A zombie's parent is who releases it. */
			if (h->kind == NSF_H_ZOMBIE && h->ppid > 0) {
				details(g, &c->s, h->ppid);
				src_proc_container(g, &c->s, h->ppid);
			}
		}
	}
	rc = view_why(g, &c->v, list, n, stdout);
	free(list);
	free(listed);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct nsf_graph *g;
	int rc, err;

	setlocale(LC_ALL, "");
	memset(&c, 0, sizeof(c));
	parse_args(&c, argc, argv);
	/* Raw output stays ASCII: libsmartcols escapes anything else there. */
	nsf_esc_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!c.v.raw && nsf_esc_utf8) {
		nsf_arrow = "\xe2\x86\x92";
		nsf_chevron = "\xc2\xbb";
	}
	c.s.proc = "/proc";
	c.s.netns_dir = "/run/netns";
	choose_cols(&c);
	c.s.netlink = wants_netlink(&c);
	c.s.addrs = wants_details(&c);
	if (c.watch)
		return watch(&c);

	g = nsf_discover(&c.s);
	graph_finalize(g);
	if (c.f.pid && graph_find_proc(g, c.f.pid) == NULL) {
		graph_free(g);
		nsf_die("no process with PID %d (or it cannot be inspected)", (int)c.f.pid);
	}
	if (c.f.ino && graph_find_ino(g, c.f.ino) == NULL) {
		graph_free(g);
		nsf_die("namespace %llu not found", (unsigned long long)c.f.ino);
	}
	if (wants_containers(&c))
		src_containers(g, &c.s, c.procs || c.f.container);
	c.v.sel = nsf_select(g, &c.f);
	if (c.f.container && !any_selected(g, c.v.sel)) {
		free(c.v.sel);
		graph_free(g);
		nsf_die("no namespace belongs to a container named '%s'", c.f.container);
	}
	if (!c.why)
		fetch_details(g, &c);
	/* What is inside: only for what is shown, and only when it is. */
	if (wants_details(&c))
		src_details(g, &c.s, c.v.sel);
	if (c.procs)
		src_nspid(g, &c.s);
	if (c.why)
		rc = run_why(&c, g);
	else if (c.procs)
		rc = view_procs(g, &c.v, &c.f, stdout);
	else if (c.links)
		rc = view_links(g, &c.v, stdout);
	else if (c.prom)
		rc = view_prom(g, &c.v, stdout);
	else if (c.dot)
		rc = view_dot(g, &c.v, stdout);
	else if (c.v.json)
		rc = view_json(g, &c.v, stdout);
	else
		rc = view_table(g, &c.v, stdout);
	/* A view's own failure carries -errno; a failed write leaves errno. */
	err = rc < -1 ? -rc : 0;
	if (fflush(stdout) != 0 || ferror(stdout) || rc != 0) {
		fprintf(stderr, "nsfind: cannot write output: %s\n",
		    strerror(err ? err : errno));
		rc = 1;
	}
	view_notes(g, stderr);
	if (rc == 0 && g->incomplete > 0)
		rc = EXIT_INCOMPLETE;
	else if (rc)
		rc = 1;
	free(c.v.sel);
	free(c.why_args);
	graph_free(g);
	return rc;
}
