/* Unit tests for the parsers behind DETAILS (detparse.c) and RTM_NEWADDR. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "details.h"
#include "netlink.h"

/* The kernel pads the columns; several extents; an empty map. */
static void
idmap(void **state)
{
	struct nsf_idext *v;
	size_t n;

	(void)state;
	assert_int_equal(nsf_parse_idmap("         0     100000      65536\n"
	    "     65536       1000          1\n", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].inside, 0);
	assert_int_equal(v[0].outside, 100000);
	assert_int_equal(v[0].count, 65536);
	assert_int_equal(v[1].inside, 65536);
	assert_int_equal(v[1].outside, 1000);
	assert_int_equal(v[1].count, 1);
	free(v);
	assert_int_equal(nsf_parse_idmap("0 0 4294967295\n", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].count, 4294967295u);
	free(v);
	assert_int_equal(nsf_parse_idmap("", &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
}

static void
idmap_malformed(void **state)
{
	struct nsf_idext *v;
	size_t n;

	(void)state;
	assert_int_equal(nsf_parse_idmap("0 100000\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_idmap("0 100000 65536 7\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_idmap("0 4294967296 1\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_idmap("-1 0 1\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_idmap("0 0 1\nx\n", &v, &n), -EINVAL);
}

static void
nspid(void **state)
{
	pid_t *v;
	int n;

	(void)state;
	assert_int_equal(nsf_parse_nspid("Name:\tsleep\nTgid:\t4711\n"
	    "NSpid:\t4711\t12\t1\nNSpgid:\t4711\t12\t1\n", &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 4711);
	assert_int_equal(v[1], 12);
	assert_int_equal(v[2], 1);
	free(v);
	assert_int_equal(nsf_parse_nspid("NSpid:\t9\n", &v, &n), 0);
	assert_int_equal(n, 1);
	free(v);
	assert_int_equal(nsf_parse_nspid("Name:\tx\nPid:\t3\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_nspid("NSpid:\t\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_nspid("NSpid:\t1 x\n", &v, &n), -EINVAL);
	assert_int_equal(nsf_parse_nspid("NSpid:\t99999999999\n", &v, &n), -EINVAL);
}

static void
timens(void **state)
{
	int64_t ms, bs;
	long mn, bn;

	(void)state;
	assert_int_equal(nsf_parse_timens("monotonic        100         0\n"
	    "boottime         -2 500000000\n", &ms, &mn, &bs, &bn), 0);
	assert_int_equal(ms, 100);
	assert_int_equal(mn, 0);
	assert_int_equal(bs, -2);
	assert_int_equal(bn, 500000000);
	/* Kernels that print the clock ids. */
	assert_int_equal(nsf_parse_timens("1 5 0\n7 6 1\n", &ms, &mn, &bs, &bn), 0);
	assert_int_equal(ms, 5);
	assert_int_equal(bs, 6);
	assert_int_equal(bn, 1);
	assert_int_equal(nsf_parse_timens("monotonic 1 0\n", &ms, &mn, &bs, &bn), -EINVAL);
	assert_int_equal(nsf_parse_timens("monotonic 1 0\nboottime 1 1000000000\n",
	    &ms, &mn, &bs, &bn), -EINVAL);
	assert_int_equal(nsf_parse_timens("realtime 1 0\n", &ms, &mn, &bs, &bn), -EINVAL);
}

static void
cgroup_path(void **state)
{
	char *p;

	(void)state;
	assert_int_equal(nsf_parse_cgroup_path("9:name=systemd:/\n8:pids:/a\n"
	    "0::/nsft1/x:y\n", &p), 0);
	assert_string_equal(p, "/nsft1/x:y");
	free(p);
	assert_int_equal(nsf_parse_cgroup_path("4:memory:/m\n3:cpu:/c\n", &p), 0);
	assert_string_equal(p, "/m");
	free(p);
	assert_int_equal(nsf_parse_cgroup_path("garbage\n", &p), -EINVAL);
	assert_int_equal(nsf_parse_cgroup_path("", &p), -EINVAL);
}

static void
cgroup_root(void **state)
{
	char *r;

	(void)state;
	r = nsf_cgroup_root("/a/b/c", "/c");
	assert_string_equal(r, "/a/b");
	free(r);
	r = nsf_cgroup_root("/a/b", "/");
	assert_string_equal(r, "/a/b");
	free(r);
	r = nsf_cgroup_root("/a", "/a");
	assert_string_equal(r, "/");
	free(r);
	/* The task left the namespace's subtree, or the two do not fit. */
	assert_null(nsf_cgroup_root("/x", "/../x"));
	assert_null(nsf_cgroup_root("/a/b", "/c"));
	assert_null(nsf_cgroup_root("/a", "/a/b"));
}

static void
mountinfo_root(void **state)
{
	const char *mi =
	    "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
	    "23 22 0:5 / /dev rw shared:2 - devtmpfs udev rw\n"
	    "40 22 0:40 / / rw - overlay over\\040lay rw,lowerdir=/l\n";
	long n;
	char *src;

	(void)state;
	assert_int_equal(nsf_parse_mountinfo_root(mi, strlen(mi), &n, &src), 0);
	assert_int_equal(n, 3);
	assert_string_equal(src, "over lay");	/* the last mount on / */
	free(src);
	assert_int_equal(nsf_parse_mountinfo_root("", 0, &n, &src), 0);
	assert_int_equal(n, 0);
	assert_null(src);
	assert_int_equal(nsf_parse_mountinfo_root("22 1 254:0 / /\n", 15, &n, &src),
	    -EINVAL);
}

/* An RTM_NEWADDR message, as the kernel would send it. */
static struct nlmsghdr *
put_addr(void *buf, int family, int prefixlen, int index, const char *local,
    const char *address)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	unsigned char a[16];
	size_t len = family == AF_INET ? 4 : 16;

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = index;
	if (address) {
		inet_pton(family, address, a);
		mnl_attr_put(nlh, IFA_ADDRESS, len, a);
	}
	if (local) {
		inet_pton(family, local, a);
		mnl_attr_put(nlh, IFA_LOCAL, len, a);
	}
	return nlh;
}

static void
addr_parse(void **state)
{
	uint32_t buf[256];
	struct nsf_ifaddr a;

	(void)state;
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_INET, 24, 3, "10.1.2.3",
	    "10.1.2.3"), &a), 0);
	assert_int_equal(a.ifindex, 3);
	assert_int_equal(a.family, AF_INET);
	assert_int_equal(a.prefixlen, 24);
	assert_string_equal(a.addr, "10.1.2.3");
	/* Point-to-point: IFA_ADDRESS is the peer, IFA_LOCAL ours. */
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_INET, 32, 4, "10.0.0.1",
	    "10.0.0.2"), &a), 0);
	assert_string_equal(a.addr, "10.0.0.1");
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_INET6, 64, 5, NULL,
	    "fd00::1"), &a), 0);
	assert_string_equal(a.addr, "fd00::1");
	assert_int_equal(a.prefixlen, 64);
}

static void
addr_malformed(void **state)
{
	uint32_t buf[256];
	struct nlmsghdr *nlh;
	struct nsf_ifaddr a;

	(void)state;
	/* No address at all, a prefix longer than the address, another family. */
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_INET, 24, 3, NULL, NULL),
	    &a), -EBADMSG);
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_INET, 33, 3, "10.0.0.1",
	    NULL), &a), -EBADMSG);
	assert_int_equal(nsf_addr_parse(put_addr(buf, AF_PACKET, 0, 3, NULL, NULL),
	    &a), -EAFNOSUPPORT);
	/* An IPv6-sized address in an IPv4 message. */
	nlh = put_addr(buf, AF_INET6, 64, 5, NULL, "fd00::1");
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_family = AF_INET;
	assert_int_equal(nsf_addr_parse(nlh, &a), -EBADMSG);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(nsf_addr_parse(nlh, &a), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idmap),
		cmocka_unit_test(idmap_malformed),
		cmocka_unit_test(nspid),
		cmocka_unit_test(timens),
		cmocka_unit_test(cgroup_path),
		cmocka_unit_test(cgroup_root),
		cmocka_unit_test(mountinfo_root),
		cmocka_unit_test(addr_parse),
		cmocka_unit_test(addr_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
