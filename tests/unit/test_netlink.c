/*
 * test_netlink.c - the rtnetlink helper: its parser on messages built
 * here, and its calls on a throwaway world of network namespaces that
 * these tests create and remove (root only; skipped otherwise).
 */
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "kernel.h"
#include "netlink.h"

/* ------------------------------------------------------------------ */
/* Messages built by hand, as the kernel would send them.              */

struct fake_link {
	int		 type;		/* nlmsg_type */
	unsigned short	 ifi_type;	/* ARPHRD_* */
	int		 ifindex;
	unsigned	 flags;
	const char	*name;
	const char	*kind;
	int		 oper;		/* -1: no IFLA_OPERSTATE */
	int		 link;		/* 0: no IFLA_LINK */
	int		 netnsid;	/* -1: no IFLA_LINK_NETNSID */
	int		 master;	/* 0: no IFLA_MASTER */
};

/* A veth in a netns whose peer lives in the netns known here as 3. */
static const struct fake_link veth = {
	RTM_NEWLINK, ARPHRD_ETHER, 7, IFF_UP | IFF_BROADCAST, "veth0", "veth",
	IF_OPER_UP, 9, 3, 0
};

/* Builds one RTM_NEWLINK-like message into buf, which is big enough. */
static struct nlmsghdr *
put_link(void *buf, const struct fake_link *f)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *nest;
	int32_t nsid;

	memset(buf, 0xa5, 1024);	/* junk past the end must not matter */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = f->type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_type = f->ifi_type;
	ifi->ifi_index = f->ifindex;
	ifi->ifi_flags = f->flags;
	if (f->name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, f->name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);		/* ignored */
	if (f->oper >= 0)
		mnl_attr_put_u8(nlh, IFLA_OPERSTATE, f->oper);
	if (f->link != 0)
		mnl_attr_put_u32(nlh, IFLA_LINK, f->link);
	if (f->master != 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, f->master);
	if (f->kind != NULL) {
		nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, f->kind);
		mnl_attr_nest_end(nlh, nest);
	}
	if (f->netnsid >= 0) {
		nsid = f->netnsid;
		mnl_attr_put(nlh, IFLA_LINK_NETNSID, sizeof(nsid), &nsid);
	}
	mnl_attr_put_u32(nlh, 0x7ff0, 1);		/* from a newer kernel */
	return nlh;
}

/* A struct nsf_link full of junk, to see that a failed parse keeps it. */
static void
poison(struct nsf_link *l)
{
	memset(l, 0x5a, sizeof(*l));
}

static int
is_poisoned(const struct nsf_link *l)
{
	struct nsf_link p;

	poison(&p);
	return memcmp(l, &p, sizeof(p)) == 0;
}

static void
parse_veth(void **state)
{
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	poison(&l);
	assert_int_equal(nsf_link_parse(put_link(buf, &veth), &l), 0);
	assert_int_equal(l.ifindex, 7);
	assert_string_equal(l.name, "veth0");
	assert_string_equal(l.kind, "veth");
	assert_int_equal(l.flags, IFF_UP | IFF_BROADCAST);
	assert_string_equal(l.state, "up");
	assert_int_equal(l.link_ifindex, 9);
	assert_int_equal(l.link_netnsid, 3);
	assert_int_equal(l.master, 0);
}

/* A link with only its header gets the documented "none" values. */
static void
parse_missing_attrs(void **state)
{
	struct fake_link f = { RTM_NEWLINK, ARPHRD_ETHER, 5, 0, NULL, NULL,
	    -1, 0, -1, 0 };
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	poison(&l);
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_int_equal(l.ifindex, 5);
	assert_string_equal(l.name, "");
	assert_string_equal(l.kind, "");
	assert_string_equal(l.state, "");
	assert_int_equal(l.link_ifindex, 0);
	assert_int_equal(l.link_netnsid, -1);
	assert_int_equal(l.master, 0);
}

/* Nothing at all after the header: not even the ignored attributes. */
static void
parse_bare_header(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nsf_link l;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 12;
	assert_int_equal(nsf_link_parse(nlh, &l), 0);
	assert_int_equal(l.ifindex, 12);
	assert_int_equal(l.link_netnsid, -1);
}

