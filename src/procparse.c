/*
 * procparse.c - pure parsers for /proc text, kept apart so that the unit
 * tests can feed them what a hostile or odd process may make the kernel
 * print (a command name with spaces and parentheses, huge slot numbers).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstype.h"
#include "procparse.h"
#include "util.h"

#define PF_KTHREAD	0x00200000

/*
 * "pid (comm) S ppid pgrp session tty tpgid flags ...": comm may hold
 * spaces and parentheses, so it runs to the last ')'.  Sets *comm
 * (malloc'd), *ppid (-1 when absent) and *kthread.  0, or -1 when buf is
 * not of that form.
 */
int
nsf_parse_stat(const char *buf, char **comm, int *ppid, bool *kthread)
{
	const char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	unsigned long flags = 0;
	char state;
	int n;

	*comm = NULL;
	*ppid = -1;
	*kthread = false;
	if (l == NULL || r == NULL || r < l)
		return -1;
	*comm = xstrndup(l + 1, r - l - 1);
	n = sscanf(r + 1, " %c %d %*d %*d %*d %*d %lu", &state, ppid, &flags);
	if (n < 2)
		*ppid = -1;
	*kthread = n == 3 && (flags & PF_KTHREAD) != 0;
	return 0;
}

/*
 * State, parent and number of threads from /proc/PID/stat: fields 3, 4
 * and 20, after the comm.  0, or -1 when buf is not of that form.
 */
int
nsf_parse_stat_state(const char *buf, char *state, int *ppid, long *nthreads)
{
	const char *r = strrchr(buf, ')');

	if (r == NULL || strchr(buf, '(') == NULL)
		return -1;
	if (sscanf(r + 1, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
	    "%*d %*d %*d %*d %ld", state, ppid, nthreads) != 3)
		return -1;
	return 0;
}

/* "  12: net:[4026532246]" or "12345: ..." (the kernel pads to 5). */
static int
uring_entry(const char *line, int *slot, const char **file)
{
	char *end;
	long v;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!isdigit((unsigned char)*line))
		return -1;
	v = strtol(line, &end, 10);
	if (*end != ':' || v < 0 || v > 0x7fffffff)
		return -1;
	*slot = (int)v;
	*file = end + 1 + strspn(end + 1, " \t");
	return 0;
}

/*
 * The files an io_uring keeps registered, from its fdinfo: the lines
 * after "UserFiles:" up to the next "Key:" line.  fn is called for each
 * nsfs file (slot, type, inode).  Returns how many.
 */
int
nsf_parse_uring_files(const char *text, void (*fn)(int, int, uint64_t, void *),
    void *arg)
{
	const char *line, *nl, *file;
	char buf[128];
	uint64_t ino;
	int slot, type, n = 0;
	bool in = false;
	size_t len;

	for (line = text; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (strncmp(buf, "UserFiles:", 10) == 0) {
			in = true;
			continue;
		}
		if (!in)
			continue;
		if (uring_entry(buf, &slot, &file) < 0) {
			in = false;	/* the next section */
			continue;
		}
		if (nsf_parse_nslink(file, &type, &ino) == 0) {
			fn(slot, type, ino, arg);
			n++;
		}
	}
	return n;
}
