/* views.h - renderings of the graph.  No view reads /proc. */
#ifndef NSFIND_VIEWS_H
#define NSFIND_VIEWS_H

#include <stdbool.h>
#include <stdio.h>

#include "columns.h"
#include "graph.h"

enum nsf_tree { NSF_TREE_NONE, NSF_TREE_OWNER, NSF_TREE_PARENT };

struct nsf_viewopts {
	int		 cols[NSF_NCOLS * 2];
	size_t		 ncols;
	bool		 raw, noheadings, notrunc, nowrap, json;
	enum nsf_tree	 tree;
	bool		*sel;		/* by ns->index: shown or not */
};

/* select.c */
struct nsf_filter {
	unsigned	 types;		/* 1 << type; 0: all */
	pid_t		 pid;		/* 0: any */
	uint64_t	 ino;		/* 0: any */
	bool		 hidden;
	const char	*container;
};
bool		 nsf_container_match(const struct nsf_container *, const char *);
size_t		 nsf_container_sharers(struct nsf_graph *, struct nsf_ns *,
		    const struct nsf_container ***);
bool		*nsf_select(struct nsf_graph *, const struct nsf_filter *);
struct nsf_ns	**nsf_sorted(struct nsf_graph *, const bool *, size_t *);
struct nsf_ns	*nsf_tree_up(struct nsf_ns *, enum nsf_tree);
void		 nsf_tree_down(struct nsf_ns *, enum nsf_tree, struct nsf_ns ***, size_t *);

int	view_table(struct nsf_graph *, const struct nsf_viewopts *, FILE *);
int	view_json(struct nsf_graph *, const struct nsf_viewopts *, FILE *);
int	view_prom(struct nsf_graph *, const struct nsf_viewopts *, FILE *);
int	view_dot(struct nsf_graph *, const struct nsf_viewopts *, FILE *);
int	view_links(struct nsf_graph *, const struct nsf_viewopts *, FILE *);
int	view_procs(struct nsf_graph *, const struct nsf_viewopts *, const struct nsf_filter *, FILE *);
void	view_notes(struct nsf_graph *, FILE *);
void	view_notes_json(struct nsf_graph *, struct json *);

/* view_why.c: what keeps each namespace of a list alive, down to the roots */
void	nsf_why_reach(struct nsf_graph *, struct nsf_ns *, bool *);
int	view_why(struct nsf_graph *, const struct nsf_viewopts *, struct nsf_ns **, size_t, FILE *);

#endif