/* lo has no IFLA_INFO_KIND; the parser names it, and only it. */
static void
parse_loopback(void **state)
{
	struct fake_link f = { RTM_NEWLINK, ARPHRD_LOOPBACK, 1,
	    IFF_UP | IFF_LOOPBACK, "lo", NULL, IF_OPER_UNKNOWN, 0, -1, 0 };
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_string_equal(l.kind, "loopback");
	assert_string_equal(l.state, "unknown");
	f.ifi_type = ARPHRD_ETHER;
	f.flags = IFF_UP;
	f.name = "eth0";
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_string_equal(l.kind, "");
}

static void
parse_master(void **state)
{
	struct fake_link f = veth;
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	f.master = 4;
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_int_equal(l.master, 4);
}

/* Every operstate has a word, and one from a newer kernel its number. */
static void
parse_operstates(void **state)
{
	static const char *const want[] = { "unknown", "notpresent", "down",
	    "lowerlayerdown", "testing", "dormant", "up" };
	struct fake_link f = veth;
	uint32_t buf[256];
	struct nsf_link l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		f.oper = (int)i;
		assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
		assert_string_equal(l.state, want[i]);
	}
	f.oper = 200;
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_string_equal(l.state, "200");
}

/* A long kind is cut; a name that does not fit IFNAMSIZ is refused. */
static void
parse_long_strings(void **state)
{
	struct fake_link f = veth;
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	f.kind = "a-kind-much-longer-than-twenty-four";
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_int_equal(strlen(l.kind), sizeof(l.kind) - 1);
	assert_memory_equal(l.kind, f.kind, sizeof(l.kind) - 1);
	f = veth;
	f.name = "fifteen-chars-x";
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), 0);
	assert_string_equal(l.name, "fifteen-chars-x");
	f.name = "sixteen-chars-xy";
	poison(&l);
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), -EBADMSG);
	assert_true(is_poisoned(&l));
}

/* A header shorter than struct ifinfomsg, or than nlmsghdr itself. */
static void
parse_truncated(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct nsf_link l;

	(void)state;
	nlh = put_link(buf, &veth);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg) - 1;
	poison(&l);
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN - 1;
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	nlh->nlmsg_len = 0;
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	assert_true(is_poisoned(&l));
}

/* Cut in the middle of an attribute: its length runs past the message. */
static void
parse_cut_attr(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct nsf_link l;

	(void)state;
	/* into the last attribute's payload */
	nlh = put_link(buf, &veth);
	nlh->nlmsg_len -= 2;
	poison(&l);
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	assert_true(is_poisoned(&l));
	/* into the name, the first attribute */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg) + 6;
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	assert_true(is_poisoned(&l));
	/* Fewer bytes than an attribute header are padding, as the kernel's
	 * nla_parse() takes them; so are stray bytes after the last one. */
	nlh = put_link(buf, &veth);
	nlh->nlmsg_len -= 6;
	assert_int_equal(nsf_link_parse(nlh, &l), 0);
	assert_int_equal(l.link_netnsid, 3);
	nlh = put_link(buf, &veth);
	nlh->nlmsg_len += 3;
	assert_int_equal(nsf_link_parse(nlh, &l), 0);
}

/* Attributes whose own lengths lie. */
static void
parse_garbage(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct nsf_link l;
	int i;

	(void)state;
	/* nla_len smaller than an attribute header */
	nlh = put_link(buf, &veth);
	a = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct ifinfomsg));
	a->nla_len = 2;
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
	/* random bytes after a good header */
	nlh = put_link(buf, &veth);
	srand(1);
	for (i = 0; i < 64; i++) {
		unsigned char *p = mnl_nlmsg_get_payload_offset(nlh,
		    sizeof(struct ifinfomsg));
		size_t j, n = nlh->nlmsg_len - MNL_NLMSG_HDRLEN -
		    sizeof(struct ifinfomsg);

		for (j = 0; j < n; j++)
			p[j] = (unsigned char)rand();
		/* it may parse or not; it must not crash or overread */
		(void)nsf_link_parse(nlh, &l);
	}
}

/* A 32-bit attribute with the wrong size, and a broken nest. */
static void
parse_bad_sizes(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *nest;
	struct nsf_link l;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put_u16(nlh, IFLA_LINK, 9);
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	(void)ifi;
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	((struct nlattr *)mnl_attr_get_payload(nest))->nla_len = 200;
	assert_int_equal(nsf_link_parse(nlh, &l), -EBADMSG);
}

