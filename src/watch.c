/*
 * watch.c - nsfind --watch: scan, compare with the previous scan, say what
 * changed, sleep, again.
 *
 * Every scan is a cold one into a fresh graph (nsf_discover and
 * graph_finalize), so a rescan costs what one run of nsfind costs and
 * nothing grows from one scan to the next: the previous graph is freed
 * once compared.  Namespaces are matched by identity: device and inode,
 * and the 64-bit id where the kernel gives one, because an inode number
 * is reused once its namespace is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "watch.h"

struct scan {
	struct nsf_graph *g;
	bool		*sel;	/* what the user's filter shows */
	bool		*rel;	/* the same without --hidden: what can change into it */
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double dmax(double a, double b) { return a > b ? a : b; }
static double dmin(double a, double b) { return a < b ? a : b; }

static void
do_scan(const struct nsf_watchopts *o, struct scan *sc)
{
	struct nsf_filter f = *o->f;

	sc->g = nsf_discover(o->s);
	graph_finalize(sc->g);
	if (o->containers)
		src_containers(sc->g, o->s, false);
	sc->sel = nsf_select(sc->g, o->f);
	f.hidden = false;
	sc->rel = nsf_select(sc->g, &f);
}

static void
scan_free(struct scan *sc)
{
	if (sc->g)
		graph_free(sc->g);
	free(sc->sel);
	free(sc->rel);
	memset(sc, 0, sizeof(*sc));
}

