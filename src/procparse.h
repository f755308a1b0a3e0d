/* procparse.h - pure parsers for what /proc says about a task. */
#ifndef NSFIND_PROCPARSE_H
#define NSFIND_PROCPARSE_H

#include <stdbool.h>
#include <stdint.h>

int	nsf_parse_stat(const char *, char **, int *, bool *);
int	nsf_parse_stat_state(const char *, char *, int *, long *);
int	nsf_parse_uring_files(const char *,
	    void (*)(int, int, uint64_t, void *), void *);

#endif