static void
parse_wrong_type(void **state)
{
	struct fake_link f = veth;
	uint32_t buf[256];
	struct nsf_link l;

	(void)state;
	f.type = RTM_NEWADDR;
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), -EINVAL);
	f.type = NLMSG_ERROR;
	assert_int_equal(nsf_link_parse(put_link(buf, &f), &l), -EINVAL);
}

/* ------------------------------------------------------------------ */
/* Live: the caller's own netns, and a world made for the tests.       */

/* Runs a shell command built like printf; its exit status. */
static int
run(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The whole output of a shell command, malloc'ed, "" on failure. */
static char *
capture(const char *fmt, ...)
{
	char cmd[1024], *out = NULL;
	size_t len = 0;
	va_list ap;
	FILE *fp, *mem;
	int c;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((mem = open_memstream(&out, &len)) == NULL)
		abort();
	if ((fp = popen(cmd, "r")) != NULL) {
		while ((c = getc(fp)) != EOF)
			putc(c, mem);
		pclose(fp);
	}
	fclose(mem);
	return out;
}

/* Counts the "nsid N" lines of `ip netns list-id` output. */
static size_t
count_ids(const char *out)
{
	const char *p;
	size_t n = 0;

	for (p = out; (p = strstr(p, "nsid ")) != NULL; p++)
		if (p == out || p[-1] == '\n')
			n++;
	return n;
}

static int
has_id(const char *out, int id)
{
	char want[32];
	const char *p;
	int len;

	len = snprintf(want, sizeof(want), "nsid %d ", id);
	for (p = out; (p = strstr(p, want)) != NULL; p += len)
		if (p == out || p[-1] == '\n')
			return 1;
	return 0;
}

static int
nsids_has(const int *ids, size_t n, int id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static const struct nsf_link *
find_link(const struct nsf_link *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* The caller's own netns has lo, and the kernel gives it no kind. */
static void
live_own_lo(void **state)
{
	struct nsf_nl *nl;
	struct nsf_link *v = NULL;
	const struct nsf_link *lo;
	size_t n = 0;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_non_null(nl = nsf_nl_open(-1));
	assert_int_equal(nsf_nl_links(nl, &v, &n), 0);
	assert_true(n >= 1);
	assert_non_null(lo = find_link(v, n, "lo"));
	assert_string_equal(lo->kind, "loopback");
	assert_true(lo->flags & IFF_LOOPBACK);
	assert_true(lo->ifindex > 0);
	assert_true(lo->state[0] != '\0');
	free(v);
	nsf_nl_close(nl);
}

/* What refuses to open, without asking anything of anyone. */
static void
live_open_errors(void **state)
{
	int fd;

	(void)state;
	errno = 0;
	assert_null(nsf_nl_open(1000000));
	assert_int_equal(errno, EBADF);
	assert_true((fd = open("/proc/self/ns/uts", O_RDONLY)) >= 0);
	errno = 0;
	assert_null(nsf_nl_open(fd));
	/* setns() refuses a netns type mismatch, or non-root: EPERM */
	assert_true(errno == EINVAL || errno == EPERM);
	close(fd);
}

/*
 * The world: netns A and B joined by a veth (a in A, b in B), and C,
 * alone.  All names carry our pid, so that runs never collide.
 */
struct world {
	char		 ns[3][32];
	char		 va[16], vb[16];
	int		 fd[3];		/* A, B, C */
	struct nsf_nl	*nl[2];		/* in A, in B */
};

enum { A, B, C };

/* Removes whatever of the world exists: safe on a half-built one. */
static void
world_free(struct world *w)
{
	int i;

	for (i = 0; i < 2; i++)
		nsf_nl_close(w->nl[i]);
	for (i = 0; i < 3; i++) {
		if (w->fd[i] >= 0)
			close(w->fd[i]);
		if (w->ns[i][0] != '\0')
			run("ip netns del %s 2>/dev/null", w->ns[i]);
	}
	free(w);
}

/* Opens a netns by its ip-netns name. */
static int
ns_open(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/*
 * Builds the world; on any failure it says why, removes what it made and
 * leaves *state NULL so that the test skips.
 */
static int
world_setup(void **state)
{
	static const char tag[] = "abc";
	struct world *w;
	int i;

	*state = NULL;
	if (geteuid() != 0)
		return 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	for (i = 0; i < 3; i++)
		w->fd[i] = -1;
	for (i = 0; i < 3; i++) {
		snprintf(w->ns[i], sizeof(w->ns[i]), "nsft-nl-%d-%c",
		    (int)getpid(), tag[i]);
		if (run("ip netns add %s", w->ns[i]) != 0) {
			w->ns[i][0] = '\0';
			goto fail;
		}
		if ((w->fd[i] = ns_open(w->ns[i])) < 0)
			goto fail;
	}
	snprintf(w->va, sizeof(w->va), "nsft-a%d", (int)getpid());
	snprintf(w->vb, sizeof(w->vb), "nsft-b%d", (int)getpid());
	if (run("ip -n %s link add %s type veth peer name %s netns %s",
	    w->ns[A], w->va, w->vb, w->ns[B]) != 0)
		goto fail;
	for (i = 0; i < 2; i++) {
		if ((w->nl[i] = nsf_nl_open(w->fd[i])) == NULL)
			goto fail;
		nsf_nl_watch(w->nl[i], 1);	/* the tests check nsf_nl_assigned() */
	}
	*state = w;
	return 0;
fail:
	fprintf(stderr, "world setup failed (errno %d): skipping\n", errno);
	world_free(w);
	return 0;
}

static int
world_teardown(void **state)
{
	if (*state != NULL)
		world_free(*state);
	*state = NULL;
	return 0;
}

#define WORLD(w)	do {						\
	if (((w) = *state) == NULL)					\
		skip();							\
} while (0)

/* Opening a socket in A leaves the caller, and all its threads, in place. */
static void
world_open_keeps_caller(void **state)
{
	struct world *w;
	struct stat before, after, tbefore, tafter;
	struct nsf_nl *nl;

	WORLD(w);
	assert_int_equal(stat("/proc/self/ns/net", &before), 0);
	assert_int_equal(stat("/proc/thread-self/ns/net", &tbefore), 0);
	assert_non_null(nl = nsf_nl_open(w->fd[A]));
	assert_int_equal(stat("/proc/self/ns/net", &after), 0);
	assert_int_equal(stat("/proc/thread-self/ns/net", &tafter), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(tbefore.st_ino, tafter.st_ino);
	nsf_nl_close(nl);
}

/* A sees its end of the veth, a peer in the netns it knows by an id. */
static void
world_links_a(void **state)
{
	struct world *w;
	struct nsf_link *v = NULL;
	const struct nsf_link *a;
	const int *assigned;
	int *ids = NULL, idb;
	size_t n = 0, nids = 0;

	WORLD(w);
	/* `ip link add ... netns B` had the kernel give B an id in A. */
	assert_int_equal(nsf_nl_nsids(w->nl[A], &ids, &nids), 0);
	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[B], &idb), 0);
	assert_true(idb >= 0);
	assert_int_equal(nsids_has(ids, nids, idb), 1);

	assert_int_equal(nsf_nl_links(w->nl[A], &v, &n), 0);
	assert_int_equal(nsf_nl_assigned(w->nl[A], &assigned), 0);
	assert_non_null(find_link(v, n, "lo"));
	assert_non_null(a = find_link(v, n, w->va));
	assert_string_equal(a->kind, "veth");
	assert_int_equal(a->link_netnsid, idb);
	assert_true(a->link_ifindex > 0);
	assert_int_equal(a->master, 0);
	assert_string_equal(a->state, "down");	/* never set up */
	free(v);
	free(ids);
}

/*
 * Asking for ids never assigns one: the answers agree with `ip netns
 * list-id`, which only reads, and its output stays the same.
 */
static void
world_nsid_reads_only(void **state)
{
	struct world *w;
	char *a0, *b0, *a1, *b1;
	int id, self, fd;

	WORLD(w);
	a0 = capture("ip -n %s netns list-id", w->ns[A]);
	b0 = capture("ip -n %s netns list-id", w->ns[B]);

	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[C], &id), 0);
	assert_int_equal(id, -1);			/* C: no id */
	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[A], &self), 0);
	assert_int_equal(self >= 0, has_id(a0, self));	/* A itself */
	assert_true((fd = open("/proc/self/ns/net", O_RDONLY)) >= 0);
	assert_int_equal(nsf_nl_nsid(w->nl[A], fd, &id), 0);
	assert_int_equal(id, -1);			/* our own netns */
	close(fd);
	assert_int_equal(nsf_nl_nsid(w->nl[B], w->fd[A], &id), 0);
	assert_int_equal(id >= 0, has_id(b0, id));
	assert_int_equal(nsf_nl_nsid(w->nl[B], w->fd[C], &id), 0);
	assert_int_equal(id, -1);

	a1 = capture("ip -n %s netns list-id", w->ns[A]);
	b1 = capture("ip -n %s netns list-id", w->ns[B]);
	assert_string_equal(a0, a1);
	assert_string_equal(b0, b1);
	free(a0);
	free(b0);
	free(a1);
	free(b1);
}

