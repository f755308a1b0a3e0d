/*
 * test_container_engines.c - what the real-engine support reads: podman's
 * bbolt state (pod and container names), runc's and crun's state dirs,
 * firejail's names, bubblewrap's command line, the JSON limits, the
 * labels and --container matching; and a fuzz loop over every parser
 * (bbolt, JSON, cgroup, command line), meant to run under ASan
 * (make sanitize) or valgrind.
 */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "container.h"
#include "fixture_tree.h"
#include "views.h"

#define ID1	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define PODID	"aaaabbbbccccddddaaaabbbbccccddddaaaabbbbccccddddaaaabbbbccccdddd"
#define BOLT	"var/lib/containers/storage/libpod/bolt_state.db"
#define PSZ	4096
#define NPAGES	8
#define ARGV(s)	(s), (sizeof(s) - 1)

/*
 * Fixture trees: fixture_tree.h.  A bbolt file, written the way bbolt lays it out: two meta pages, a
 * root bucket leaf, the "id-registry" bucket either inline in it or as a
 * branch page over two leaves.
 */

static void
p16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
p32(unsigned char *p, uint32_t v)
{
	p16(p, v & 0xffff);
	p16(p + 2, v >> 16);
}

static void
p64(unsigned char *p, uint64_t v)
{
	p32(p, v & 0xffffffffu);
	p32(p + 4, v >> 32);
}

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

static void
meta(unsigned char *pg, uint64_t id, uint64_t root, uint64_t txid)
{
	p64(pg, id);
	p16(pg + 8, 0x04);
	p32(pg + 16, 0xED0CDAEDu);
	p32(pg + 20, 2);
	p32(pg + 24, PSZ);
	p64(pg + 32, root);
	p64(pg + 48, 3);		/* freelist */
	p64(pg + 56, NPAGES);
	p64(pg + 64, txid);
	p64(pg + 72, fnv64a(pg + 16, 56));
}

struct kv {
	const char	*k;
	const void	*v;
	size_t		 vn;
	uint32_t	 flags;
};

/* A leaf page at PG (id ID), elements then keys and values. */
static size_t
leaf(unsigned char *pg, uint64_t id, const struct kv *kv, int n)
{
	size_t data = 16 + (size_t)n * 16, at;
	int i;

	p64(pg, id);
	p16(pg + 8, 0x02);
	p16(pg + 10, (uint16_t)n);
	for (i = 0; i < n; i++) {
		at = 16 + (size_t)i * 16;
		p32(pg + at, kv[i].flags);
		p32(pg + at + 4, (uint32_t)(data - at));
		p32(pg + at + 8, (uint32_t)strlen(kv[i].k));
		p32(pg + at + 12, (uint32_t)kv[i].vn);
		memcpy(pg + data, kv[i].k, strlen(kv[i].k));
		data += strlen(kv[i].k);
		memcpy(pg + data, kv[i].v, kv[i].vn);
		data += kv[i].vn;
	}
	return data;
}

static void
branch(unsigned char *pg, uint64_t id, const char **keys, const uint64_t *kids,
    int n)
{
	size_t data = 16 + (size_t)n * 16, at;
	int i;

	p64(pg, id);
	p16(pg + 8, 0x01);
	p16(pg + 10, (uint16_t)n);
	for (i = 0; i < n; i++) {
		at = 16 + (size_t)i * 16;
		p32(pg + at, (uint32_t)(data - at));
		p32(pg + at + 4, (uint32_t)strlen(keys[i]));
		p64(pg + at + 8, kids[i]);
		memcpy(pg + data, keys[i], strlen(keys[i]));
		data += strlen(keys[i]);
	}
}

