/*
 * ct_slice.c - bounded slices of hostile text and the checks that ids
 * and names must pass before nsfind keeps them.
 *
 * Everything here reads text that a container, an engine or a user can
 * shape: cgroup paths, command lines, state files.  So every parser
 * works on bounded slices, checks ids strictly and prefers saying nothing
 * over saying something wrong.
 */
#include <stdlib.h>
#include <string.h>

#include "ct.h"

/* Wraps a C string, NULL included, so callers need no special case. */
struct sl
sl_of(const char *s)
{
	struct sl r = { s, s ? strlen(s) : 0 };

	return r;
}

/* The middle of S; the caller checked the lengths.  NULL stays NULL. */
struct sl
sl_mid(struct sl s, size_t head, size_t tail)
{
	struct sl r = { s.p != NULL ? s.p + head : NULL, s.n - head - tail };

	return r;
}

int
sl_eq(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

int
sl_prefix(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

int
sl_suffix(struct sl s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/*
 * Whether S is PRE + something + SUF, with the two not overlapping
 * ("snap.scope" is not "snap." + ".scope"); *IN gets the something.
 */
int
sl_inner(struct sl s, const char *pre, const char *suf, struct sl *in)
{
	size_t np = strlen(pre), ns = strlen(suf);

	if (s.n < np + ns || !sl_prefix(s, pre) || !sl_suffix(s, suf))
		return 0;
	*in = sl_mid(s, np, ns);
	return 1;
}

/* The last path component, so "/var/lib/machines/web/" gives "web". */
struct sl
sl_base(struct sl s)
{
	size_t i;

	while (s.n > 1 && s.p[s.n - 1] == '/')
		s.n--;
	for (i = s.n; i > 0 && s.p[i - 1] != '/'; i--)
		;
	return sl_mid(s, i, 0);
}

/*
 * Splits S at SEP into at most MAX fields; returns MAX + 1 when there are
 * more, so a caller that wants exactly N fields can say so.
 */
size_t
sl_split(struct sl s, char sep, struct sl *f, size_t max)
{
	size_t i, start = 0, nf = 0;

	for (i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != sep)
			continue;
		if (nf == max)
			return max + 1;
		f[nf++] = sl_mid(s, start, s.n - i);
		start = i + 1;
	}
	return nf;
}

char *
sl_dup(struct sl s)
{
	return strndup(s.p ? s.p : "", s.n);
}

/* Engines write ids in lower-case hex; anything else is not theirs. */
int
is_lhex(int ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

int
is_hexn(struct sl s, size_t n)
{
	size_t i;

	if (s.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_lhex((unsigned char)s.p[i]))
			return 0;
	return 1;
}

int
is_id64(struct sl s)
{
	return is_hexn(s, ID_LEN);
}

/*
 * A Kubernetes pod uid: 8-4-4-4-12 hex joined by '-', or by '_' inside
 * systemd slice names where '-' means nesting.  Static pods have 32 hex.
 */
int
is_pod_uid(struct sl s)
{
	size_t i;
	char sep;

	if (is_hexn(s, 32))
		return 1;
	if (s.n != 36 || (s.p[8] != '-' && s.p[8] != '_'))
		return 0;
	sep = s.p[8];
	for (i = 0; i < s.n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s.p[i] != sep)
				return 0;
		} else if (!is_lhex((unsigned char)s.p[i]))
			return 0;
	}
	return 1;
}

/* The uuid snapd appends to its scopes, always with dashes. */
int
is_uuid(struct sl s)
{
	return s.n == 36 && s.p[8] == '-' && is_pod_uid(s);
}

/*
 * containerd identifiers: alphanumerics joined by single '.', '_' or
 * '-'.  This also keeps "." and ".." out of anything used in a path.
 */
int
is_ident(struct sl s, size_t max)
{
	size_t i;
	int sep = 1;

	if (s.n == 0 || s.n > max)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char ch = s.p[i];

		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z'))
			sep = 0;
		else if ((ch == '.' || ch == '_' || ch == '-') && !sep)
			sep = 1;
		else
			return 0;
	}
	return !sep;
}

/*
 * Names end up in tables and terminals: refuse empty or overlong ones,
 * control bytes (escape sequences) and '/', which no engine allows.
 */
int
is_sane(struct sl s)
{
	size_t i;

	if (s.n == 0 || s.n > MAX_NAME)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char ch = s.p[i];

		if (ch < 0x20 || ch == 0x7f || ch == '/')
			return 0;
	}
	return 1;
}

int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * systemd writes bytes it cannot keep in a unit name as "\xNN" ("\x2d"
 * for '-').  Undo that, except where the byte would be a control
 * character or a '/': those stay escaped, so output stays printable.
 */
char *
unescape(struct sl s)
{
	char *r, *q;
	size_t i;

	if ((r = q = malloc(s.n + 1)) == NULL)
		return NULL;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\\' && i + 3 < s.n && s.p[i + 1] == 'x' &&
		    hexval(s.p[i + 2]) >= 0 && hexval(s.p[i + 3]) >= 0) {
			int b = hexval(s.p[i + 2]) * 16 + hexval(s.p[i + 3]);

			if (b >= 0x20 && b != 0x7f && b != '/') {
				*q++ = (char)b;
				i += 3;
				continue;
			}
		}
		*q++ = s.p[i];
	}
	*q = '\0';
	return r;
}

/* Pod uids are reported with dashes, whichever way the cgroup wrote them. */
char *
uid_dashes(struct sl s)
{
	char *r, *q;

	if ((r = sl_dup(s)) == NULL)
		return NULL;
	for (q = r; *q != '\0'; q++)
		if (*q == '_')
			*q = '-';
	return r;
}

/* Replaces *DST by a copy of S; on allocation failure *DST stays. */
int
set_str(char **dst, struct sl s)
{
	char *v;

	if ((v = sl_dup(s)) == NULL)
		return 0;
	free(*dst);
	*dst = v;
	return 1;
}