/* What nsf_nl_nsid() refuses, and what the kernel says to it. */
static void
world_nsid_errors(void **state)
{
	struct world *w;
	int id = 42, fd;

	WORLD(w);
	assert_int_equal(nsf_nl_nsid(w->nl[A], -1, &id), -EBADF);
	assert_int_equal(nsf_nl_nsid(w->nl[A], 1000000, &id), -EBADF);
	assert_true((fd = open("/dev/null", O_RDONLY)) >= 0);
	assert_int_equal(nsf_nl_nsid(w->nl[A], fd, &id), -EINVAL);
	close(fd);
	assert_true((fd = open("/proc/self/ns/uts", O_RDONLY)) >= 0);
	assert_int_equal(nsf_nl_nsid(w->nl[A], fd, &id), -EINVAL);
	close(fd);
	assert_int_equal(id, 42);			/* untouched */
	/* the socket is still in step after the errors */
	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[C], &id), 0);
	assert_int_equal(id, -1);
}

/*
 * Checks nsf_nl_assigned() against what `ip netns list-id` saw before
 * (was) and after (now): exactly the new ids, none other.
 */
static void
check_assigned(struct nsf_nl *nl, const char *was, const char *now)
{
	const int *v;
	size_t n, i;

	n = nsf_nl_assigned(nl, &v);
	assert_int_equal(count_ids(now), count_ids(was) + n);
	for (i = 0; i < n; i++) {
		assert_false(has_id(was, v[i]));
		assert_true(has_id(now, v[i]));
	}
}