/* The names podman would register: ID1 is "web", PODID is "p1". */
static unsigned char *
bolt_file(int inline_bucket)
{
	unsigned char *f = calloc(NPAGES, PSZ), ib[1024], bh[16];
	const struct kv names[] = {
		{ ID1, "web", 3, 0 }, { PODID, "p1", 2, 0 },
	};
	const char *keys[] = { ID1, PODID };
	const uint64_t kids[] = { 5, 6 };
	struct kv root[2] = {
		{ "all-pods", bh, 16, 1 }, { "id-registry", NULL, 0, 1 },
	};
	size_t n;

	assert_non_null(f);
	memset(bh, 0, sizeof(bh));
	meta(f, 0, 2, 1);
	meta(f + PSZ, 1, 2, 2);
	if (inline_bucket) {
		memset(ib, 0, sizeof(ib));
		n = 16 + leaf(ib + 16, 0, names, 2);
		root[1].v = ib;
		root[1].vn = n;
	} else {
		p64(bh, 4);
		root[1].v = bh;
		root[1].vn = 16;
		branch(f + 4 * PSZ, 4, keys, kids, 2);
		leaf(f + 5 * PSZ, 5, names, 1);
		leaf(f + 6 * PSZ, 6, names + 1, 1);
	}
	leaf(f + 2 * PSZ, 2, root, 2);
	/* "all-pods" is an empty inline bucket; its header must stay zero. */
	if (!inline_bucket) {
		unsigned char *v = f + 2 * PSZ + 16 + 2 * 16 + strlen("all-pods");

		memset(v, 0, 16);
	}
	return f;
}

static void
podman_pod(const char *root, struct nsf_container *c)
{
	assert_int_equal(nsf_container_from_cgroup(
	    "0::/libpod_parent/" PODID "/libpod-" ID1 "\n", c), 1);
	nsf_container_resolve_name(c, root);
}

static void
expect_names(const char *root, const char *name, const char *pod)
{
	struct nsf_container c;

	podman_pod(root, &c);
	if (name == NULL)
		assert_null(c.name);
	else {
		assert_non_null(c.name);
		assert_string_equal(c.name, name);
	}
	assert_non_null(c.pod);
	assert_string_equal(c.pod, pod);
	assert_non_null(c.pod_uid);
	assert_string_equal(c.pod_uid, PODID);
	nsf_container_free(&c);
}

static void
test_bolt_pod_names(void **state)
{
	const char *root = *state;
	unsigned char *f;
	int inl;

	/* No database: the pod is known by its id. */
	expect_names(root, NULL, PODID);
	for (inl = 0; inl < 2; inl++) {
		f = bolt_file(inl);
		put_bytes(root, BOLT, f, NPAGES * PSZ);
		expect_names(root, "web", "p1");
		free(f);
	}
}

static void
test_bolt_hostile(void **state)
{
	const char *root = *state;
	unsigned char *f = bolt_file(0);
	uint64_t self[2] = { 4, 4 };
	const char *keys[] = { ID1, PODID };

	/* The newer meta torn: the older one still names them. */
	p64(f + PSZ + 72, 0);
	put_bytes(root, BOLT, f, NPAGES * PSZ);
	expect_names(root, "web", "p1");
	/* Both torn: nothing. */
	p64(f + 72, 0);
	put_bytes(root, BOLT, f, NPAGES * PSZ);
	expect_names(root, NULL, PODID);
	free(f);
	/* A branch that points at itself: no answer, no loop. */
	f = bolt_file(0);
	branch(f + 4 * PSZ, 4, keys, self, 2);
	put_bytes(root, BOLT, f, NPAGES * PSZ);
	expect_names(root, NULL, PODID);
	/* Truncated inside a page, and a page that claims overflow pages. */
	free(f);
	f = bolt_file(0);
	put_bytes(root, BOLT, f, 5 * PSZ + 100);
	expect_names(root, NULL, PODID);
	p32(f + 4 * PSZ + 12, 1000000);
	put_bytes(root, BOLT, f, NPAGES * PSZ);
	expect_names(root, NULL, PODID);
	/* Element offsets past the page. */
	free(f);
	f = bolt_file(0);
	p32(f + 6 * PSZ + 16 + 4, PSZ * 3);
	put_bytes(root, BOLT, f, NPAGES * PSZ);
	expect_names(root, "web", PODID);
	/* Not a file at all. */
	free(f);
	put(root, BOLT, "");
	expect_names(root, NULL, PODID);
}

