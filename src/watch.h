/*
 * watch.h - nsfind --watch: rescan, compare with the previous scan, print
 * one line per change.
 *
 * The driver (watch.c) scans into a fresh graph, diffs it with the last
 * one by namespace identity and hands the changes to the events view
 * (view_watch.c).  Between scans it sleeps on what the kernel can say
 * cheaply (watch_wake.c): pidfds of namespace members, mount events, and
 * the signals that end it (which, during a scan, end it at once).  A full rescan runs at least once an interval,
 * whatever the wake-ups say.
 */
#ifndef NSFIND_WATCH_H
#define NSFIND_WATCH_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "graph.h"
#include "sources.h"
#include "views.h"

struct nsf_watchopts {
	const struct nsf_scanopts *s;
	struct nsf_viewopts	*v;		/* cols of -J objects, json */
	const struct nsf_filter	*f;
	bool			 containers;	/* look them up every scan */
	unsigned		 interval;	/* seconds between full rescans */
};

/* watch.c: runs until SIGINT, SIGTERM or a closed stdout; the exit status. */
int	nsf_watch(const struct nsf_watchopts *);

enum nsf_evkind {
	NSF_EV_APPEARED,	/* a namespace nsfind had not seen */
	NSF_EV_VANISHED,	/* gone from the kernel */
	NSF_EV_HIDDEN,		/* no task left, still alive */
	NSF_EV_UNHIDDEN,	/* a task entered it again */
	NSF_EV_HOLDERS,		/* what keeps it alive changed */
};

struct nsf_event {
	enum nsf_evkind	 kind;
	struct nsf_graph *g;		/* the graph ns is in */
	struct nsf_ns	*ns;		/* as of the newest scan it is in */
};

/* view_watch.c: the first line, the events, and notes not said before. */
const char *nsf_evkind_name(enum nsf_evkind);
int	view_watch_start(const struct nsf_viewopts *, double, unsigned,
	    size_t, time_t, FILE *);
int	view_watch_events(const struct nsf_viewopts *, const struct nsf_event *,
	    size_t, time_t, FILE *);
void	view_watch_notes(struct nsf_graph *, struct nsf_graph *, FILE *);

/* view_json.c: one namespace object as -J writes it, under key. */
void	view_json_ns(struct nsf_graph *, const struct nsf_viewopts *,
	    struct nsf_ns *, const char *, struct json *);

/* watch_wake.c: sleep until a deadline, or until something happened. */
enum nsf_wakeup { NSF_WAKE_TIMEOUT, NSF_WAKE_EARLY, NSF_WAKE_STOP };
struct nsf_wake;
struct nsf_wake	*wake_new(void);
void	 wake_block(struct nsf_wake *);
void	 wake_unblock(struct nsf_wake *);
int	 wake_arm(struct nsf_wake *, struct nsf_graph *, const bool *);
enum nsf_wakeup wake_wait(struct nsf_wake *, int);
void	 wake_disarm(struct nsf_wake *);
void	 wake_free(struct nsf_wake *);

#endif