/*
 * A lists B's links by B's id.  The peer's IFLA_LINK_NETNSID must name A
 * in A's own ids; the kernel assigns A an id for itself if it has none,
 * and nsf_nl_assigned() must say so.
 */
static void
world_links_by_nsid(void **state)
{
	struct world *w;
	struct nsf_link *va = NULL, *vb = NULL;
	const struct nsf_link *a, *b;
	size_t na = 0, nb = 0;
	char *was, *now;
	int idb, self;

	WORLD(w);
	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[B], &idb), 0);
	assert_true(idb >= 0);
	assert_int_equal(nsf_nl_links(w->nl[A], &va, &na), 0);
	assert_non_null(a = find_link(va, na, w->va));

	was = capture("ip -n %s netns list-id", w->ns[A]);
	assert_int_equal(nsf_nl_links_by_nsid(w->nl[A], idb, &vb, &nb), 0);
	now = capture("ip -n %s netns list-id", w->ns[A]);
	check_assigned(w->nl[A], was, now);

	assert_null(find_link(vb, nb, w->va));
	assert_non_null(find_link(vb, nb, "lo"));
	assert_non_null(b = find_link(vb, nb, w->vb));
	assert_string_equal(b->kind, "veth");
	assert_int_equal(b->link_ifindex, a->ifindex);
	assert_int_equal(a->link_ifindex, b->ifindex);
	assert_int_equal(nsf_nl_nsid(w->nl[A], w->fd[A], &self), 0);
	assert_int_equal(b->link_netnsid, self);
	if (self >= 0 && !has_id(was, self))
		fprintf(stderr, "note: listing B from A made the kernel "
		    "give A the id %d for itself\n", self);
	free(va);
	free(vb);
	free(was);
	free(now);
}

/*
 * B lists its own links.  B had no say when its veth came in from A; if
 * it has no id for A, the dump makes the kernel assign one.
 */