/* Containers in a pod are labelled with the pod's name. */
static void
test_pod_label(void **state)
{
	const char *root = *state;
	unsigned char *f = bolt_file(1);
	struct nsf_container c;
	char *l;

	put_bytes(root, BOLT, f, NPAGES * PSZ);
	free(f);
	podman_pod(root, &c);
	l = nsf_container_label(&c);
	assert_string_equal(l, "web (podman, pod p1)");
	free(l);
	assert_true(nsf_container_match(&c, "p1"));
	assert_true(nsf_container_match(&c, "web"));
	assert_true(nsf_container_match(&c, "aaaabbbbcccc"));	/* pod ps */
	assert_true(nsf_container_match(&c, "0123456789ab"));	/* ps */
	assert_false(nsf_container_match(&c, "aaa"));
	assert_false(nsf_container_match(&c, "p"));
	nsf_container_free(&c);
}

/*
 * runc and crun state, firejail names.
 */

/* The state dirs as they are now (nsfind reads them once per run). */
static int
oci_fresh(const char *root, const int *pids, size_t n, struct nsf_container *c)
{
	nsf_container_oci_forget();
	return nsf_container_from_oci_state(root, pids, n, c);
}

static void
test_oci_state(void **state)
{
	const char *root = *state;
	struct nsf_container c;
	int pids[] = { 4242, 77, 1000 };

	assert_int_equal(oci_fresh(root, pids, 3, &c), 0);
	put(root, "run/runc/other/state.json", "{\"id\":\"other\",\"init_process_pid\":5}");
	put(root, "run/runc/web/state.json", "{\"id\":\"web\",\"init_process_pid\":77}");
	put(root, "run/runc/bad/state.json", "{\"init_process_pid\":");
	assert_int_equal(oci_fresh(root, pids, 3, &c), 1);
	assert_string_equal(c.engine, "runc");
	assert_string_equal(c.id, "web");
	assert_string_equal(c.source, "state");
	nsf_container_free(&c);
	put(root, "run/crun/cr1/status", "1000\n");
	pids[1] = 1;
	assert_int_equal(oci_fresh(root, pids, 3, &c), 1);
	assert_string_equal(c.engine, "crun");
	assert_string_equal(c.id, "cr1");
	nsf_container_free(&c);
	/* A link out of the state root is not followed. */
	{
		char out[4096], lnk[4096];

		put(root, "run/crun/cr1/status", "1\n");
		put(root, "outside", "1000\n");
		mkdirs(root, "run/crun/lnk");
		snprintf(out, sizeof(out), "%s/outside", root);
		snprintf(lnk, sizeof(lnk), "%s/run/crun/lnk/status", root);
		assert_int_equal(symlink(out, lnk), 0);
		pids[0] = 1000;
	}
	assert_int_equal(oci_fresh(root, pids, 1, &c), 0);
}

static void
test_firejail(void **state)
{
	const char *root = *state;
	struct nsf_container c;

	assert_int_equal(nsf_container_from_ancestor("firejail",
	    ARGV("firejail\0--quiet\0--name=box\0sleep\0"), &c), 1);
	assert_string_equal(c.engine, "firejail");
	assert_string_equal(c.name, "box");
	nsf_container_free(&c);
	assert_int_equal(nsf_container_from_ancestor("firejail",
	    ARGV("firejail\0--noprofile\0sleep\0"), &c), 1);
	assert_null(c.name);
	c.id = strdup("4321");
	nsf_container_resolve_name(&c, root);
	assert_null(c.name);
	put(root, "run/firejail/name/4321", "named\n");
	nsf_container_resolve_name(&c, root);
	assert_string_equal(c.name, "named");
	nsf_container_free(&c);
	/* Not printable: not a name. */
	assert_int_equal(nsf_container_from_ancestor("firejail",
	    ARGV("firejail\0--noprofile\0sleep\0"), &c), 1);
	c.id = strdup("4322");
	put(root, "run/firejail/name/4322", "a\033[2Jb");
	nsf_container_resolve_name(&c, root);
	assert_null(c.name);
	nsf_container_free(&c);
}

