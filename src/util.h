/* util.h - allocation, file reading and a growable string buffer. */
#ifndef NSFIND_UTIL_H
#define NSFIND_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/* Set by main from the locale: arrows and chevrons, or ASCII stand-ins. */
extern const char *nsf_arrow, *nsf_chevron;

#define NSF_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
long long nsf_now_ms(void);	/* CLOCK_MONOTONIC, ms */
void	 nsf_die(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Grow *arr (of *cap elements of size sz) so that index n fits. */
void	 nsf_grow(void *arr, size_t *cap, size_t n, size_t sz);

/* Read a small file relative to dirfd into buf (NUL-terminated). -errno or length. */
ssize_t	 nsf_read_at(int dirfd, const char *name, char *buf, size_t size);
/* Read a whole file of any size; caller frees *out. -errno or length. */
ssize_t	 nsf_slurp_at(int dirfd, const char *name, char **out);

/*
 * A directory read with getdents64 alone: readdir's fdopendir costs an
 * fstat and an fcntl per directory, and nsfind reads three per process.
 */
struct nsf_dir {
	int	 fd;
	long	 pos, end;
	char	 buf[16384] __attribute__((aligned(8)));
};
void	 nsf_dir_init(struct nsf_dir *, int);
const char *nsf_dir_next(struct nsf_dir *);	/* NULL at the end; skips . and .. */

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
#define STRBUF_INIT	{ NULL, 0, 0 }

void	 sb_addn(struct strbuf *, const char *, size_t);
void	 sb_adds(struct strbuf *, const char *);
void	 sb_addc(struct strbuf *, char);
void	 sb_addf(struct strbuf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 sb_vaddf(struct strbuf *, const char *, va_list) __attribute__((format(printf, 2, 0)));
const char *sb_str(struct strbuf *);		/* never NULL */
char	*sb_detach(struct strbuf *);		/* caller frees; buffer reset */
void	 sb_reset(struct strbuf *);
void	 sb_free(struct strbuf *);

#endif
