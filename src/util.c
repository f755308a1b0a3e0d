/*
 * util.c - the small helpers every file needs.
 *
 * Allocation failure is fatal: nsfind is a short-lived reporter and has no
 * meaningful way to continue without memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "util.h"

const char *nsf_arrow = "->", *nsf_chevron = ">>";

void
nsf_die(const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, out = STRBUF_INIT;
	va_list ap;

	/* What the user typed may hold anything: escaped like every text. */
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	nsf_esc_text(&out, sb_str(&msg));
	fprintf(stderr, "nsfind: %s\n", sb_str(&out));
	sb_free(&msg);
	sb_free(&out);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nsf_die("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		nsf_die("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > (size_t)-1 / sz)
		nsf_die("out of memory");
	p = realloc(p, n * sz > 0 ? n * sz : 1);
	if (p == NULL)
		nsf_die("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
nsf_grow(void *arr, size_t *cap, size_t n, size_t sz)
{
	void **a = arr;
	size_t c = *cap;

	if (n < c)
		return;
	c = c ? c : 8;
	while (c <= n)
		c *= 2;
	*a = xreallocarray(*a, c, sz);
	memset((char *)*a + *cap * sz, 0, (c - *cap) * sz);
	*cap = c;
}

ssize_t
nsf_read_at(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

ssize_t
nsf_slurp_at(int dirfd, const char *name, char **out)
{
	size_t cap = 4096, len = 0;
	char *buf;
	ssize_t n;
	int fd;

	*out = NULL;
	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xreallocarray(buf, cap *= 2, 1);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			free(buf);
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return len;
}

void
nsf_dir_init(struct nsf_dir *d, int fd)
{
	d->fd = fd;
	d->pos = d->end = 0;
}

const char *
nsf_dir_next(struct nsf_dir *d)
{
	struct dirent64 *de;
	ssize_t n;

	for (;;) {
		if (d->pos >= d->end) {
			n = getdents64(d->fd, d->buf, sizeof(d->buf));
			if (n <= 0)
				return NULL;
			d->pos = 0;
			d->end = n;
		}
		de = (struct dirent64 *)(d->buf + d->pos);
		d->pos += de->d_reclen;
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		return de->d_name;
	}
}

static void
sb_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->len + extra + 1 > sb->cap)
		sb->cap *= 2;
	sb->buf = xreallocarray(sb->buf, sb->cap, 1);
}

void
sb_addn(struct strbuf *sb, const char *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_addn(sb, &c, 1);
}

void
sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	sb_reserve(sb, n);
	vsnprintf(sb->buf + sb->len, n + 1, fmt, ap);
	sb->len += n;
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

const char *
sb_str(struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *
sb_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void
sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Milliseconds of CLOCK_MONOTONIC: for deadlines that a clock change cannot move. */
long long
nsf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