/* Flatpak's instance directory names the app behind a bwrap sandbox. */
static void
test_flatpak(void **state)
{
	const char *root = *state;
	struct nsf_container c;
	int pids[] = { 4242, 77, 12 };

	assert_int_equal(nsf_container_from_flatpak(root, pids, 3, &c), 0);
	put(root, "run/user/1000/.flatpak/1111/bwrapinfo.json",
	    "{\"child-pid\": 99, \"mnt-namespace\": 4026532000}");
	put(root, "run/user/1000/.flatpak/1111/info",
	    "[Application]\nname=org.nsft.Other\n");
	put(root, "run/user/1000/.flatpak/2222/bwrapinfo.json",
	    "{\"child-pid\": 77}");
	put(root, "run/user/1000/.flatpak/2222/info",
	    "[Instance]\nname=not-this\n[Application]\nname=org.nsft.App\n"
	    "runtime=runtime/x/y/z\n");
	put(root, "run/user/nobody/.flatpak/3333/bwrapinfo.json",
	    "{\"child-pid\": 4242}");
	assert_int_equal(nsf_container_from_flatpak(root, pids, 3, &c), 1);
	assert_string_equal(c.engine, "flatpak");
	assert_string_equal(c.name, "org.nsft.App");
	assert_string_equal(c.id, "2222");
	assert_string_equal(c.source, "state");
	nsf_container_free(&c);
	/* No readable info: the instance, unnamed. */
	put(root, "run/user/1000/.flatpak/2222/info", "[Application]\nname=\033x\n");
	assert_int_equal(nsf_container_from_flatpak(root, pids, 3, &c), 1);
	assert_null(c.name);
	nsf_container_free(&c);
}

static void
expect_bwrap(const char *argv, size_t len, const char *name)
{
	struct nsf_container c;

	assert_int_equal(nsf_container_from_ancestor("bwrap", argv, len, &c), 1);
	assert_string_equal(c.engine, "bubblewrap");
	if (name == NULL)
		assert_null(c.name);
	else
		assert_string_equal(c.name, name);
	nsf_container_free(&c);
	assert_int_equal(nsf_container_from_cmdline(argv, len, &c), 1);
	assert_string_equal(c.engine, "bubblewrap");
	assert_string_equal(c.source, "cmdline");
	nsf_container_free(&c);
}

static void
test_bwrap(void **state)
{
	struct nsf_container c;

	(void)state;
	expect_bwrap(ARGV("bwrap\0--unshare-all\0--ro-bind\0/\0/\0--proc\0"
	    "/proc\0--dev\0/dev\0/usr/bin/sleep\0""600\0"), "sleep");
	expect_bwrap(ARGV("bwrap\0--bind\0/a\0/b\0--setenv\0X\0Y\0--\0app\0"),
	    "app");
	expect_bwrap(ARGV("bwrap\0--args\0""40\0"), NULL);
	expect_bwrap(ARGV("bwrap\0--bind\0"), NULL);
	assert_int_equal(nsf_container_from_cmdline(
	    ARGV("unshare\0--fork\0sleep\0"), &c), 1);
	assert_string_equal(c.engine, "unshare");
	nsf_container_free(&c);
}

/*
 * JSON limits: nesting is refused before jansson sees it.
 */

static void
expect_docker_name(const char *root, const char *json, const char *want)
{
	struct nsf_container c;

	put(root, "var/lib/docker/containers/" ID1 "/config.v2.json", json);
	assert_int_equal(nsf_container_from_cgroup("0::/docker/" ID1 "\n", &c), 1);
	nsf_container_resolve_name(&c, root);
	if (want == NULL)
		assert_null(c.name);
	else {
		assert_non_null(c.name);
		assert_string_equal(c.name, want);
	}
	nsf_container_free(&c);
}