static void
world_links_b_assigns(void **state)
{
	struct world *w;
	struct nsf_link *v = NULL;
	const struct nsf_link *b;
	size_t n = 0;
	char *was, *now;
	int ida0, ida1;

	WORLD(w);
	assert_int_equal(nsf_nl_nsid(w->nl[B], w->fd[A], &ida0), 0);
	was = capture("ip -n %s netns list-id", w->ns[B]);
	assert_int_equal(nsf_nl_links(w->nl[B], &v, &n), 0);
	now = capture("ip -n %s netns list-id", w->ns[B]);
	check_assigned(w->nl[B], was, now);

	assert_non_null(b = find_link(v, n, w->vb));
	assert_int_equal(nsf_nl_nsid(w->nl[B], w->fd[A], &ida1), 0);
	assert_int_equal(b->link_netnsid, ida1);
	if (ida0 < 0 && ida1 >= 0)
		fprintf(stderr, "note: B's own link dump made the kernel "
		    "give B the id %d for A\n", ida1);
	free(v);
	free(was);
	free(now);
}

/*
 * An id nobody assigned: the kernel fails the dump in NLMSG_DONE, which
 * must read as an error, not as an empty netns; the socket stays usable.
 */
static void
world_unknown_nsid(void **state)
{
	struct world *w;
	struct nsf_link *v = NULL;
	size_t n = 0;

	WORLD(w);
	assert_int_equal(nsf_nl_links_by_nsid(w->nl[A], 4242, &v, &n),
	    -EINVAL);
	assert_null(v);
	assert_int_equal(nsf_nl_links_by_nsid(w->nl[A], -1, &v, &n), -EINVAL);
	assert_int_equal(nsf_nl_links(w->nl[A], &v, &n), 0);
	assert_non_null(find_link(v, n, w->va));
	free(v);
}

#define MANY	120

/* Enough links in C that the dump comes in many parts. */
static void
world_many_links(void **state)
{
	struct world *w;
	struct nsf_nl *nl;
	struct nsf_link *v = NULL;
	char path[64], name[16];
	size_t n = 0;
	FILE *fp;
	int i, round;

	WORLD(w);
	snprintf(path, sizeof(path), "/tmp/nsft-nl-%d.batch", (int)getpid());
	assert_non_null(fp = fopen(path, "w"));
	for (i = 0; i < MANY; i++)
		fprintf(fp, "link add p%d type veth peer name q%d\n", i, i);
	fclose(fp);
	i = run("ip -n %s -batch %s", w->ns[C], path);
	unlink(path);
	assert_int_equal(i, 0);

	assert_non_null(nl = nsf_nl_open(w->fd[C]));
	for (round = 0; round < 3; round++) {
		assert_int_equal(nsf_nl_links(nl, &v, &n), 0);
		assert_int_equal(n, 1 + 2 * MANY);
		for (i = 0; i < MANY; i++) {
			snprintf(name, sizeof(name), "q%d", i);
			assert_non_null(find_link(v, n, name));
		}
		free(v);
		v = NULL;
	}
	nsf_nl_close(nl);
}

/* The last test: nothing of ours is left on the machine. */
static void
live_nothing_left(void **state)
{
	char *ns, *links, mark[32], va[32], vb[32];

	(void)state;
	if (geteuid() != 0)
		skip();
	/* Only our own names: other tests may run beside this one. */
	snprintf(mark, sizeof(mark), "nsft-nl-%d-", (int)getpid());
	snprintf(va, sizeof(va), "nsft-a%d", (int)getpid());
	snprintf(vb, sizeof(vb), "nsft-b%d", (int)getpid());
	ns = capture("ip netns list");
	links = capture("ip -o link");
	assert_null(strstr(ns, mark));
	assert_null(strstr(links, va));
	assert_null(strstr(links, vb));
	free(ns);
	free(links);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_veth),
		cmocka_unit_test(parse_missing_attrs),
		cmocka_unit_test(parse_bare_header),
		cmocka_unit_test(parse_loopback),
		cmocka_unit_test(parse_master),
		cmocka_unit_test(parse_operstates),
		cmocka_unit_test(parse_long_strings),
		cmocka_unit_test(parse_truncated),
		cmocka_unit_test(parse_cut_attr),
		cmocka_unit_test(parse_garbage),
		cmocka_unit_test(parse_bad_sizes),
		cmocka_unit_test(parse_wrong_type),
		cmocka_unit_test(live_own_lo),
		cmocka_unit_test(live_open_errors),
		cmocka_unit_test_setup_teardown(world_open_keeps_caller,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_links_a,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_nsid_reads_only,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_nsid_errors,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_links_by_nsid,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_links_b_assigns,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_unknown_nsid,
		    world_setup, world_teardown),
		cmocka_unit_test_setup_teardown(world_many_links,
		    world_setup, world_teardown),
		cmocka_unit_test(live_nothing_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
