/* rawout.h - the raw (-r) table format, from cells already escaped. */
#ifndef NSFIND_RAWOUT_H
#define NSFIND_RAWOUT_H

#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>

int	nsf_raw_print(struct libscols_table *, FILE *, bool);

#endif
