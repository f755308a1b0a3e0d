/*
 * columns.h - the columns nsfind can show, with lsns's names where the
 * concept is the same, and how each cell of a namespace reads.
 */
#ifndef NSFIND_COLUMNS_H
#define NSFIND_COLUMNS_H

#include <stdbool.h>

#include "graph.h"
#include "json.h"

enum nsf_colid {
	COL_NS, COL_TYPE, COL_PATH, COL_NPROCS, COL_NTHREADS, COL_PID,
	COL_PPID, COL_COMMAND, COL_UID, COL_USER, COL_NETNSID, COL_NSFS,
	COL_PNS, COL_ONS, COL_ID, COL_CREATOR, COL_INITIAL, COL_HIDDEN,
	COL_HOLDERS, COL_NAMES, COL_CONTAINER, COL_INTERFACES, COL_DETAILS,
	NSF_NCOLS
};

enum nsf_coltype { CT_STR, CT_NUM, CT_BOOL, CT_ARRAY };

struct nsf_coldef {
	const char	*name;
	double		 whint;
	int		 flags;		/* SCOLS_FL_* */
	enum nsf_coltype type;
	const char	*help;
};

extern const struct nsf_coldef nsf_cols[NSF_NCOLS];

int	 nsf_col_from_name(const char *, size_t);
char	*nsf_col_key(int);					/* JSON key */
void	 nsf_col_text(struct nsf_graph *, struct nsf_ns *, int, struct strbuf *);
void	 nsf_col_flatten(struct strbuf *, int);	/* a cell on one line */
void	 nsf_col_json(struct nsf_graph *, struct nsf_ns *, int, struct json *);

void	 nsf_holder_text(const struct nsf_holder *, struct strbuf *);
void	 nsf_holder_json(const struct nsf_holder *, struct json *);
void	 nsf_mount_chain(const struct nsf_holder *, struct strbuf *, bool);
const char *nsf_proc_command(const struct nsf_proc *);
void	 nsf_container_json(const struct nsf_container *, const char *, struct json *);


#endif
