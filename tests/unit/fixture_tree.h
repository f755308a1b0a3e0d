/*
 * fixture_tree.h - a scratch directory tree per cmocka test, for the unit
 * tests that read engines' state from files (test_container*.c).  Include
 * after <cmocka.h>.  Every function is static: each test binary gets its
 * own copy.
 */
#ifndef NSFIND_FIXTURE_TREE_H
#define NSFIND_FIXTURE_TREE_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
fixture_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* *state: a new directory under /tmp, removed with all it holds after. */
static int
fixture_setup(void **state)
{
	char *dir = strdup("/tmp/nsfind-fixture.XXXXXX");

	if (dir == NULL || mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static int
fixture_teardown(void **state)
{
	char *dir = *state;
	int r;

	r = nftw(dir, fixture_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return r;
}

/* mkdir -p ROOT/REL */
static void
mkdirs(const char *root, const char *rel)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

/* Writes n bytes to ROOT/REL, making its directories. */
static void
put_bytes(const char *root, const char *rel, const void *buf, size_t n)
{
	char path[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s", rel);
	if ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		mkdirs(root, path);
	}
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("fopen %s: %s", path, strerror(errno));
	if (n > 0 && fwrite(buf, 1, n, f) != n)
		fail_msg("fwrite %s", path);
	fclose(f);
}

/* Writes text to ROOT/REL, making its directories. */
static void
put(const char *root, const char *rel, const char *text)
{
	put_bytes(root, rel, text, strlen(text));
}

#endif
