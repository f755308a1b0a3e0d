/*
 * detparse.c - the procfs files behind DETAILS, parsed: uid_map/gid_map,
 * the NSpid line of status, timens_offsets, cgroup and mountinfo.
 *
 * Their text comes from the kernel but describes what anyone may have set
 * (a mount source, a cgroup name): nothing is trusted to be well formed.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "details.h"
#include "util.h"

/* An unsigned decimal at *p, skipping blanks before it. */
static bool
get_num(const char **p, uint64_t max, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (x > (max - (uint64_t)(*s - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*v = x;
	return true;
}

/* A signed decimal, for time offsets. */
static bool
get_snum(const char **p, int64_t *v)
{
	const char *s = *p;
	uint64_t x;
	bool neg = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!get_num(&s, (uint64_t)INT64_MAX, &x))
		return false;
	*v = neg ? -(int64_t)x : (int64_t)x;
	*p = s;
	return true;
}

static bool
at_eol(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\n' || *s == '\0';
}

static const char *
next_line(const char *s)
{
	const char *e = strchr(s, '\n');

	return e ? e + 1 : s + strlen(s);
}

/* uid_map or gid_map: "inside outside count" per line, at most 340 lines. */
int
nsf_parse_idmap(const char *text, struct nsf_idext **out, size_t *n)
{
	struct nsf_idext *v = NULL, e;
	size_t cap = 0, k = 0;
	uint64_t a, b, c;
	const char *s;

	for (s = text; *s; s = next_line(s)) {
		if (at_eol(s))
			continue;
		if (!get_num(&s, UINT32_MAX, &a) || !get_num(&s, UINT32_MAX, &b) ||
		    !get_num(&s, UINT32_MAX, &c) || !at_eol(s) || k >= 4096) {
			free(v);
			return -EINVAL;
		}
		e.inside = (uint32_t)a;
		e.outside = (uint32_t)b;
		e.count = (uint32_t)c;
		nsf_grow(&v, &cap, k, sizeof(*v));
		v[k++] = e;
	}
	*out = v;
	*n = k;
	return 0;
}

/* The "NSpid:" line of /proc/PID/status: the pid in each pid namespace. */
int
nsf_parse_nspid(const char *status, pid_t **out, int *n)
{
	const char *s = status;
	pid_t *v = NULL;
	size_t cap = 0;
	uint64_t x;
	int k = 0;

	while (*s && strncmp(s, "NSpid:", 6) != 0)
		s = next_line(s);
	if (*s == '\0')
		return -EINVAL;
	s += 6;
	while (!at_eol(s)) {
		if (!get_num(&s, INT_MAX, &x) || k >= 64) {
			free(v);
			return -EINVAL;
		}
		nsf_grow(&v, &cap, (size_t)k, sizeof(*v));
		v[k++] = (pid_t)x;
	}
	if (k == 0)
		return -EINVAL;
	*out = v;
	*n = k;
	return 0;
}

/*
 * timens_offsets: "monotonic SECS NSECS" and "boottime SECS NSECS"; older
 * kernels print the clock ids (1, 7) instead of the names.
 */
int
nsf_parse_timens(const char *text, int64_t *mono_sec, long *mono_nsec,
    int64_t *boot_sec, long *boot_nsec)
{
	const char *s;
	int64_t sec, nsec;
	int seen = 0, which;

	*mono_sec = *boot_sec = 0;
	*mono_nsec = *boot_nsec = 0;
	for (s = text; *s; s = next_line(s)) {
		if (at_eol(s))
			continue;
		while (*s == ' ')
			s++;
		if (strncmp(s, "monotonic", 9) == 0) {
			which = 1;
			s += 9;
		} else if (strncmp(s, "boottime", 8) == 0) {
			which = 2;
			s += 8;
		} else if (strncmp(s, "1 ", 2) == 0) {
			which = 1;
			s += 1;
		} else if (strncmp(s, "7 ", 2) == 0) {
			which = 2;
			s += 1;
		} else
			return -EINVAL;
		if (!get_snum(&s, &sec) || !get_snum(&s, &nsec) || !at_eol(s) ||
		    nsec < 0 || nsec >= 1000000000)
			return -EINVAL;
		if (which == 1) {
			*mono_sec = sec;
			*mono_nsec = (long)nsec;
		} else {
			*boot_sec = sec;
			*boot_nsec = (long)nsec;
		}
		seen |= which;
	}
	return seen == 3 ? 0 : -EINVAL;
}

/*
 * The path of a task's cgroup from /proc/PID/cgroup: the unified
 * hierarchy's ("0::PATH"), or on a v1-only system the first hierarchy's.
 */
int
nsf_parse_cgroup_path(const char *text, char **out)
{
	const char *s, *p, *e, *first = NULL, *first_e = NULL;

	for (s = text; *s; s = next_line(s)) {
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		/* "ID:CONTROLLERS:PATH"; PATH may hold ':' itself. */
		if ((p = memchr(s, ':', e - s)) == NULL ||
		    (p = memchr(p + 1, ':', e - p - 1)) == NULL)
			return -EINVAL;
		p++;
		if (strncmp(s, "0::", 3) == 0) {
			*out = xstrndup(p, e - p);
			return 0;
		}
		if (first == NULL) {
			first = p;
			first_e = e;
		}
	}
	if (first == NULL)
		return -EINVAL;
	*out = xstrndup(first, first_e - first);
	return 0;
}

/*
 * The root of a cgroup namespace, from one task's cgroup as the host sees
 * it (host) and as the namespace sees it (inside, relative to its root):
 * host "/a/b/c" and inside "/c" give "/a/b".  NULL when the two do not
 * fit together (the task left the namespace's subtree: "/../x").
 */
char *
nsf_cgroup_root(const char *host, const char *inside)
{
	size_t hl = strlen(host), il = strlen(inside);

	if (inside[0] != '/' || strstr(inside, "/..") != NULL || host[0] != '/')
		return NULL;
	if (strcmp(inside, "/") == 0)
		return xstrdup(host);
	if (il > hl || strcmp(host + hl - il, inside) != 0)
		return NULL;
	if (hl == il)
		return xstrdup("/");
	return xstrndup(host, hl - il);
}

/* Decode mountinfo's octal escapes (\040 and the like) of n bytes. */
static char *
unoctal(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') << 6 |
			    (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* The n-th space-separated field of [s, e), or NULL. */
static const char *
field(const char *s, const char *e, int n, size_t *len)
{
	const char *f;

	while (n-- > 0) {
		if ((s = memchr(s, ' ', e - s)) == NULL)
			return NULL;
		s++;
	}
	f = memchr(s, ' ', e - s);
	*len = (f ? f : e) - s;
	return s;
}

/*
 * /proc/PID/mountinfo: how many mounts it lists, and the source of the
 * mount on "/" (the last one, if several are stacked there).
 */
int
nsf_parse_mountinfo_root(const char *text, size_t len, long *count,
    char **rootsrc)
{
	const char *s = text, *end = text + len, *e, *mp, *sep, *src;
	size_t mplen, srclen;
	long n = 0;

	*rootsrc = NULL;
	while (s < end) {
		if ((e = memchr(s, '\n', end - s)) == NULL)
			e = end;
		if (e == s) {
			s = e + 1;
			continue;
		}
		n++;
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE SOURCE OPTS" */
		mp = field(s, e, 4, &mplen);
		sep = memmem(s, e - s, " - ", 3);
		if (mp == NULL || sep == NULL) {
			free(*rootsrc);
			*rootsrc = NULL;
			return -EINVAL;
		}
		if (mplen == 1 && mp[0] == '/' &&
		    (src = field(sep + 3, e, 1, &srclen)) != NULL) {
			free(*rootsrc);
			*rootsrc = unoctal(src, srclen);
		}
		s = e + 1;
	}
	*count = n;
	return 0;
}
