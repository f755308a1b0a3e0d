/*
 * ct_bolt.c - read one value out of a bbolt (BoltDB) file, the format
 * podman keeps its state in (libpod/bolt_state.db: pod and container
 * names live only there).
 *
 * Only what a lookup needs: the newer valid meta page, then branch and
 * leaf pages down to the bucket and the key, with inline buckets.  The
 * file is someone else's and may be written while we read it (bbolt
 * writes copy-on-write and flips the meta page last), so every offset
 * and size is checked against the page it is in, the pages against the
 * file, and the walk against a depth limit: a torn or hostile file gives
 * no answer, never a crash or a loop.  The file is opened under the
 * state root like every engine file, read with pread, never locked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ct.h"

#define BOLT_MAGIC	0xED0CDAEDu
#define BOLT_VERSION	2
#define PAGE_HDR	16		/* id, flags, count, overflow */
#define ELEM_SIZE	16		/* branch and leaf elements alike */
#define F_BRANCH	0x01
#define F_LEAF		0x02
#define F_META		0x04
#define BUCKET_LEAF	0x01		/* a leaf element that is a bucket */
#define BUCKET_HDR	16		/* root pgid, sequence */
#define MAX_WALK	32		/* tree depth we follow */
#define MAX_PAGE	(16u << 20)	/* largest page run we read */

struct bolt {
	int		 fd;
	uint32_t	 psz;
	uint64_t	 fsize;
};

/* A page (or an inline bucket's page) in memory. */
struct bpage {
	unsigned char	*buf;		/* owned, or NULL for inline */
	const unsigned char *p;
	size_t		 n;
};

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int
pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		done += (size_t)r;
	}
	return 1;
}

/* Page ID with its overflow pages. */
static int
page_read(struct bolt *b, uint64_t id, struct bpage *pg)
{
	unsigned char hdr[PAGE_HDR];
	uint64_t off, len;

	memset(pg, 0, sizeof(*pg));
	if (id > b->fsize / b->psz)
		return 0;
	off = id * b->psz;
	if (!pread_all(b->fd, hdr, sizeof(hdr), off) || le64(hdr) != id)
		return 0;
	len = ((uint64_t)le32(hdr + 12) + 1) * b->psz;
	if (len > MAX_PAGE || off + len > b->fsize ||
	    (pg->buf = malloc(len)) == NULL)
		return 0;
	if (!pread_all(b->fd, pg->buf, len, off)) {
		free(pg->buf);
		pg->buf = NULL;
		return 0;
	}
	pg->p = pg->buf;
	pg->n = len;
	return 1;
}

/* FNV-1a 64, which bbolt uses to check its meta pages. */
static uint64_t
fnv64a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/*
 * A meta page at OFF: magic, version 2, page size, root bucket, txid,
 * checksum over the meta fields before it.
 */
static int
meta_at(int fd, uint64_t off, uint32_t *psz, uint64_t *root, uint64_t *txid)
{
	unsigned char m[PAGE_HDR + 64];

	if (!pread_all(fd, m, sizeof(m), off) ||
	    !(le16(m + 8) & F_META) || le32(m + 16) != BOLT_MAGIC ||
	    le32(m + 20) != BOLT_VERSION ||
	    fnv64a(m + 16, 56) != le64(m + 72))
		return 0;
	*psz = le32(m + 24);
	*root = le64(m + 32);
	*txid = le64(m + 64);
	return *psz >= 512 && *psz <= 65536 && (*psz & (*psz - 1)) == 0;
}

static int
bolt_open(struct bolt *b, int fd, uint64_t *root)
{
	uint32_t psz0, psz1;
	uint64_t root0, root1, tx0, tx1;
	struct stat st;
	int ok0, ok1;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	b->fd = fd;
	b->fsize = (uint64_t)st.st_size;
	ok0 = meta_at(fd, 0, &psz0, &root0, &tx0);
	/* The second meta is one page in; its size is in the first. */
	ok1 = ok0 && meta_at(fd, psz0, &psz1, &root1, &tx1) && psz1 == psz0;
	if (!ok0)
		return 0;
	b->psz = psz0;
	*root = ok1 && tx1 > tx0 ? root1 : root0;
	return b->fsize >= 2ull * b->psz;
}

/* Element I of a page, checked to lie inside it. */
static const unsigned char *
elem(const struct bpage *pg, size_t i)
{
	size_t at = PAGE_HDR + i * ELEM_SIZE;

	return at + ELEM_SIZE <= pg->n ? pg->p + at : NULL;
}