static void
test_json_depth(void **state)
{
	const char *root = *state;
	char deep[512];
	int i, n;

	for (n = 0, i = 0; i < 60; i++)
		deep[n++] = '[';
	for (i = 0; i < 60; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	snprintf(deep + n, sizeof(deep) - n, "%s", "");
	{
		char doc[1024];

		snprintf(doc, sizeof(doc), "{\"x\":%s,\"Name\":\"/ok\"}", deep);
		expect_docker_name(root, doc, "ok");
		for (n = 0, i = 0; i < 100; i++)
			deep[n++] = '[';
		for (i = 0; i < 100; i++)
			deep[n++] = ']';
		deep[n] = '\0';
		snprintf(doc, sizeof(doc), "{\"x\":%s,\"Name\":\"/deep\"}", deep);
		expect_docker_name(root, doc, NULL);
	}
	/* Brackets inside strings do not count. */
	expect_docker_name(root, "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\",\"Name\":\"/s\"}", "s");
	expect_docker_name(root, "{\"Name\":\"/a\\u0000b\"}", NULL);
	expect_docker_name(root, "{\"Name\":5}", NULL);
}

/* The host and the kernel. */
static void
test_host_label(void **state)
{
	struct nsf_container c;
	char *l;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.engine = strdup("host");
	l = nsf_container_label(&c);
	assert_string_equal(l, "host");
	free(l);
	assert_true(nsf_container_match(&c, "host"));
	nsf_container_free(&c);
	c.engine = strdup("containerd");
	c.id = strdup("ctr1");
	c.ctr_namespace = strdup("nsft");
	l = nsf_container_label(&c);
	assert_string_equal(l, "nsft/ctr1 (containerd)");
	free(l);
	assert_true(nsf_container_match(&c, "nsft/ctr1"));
	assert_true(nsf_container_match(&c, "ctr1"));
	assert_false(nsf_container_match(&c, "other/ctr1"));
	assert_false(nsf_container_match(&c, "nsft/"));
	assert_false(nsf_container_match(&c, "host"));
	nsf_container_free(&c);
}

/*
 * Fuzzing: random mutations of valid inputs; the parsers must neither
 * crash nor read out of bounds (ASan, valgrind), whatever they answer.
 */

static unsigned long long fz_state = 0x9e3779b97f4a7c15ull;

static unsigned
fz_rand(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return (unsigned)(fz_state >> 11);
}

static void
mutate(unsigned char *buf, size_t n, int flips)
{
	static const unsigned char magic[] = {
		0, 1, 0xff, 0x7f, 0x80, '"', '\\', '[', '{', '/', ':', '\n'
	};
	int i;

	for (i = 0; i < flips; i++) {
		if (fz_rand() % 2)
			buf[fz_rand() % n] = (unsigned char)fz_rand();
		else
			buf[fz_rand() % n] = magic[fz_rand() % sizeof(magic)];
	}
}

static void
test_fuzz_bolt(void **state)
{
	const char *root = *state;
	unsigned char *base = bolt_file(0), *f = malloc(NPAGES * PSZ);
	struct nsf_container c;
	int i;

	assert_non_null(f);
	for (i = 0; i < 400; i++) {
		memcpy(f, base, NPAGES * PSZ);
		/* Mutate the pages the lookup reads, metas included. */
		mutate(f + (fz_rand() % 7) * PSZ, 200, 1 + (int)(fz_rand() % 8));
		if (i % 3 == 0)
			p64(f + PSZ + 72, fnv64a(f + PSZ + 16, 56));
		put_bytes(root, BOLT, f, (fz_rand() % 4) ? NPAGES * PSZ :
		    fz_rand() % (NPAGES * PSZ));
		podman_pod(root, &c);
		nsf_container_free(&c);
	}
	free(f);
	free(base);
}

static void
test_fuzz_json(void **state)
{
	static const char doc[] = "{\"ID\":\"x\",\"Name\":\"/web-1\",\"Config\":"
	    "{\"Labels\":{\"a\":\"b\"},\"Cmd\":[\"sleep\",\"1\"]},\"N\":[1,2.5e3,"
	    "true,null,\"\\u00e9\\ud83d\\ude00\"]}";
	static const char stor[] = "[{\"id\":\"" ID1 "\",\"names\":[\"web\"],"
	    "\"metadata\":\"{\\\"a\\\":1}\"}]";
	const char *root = *state;
	char buf[sizeof(doc) + sizeof(stor)];
	struct nsf_container c;
	int i;

	for (i = 0; i < 600; i++) {
		memcpy(buf, doc, sizeof(doc));
		mutate((unsigned char *)buf, sizeof(doc) - 1, 1 + (int)(fz_rand() % 6));
		put_bytes(root, "var/lib/docker/containers/" ID1 "/config.v2.json",
		    buf, sizeof(doc) - 1);
		assert_int_equal(nsf_container_from_cgroup("0::/docker/" ID1 "\n", &c), 1);
		nsf_container_resolve_name(&c, root);
		nsf_container_free(&c);
		memcpy(buf, stor, sizeof(stor));
		mutate((unsigned char *)buf, sizeof(stor) - 1, 1 + (int)(fz_rand() % 6));
		put_bytes(root, "var/lib/containers/storage/overlay-containers/"
		    "containers.json", buf, sizeof(stor) - 1);
		assert_int_equal(nsf_container_from_cgroup(
		    "0::/machine.slice/libpod-" ID1 ".scope\n", &c), 1);
		nsf_container_resolve_name(&c, root);
		nsf_container_free(&c);
	}
}

static void
test_fuzz_text(void **state)
{
	static const char *const cg[] = {
		"0::/libpod_parent/" PODID "/libpod-" ID1 "\n",
		"12:pids:/kubepods.slice/kubepods-pod8f3e2a1b_4c5d_4e6f_8a9b_"
		    "0c1d2e3f4a5b.slice/cri-containerd-" ID1 ".scope\n0::/\n",
		"0::/lxc.payload.web\n1:name=systemd:/machine-x.scope\n",
		"0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		    "snap.a.b-2d4c1a5e-1111-4222-8333-444455556666.scope\n",
	};
	static const char argv[] = "bwrap\0--bind\0/a\0/b\0--\0app\0"
	    "containerd-shim\0-namespace\0k8s.io\0-id\0x\0conmon\0-c\0" ID1;
	char buf[512];
	struct nsf_container c;
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 4000; i++) {
		n = strlen(cg[i % 4]);
		memcpy(buf, cg[i % 4], n + 1);
		mutate((unsigned char *)buf, n, 1 + (int)(fz_rand() % 4));
		nsf_container_from_cgroup(buf, &c);
		nsf_container_free(&c);
		memcpy(buf, argv, sizeof(argv));
		n = fz_rand() % sizeof(argv);
		mutate((unsigned char *)buf, sizeof(argv), 1 + (int)(fz_rand() % 4));
		nsf_container_from_ancestor(i % 2 ? "bwrap" : "conmon", buf, n, &c);
		nsf_container_free(&c);
		nsf_container_from_cmdline(buf, n, &c);
		nsf_container_free(&c);
	}
}

#define FIXTURE(t) cmocka_unit_test_setup_teardown(t, fixture_setup, \
	fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		FIXTURE(test_bolt_pod_names),
		FIXTURE(test_bolt_hostile),
		FIXTURE(test_pod_label),
		FIXTURE(test_oci_state),
		FIXTURE(test_firejail),
		FIXTURE(test_flatpak),
		cmocka_unit_test(test_bwrap),
		FIXTURE(test_json_depth),
		cmocka_unit_test(test_host_label),
		FIXTURE(test_fuzz_bolt),
		FIXTURE(test_fuzz_json),
		cmocka_unit_test(test_fuzz_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