/* ns of one scan in graph g of another, if it is the same namespace. */
static struct nsf_ns *
match(struct nsf_graph *g, const struct nsf_ns *ns)
{
	struct nsf_ns *m;

	if (ns->unresolved)	/* known by a netnsid only: no identity */
		return NULL;
	m = graph_find(g, ns->dev, ns->ino);
	if (m == NULL || m->type != ns->type)
		return NULL;
	if (m->id && ns->id && m->id != ns->id)
		return NULL;	/* the inode number was reused */
	return m;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/*
 * What keeps ns alive, in a form two scans can compare.  For a hidden
 * namespace, the leak a user watches for, every fd, socket, tun and bind
 * mount counts by who holds it and where; the kinds derived from
 * membership and hierarchy count as kinds.  A namespace with a task in it
 * is kept alive by that task: only the kinds of its holders count, or
 * every new mount namespace (which copies bind mounts) and every other
 * nsfind (which holds each namespace by an fd while it scans) would be a
 * change of every namespace.
 */
static char *
holder_sig(const struct nsf_ns *ns)
{
	struct strbuf sb = STRBUF_INIT;
	const struct nsf_holder *h;
	bool who = nsf_ns_hidden(ns);
	char **v;
	size_t i, n = 0;

	v = xcalloc(ns->nall + 1, sizeof(*v));
	for (i = 0; i < ns->nall; i++) {
		h = &ns->all[i];
		sb_adds(&sb, nsf_hkind_name(h->kind));
		switch (who ? h->kind : NSF_H_NKINDS) {
		case NSF_H_FD:
		case NSF_H_SOCKET:
		case NSF_H_TUN:
			sb_addf(&sb, " %d/%d:%d/%d", (int)h->pid, (int)h->tid,
			    h->fd, h->slot);
			break;
		case NSF_H_BINDMOUNT:
			sb_addf(&sb, " %llu ", h->mntns ?
			    (unsigned long long)h->mntns->ino : 0ULL);
			sb_adds(&sb, h->path ? h->path : "?");
			break;
		default:
			break;
		}
		v[n++] = sb_detach(&sb);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
			sb_adds(&sb, v[i]);
			sb_addc(&sb, '\n');
		}
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return sb_detach(&sb);
}

static bool
holders_changed(const struct nsf_ns *a, const struct nsf_ns *b)
{
	char *x = holder_sig(a), *y = holder_sig(b);
	bool changed = strcmp(x, y) != 0;

	free(x);
	free(y);
	return changed;
}

static void
add_event(struct nsf_event **ev, size_t *n, size_t *cap, enum nsf_evkind k,
    struct nsf_graph *g, struct nsf_ns *ns)
{
	nsf_grow(ev, cap, *n, sizeof(**ev));
	(*ev)[*n].kind = k;
	(*ev)[*n].g = g;
	(*ev)[*n].ns = ns;
	(*n)++;
}

/*
 * The changes from scan a to scan b, by inode.  A change is shown when the
 * namespace is selected in either scan: with --hidden, the moment one
 * becomes hidden and the moment it stops being hidden are both news.
 */
static size_t
diff(struct scan *a, struct scan *b, struct nsf_event **ev)
{
	struct nsf_ns **list, *ns, *m;
	size_t n, i, nev = 0, cap = 0;

	*ev = NULL;
	list = nsf_sorted(a->g, NULL, &n);
	for (i = 0; i < n; i++) {
		ns = list[i];
		if (!ns->unresolved && a->sel[ns->index] && match(b->g, ns) == NULL)
			add_event(ev, &nev, &cap, NSF_EV_VANISHED, a->g, ns);
	}
	free(list);
	list = nsf_sorted(b->g, NULL, &n);
	for (i = 0; i < n; i++) {
		ns = list[i];
		if (ns->unresolved)
			continue;
		m = match(a->g, ns);
		if (!b->sel[ns->index] && !(m && a->sel[m->index]))
			continue;
		if (m == NULL)
			add_event(ev, &nev, &cap, NSF_EV_APPEARED, b->g, ns);
		else if (nsf_ns_hidden(m) != nsf_ns_hidden(ns))
			add_event(ev, &nev, &cap, nsf_ns_hidden(ns) ?
			    NSF_EV_HIDDEN : NSF_EV_UNHIDDEN, b->g, ns);
		else if (holders_changed(m, ns))
			add_event(ev, &nev, &cap, NSF_EV_HOLDERS, b->g, ns);
	}
	free(list);
	return nev;
}

static void
details(struct nsf_graph *g, const struct nsf_scanopts *s, pid_t pid)
{
	struct nsf_proc *p;

	if (pid > 0 && (p = graph_find_proc(g, pid)) != NULL)
		src_proc_details(g, p, s);
}

/* Command and user only of what an event shows, not of every namespace. */
static void
fetch_details(const struct nsf_watchopts *o, struct nsf_event *ev, size_t n)
{
	struct nsf_ns *ns;
	size_t i, k;

	for (i = 0; i < n; i++) {
		ns = ev[i].ns;
		if (ev[i].kind == NSF_EV_VANISHED)
			continue;	/* its processes are gone */
		if (ns->proc)
			src_proc_details(ev[i].g, ns->proc, o->s);
		details(ev[i].g, o->s, ns->thread_pid);
		details(ev[i].g, o->s, ns->children_pid);
		for (k = 0; k < ns->nall; k++)
			details(ev[i].g, o->s, ns->all[k].pid);
	}
}

static size_t
count_sel(const struct scan *sc)
{
	size_t i, n = 0;

	for (i = 0; i < sc->g->nns; i++)
		n += sc->sel[i];
	return n;
}

/* Output failed: a reader that went away (| head) is a clean end. */
static int
write_failed(void)
{
	int err = errno;

	if (err == EPIPE)
		return 0;
	fprintf(stderr, "nsfind: cannot write output: %s\n",
	    strerror(err ? err : EIO));
	return 1;
}

/*
 * Sleep until the next full rescan is due (an interval after the last
 * one started), or earlier when the kernel says something changed.  An
 * early rescan waits a little for the change to settle, and never comes
 * sooner than a quarter interval or four scan times after the last one
 * ended: a busy host (mounts all the time) costs at most four scans an
 * interval and a fifth of a CPU.
 */
static bool
sleep_until_due(struct nsf_wake *w, double start, double took,
    unsigned interval, bool early)
{
	double deadline = start + interval, until, now, early_at = 0;
	double gap = dmax(interval / 4.0, 4 * took);
	enum nsf_wakeup r;

	if (early)
		early_at = dmax(mono() + 0.05, start + took + gap);
	for (;;) {
		now = mono();
		until = early ? dmin(early_at, deadline) : deadline;
		if (now >= until)
			return true;
		r = wake_wait(w, (int)((until - now) * 1000) + 1);
		if (r == NSF_WAKE_STOP)
			return false;
		if (r == NSF_WAKE_EARLY && !early) {
			early = true;
			early_at = dmax(mono() + 0.05, start + took + gap);
		}
	}
}

int
nsf_watch(const struct nsf_watchopts *o)
{
	struct scan prev, cur;
	struct nsf_wake *w;
	struct nsf_event *ev;
	double start, took;
	size_t nev;
	bool first = true, go = true;
	int rc = 0, gone;

	memset(&prev, 0, sizeof(prev));
	w = wake_new();
	while (go) {
		start = mono();
		wake_unblock(w);
		do_scan(o, &cur);
		wake_block(w);
		took = mono() - start;
		if (first) {
			rc = view_watch_start(o->v, took, o->interval,
			    count_sel(&cur), time(NULL), stdout);
		} else {
			nev = diff(&prev, &cur, &ev);
			fetch_details(o, ev, nev);
			rc = nev ? view_watch_events(o->v, ev, nev, time(NULL),
			    stdout) : 0;
			free(ev);
		}
		view_watch_notes(prev.g, cur.g, stderr);
		scan_free(&prev);
		prev = cur;
		first = false;
		if (rc != 0 || fflush(stdout) != 0 || ferror(stdout)) {
			rc = write_failed();
			break;
		}
		gone = wake_arm(w, prev.g, prev.rel);
		go = sleep_until_due(w, start, took, o->interval, gone > 0);
		wake_disarm(w);
	}
	scan_free(&prev);
	wake_free(w);
	return rc;
}