/* The key (and value) of a leaf or branch element, inside the page. */
static int
elem_kv(const struct bpage *pg, const unsigned char *e, int leaf,
    struct sl *k, struct sl *v)
{
	uint64_t pos, ks, vs, at;

	pos = leaf ? le32(e + 4) : le32(e);
	ks = leaf ? le32(e + 8) : le32(e + 4);
	vs = leaf ? le32(e + 12) : 0;
	at = (uint64_t)(e - pg->p) + pos;
	if (at + ks + vs > pg->n)
		return 0;
	k->p = (const char *)pg->p + at;
	k->n = (size_t)ks;
	if (v != NULL) {
		v->p = k->p + ks;
		v->n = (size_t)vs;
	}
	return 1;
}

static int
key_cmp(struct sl a, const char *key, size_t klen)
{
	size_t n = a.n < klen ? a.n : klen;
	int c = memcmp(a.p, key, n);

	if (c != 0)
		return c;
	return a.n < klen ? -1 : a.n > klen;
}

static void
bpage_free(struct bpage *pg)
{
	free(pg->buf);
	memset(pg, 0, sizeof(*pg));
}

/*
 * KEY in the tree whose root is page ROOT, or the inline page INL when
 * ROOT is 0.  On success *V points into *HOLD (free it) and *FLAGS has
 * the element's flags.
 */
static int
tree_get(struct bolt *b, uint64_t root, struct sl inl, const char *key,
    struct sl *v, uint32_t *flags, struct bpage *hold)
{
	const unsigned char *e;
	struct bpage pg;
	struct sl k;
	uint16_t pf, cnt;
	size_t i, pick;
	int depth;

	for (depth = 0; depth < MAX_WALK; depth++) {
		if (root == 0) {
			memset(&pg, 0, sizeof(pg));
			pg.p = (const unsigned char *)inl.p;
			pg.n = inl.n;
			if (pg.n < PAGE_HDR)
				return 0;
		} else if (!page_read(b, root, &pg))
			return 0;
		pf = le16(pg.p + 8);
		cnt = le16(pg.p + 10);
		if (pf & F_LEAF) {
			for (i = 0; i < cnt && (e = elem(&pg, i)) != NULL; i++) {
				if (!elem_kv(&pg, e, 1, &k, v) ||
				    key_cmp(k, key, strlen(key)) != 0)
					continue;
				*flags = le32(e);
				*hold = pg;
				return 1;
			}
			bpage_free(&pg);
			return 0;
		}
		if (!(pf & F_BRANCH) || root == 0 || cnt == 0) {
			bpage_free(&pg);
			return 0;
		}
		/* The last child whose first key is not above KEY. */
		for (pick = 0, i = 0; i < cnt && (e = elem(&pg, i)) != NULL;
		    i++) {
			if (!elem_kv(&pg, e, 0, &k, NULL))
				break;
			if (key_cmp(k, key, strlen(key)) <= 0)
				pick = i;
		}
		e = elem(&pg, pick);
		root = e != NULL ? le64(e + 8) : 0;
		bpage_free(&pg);
		if (root == 0)
			return 0;
	}
	return 0;
}

/*
 * The value of KEY in the top-level bucket BUCKET of the bbolt file REL
 * under ROOTDIR, as a new string; NULL when anything is missing or wrong.
 */
char *
bolt_get(const char *rootdir, const char *rel, const char *bucket,
    const char *key)
{
	struct bpage bh, vh;
	struct bolt b;
	struct sl v, inl;
	uint64_t root, broot;
	uint32_t flags;
	char *r = NULL;
	int fd;

	if (key == NULL || *key == '\0' ||
	    (fd = open_under(rootdir, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
		return NULL;
	memset(&bh, 0, sizeof(bh));
	memset(&vh, 0, sizeof(vh));
	if (!bolt_open(&b, fd, &root) ||
	    !tree_get(&b, root, sl_none, bucket, &v, &flags, &bh) ||
	    !(flags & BUCKET_LEAF) || v.n < BUCKET_HDR)
		goto out;
	broot = le64((const unsigned char *)v.p);
	inl = sl_mid(v, BUCKET_HDR, 0);
	if (!tree_get(&b, broot, inl, key, &v, &flags, &vh) ||
	    (flags & BUCKET_LEAF) || v.n == 0 || v.n > MAX_NAME)
		goto out;
	r = sl_dup(v);
out:
	bpage_free(&vh);
	bpage_free(&bh);
	close(fd);
	return r;
}
