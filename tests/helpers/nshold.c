/*
 * nshold - keep a namespace alive with no process in it, for the
 * scenario tests of hidden namespaces (tests/scenario/t_hidden_*.sh).
 *
 *   nshold fd TYPE...      per TYPE (net uts ipc user mnt cgroup time pid)
 *                          a new namespace held only by an fd of ours
 *   nshold socket [user]   a new netns held only by a socket of ours; with
 *                          "user" the netns is made in a new user ns too,
 *                          which is then held only as its owner
 *   nshold tun IFNAME      a new netns held only by an open tun device
 *   nshold mnt CMD         a new private mount ns in which `sh -c CMD` ran,
 *                          held only by an fd of ours
 *   nshold nsid PATH       print the nsid the current netns gives the netns
 *                          at PATH (-1: none) and exit
 *
 * Each namespace is made by a forked child, which sends back the fd (the
 * socket, the tun device) over SCM_RIGHTS and exits, so that the only
 * reference left is that one fd here.  Then one line per namespace,
 * "TYPE INODE FD [IFNAME]" ("-" for no fd), a last line "ready", and
 * nshold sleeps until killed.  Errors: a message on stderr, exit 1.
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
#ifndef NS_GET_USERNS
#define NS_GET_USERNS	_IO(0xb7, 0x1)
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS	0x894C
#endif
#ifndef TUNGETDEVNETNS
#define TUNGETDEVNETNS	_IO('T', 227)
#endif

static const struct {
	const char	*name;
	int		 flag;
	const char	*entry;		/* what /proc/self/ns names it after unshare */
} types[] = {
	{ "net", CLONE_NEWNET, "net" },
	{ "uts", CLONE_NEWUTS, "uts" },
	{ "ipc", CLONE_NEWIPC, "ipc" },
	{ "user", CLONE_NEWUSER, "user" },
	{ "mnt", CLONE_NEWNS, "mnt" },
	{ "cgroup", CLONE_NEWCGROUP, "cgroup" },
	{ "time", CLONE_NEWTIME, "time_for_children" },
	{ "pid", CLONE_NEWPID, "pid_for_children" },
};

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "nshold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void __attribute__((noreturn))
usage(void)
{
	fputs("usage: nshold fd TYPE... | socket [user] | tun IFNAME | "
	    "mnt CMD | nsid PATH\n", stderr);
	exit(2);
}

static ino_t
ino_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		die("fstat");
	return st.st_ino;
}

static void
send_fd(int sock, int fd)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	char byte = 'x';

	memset(&mh, 0, sizeof(mh));
	memset(&u, 0, sizeof(u));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) == -1)
		die("sendmsg");
}

static int
recv_fd(int sock)
{
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} u;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	char byte;
	int fd = -1;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) <= 0)
		return -1;	/* the child failed and said why */
	c = CMSG_FIRSTHDR(&mh);
	if (c != NULL && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* A fresh mount namespace that no later host mount propagates into. */
static void
new_private_mntns(void)
{
	if (unshare(CLONE_NEWNS) == -1)
		die("unshare(mnt)");
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die("make / private");
}

/* The child's part of fd mode: make the namespace, open it. */
static int
make_ns(int i)
{
	int gate[2], fd;
	pid_t init;
	char path[64];

	if (types[i].flag == CLONE_NEWNS)
		new_private_mntns();
	else if (unshare(types[i].flag) == -1)
		die("unshare");
	/* A pid ns can be opened only once its init exists: make one. */
	init = -1;
	if (types[i].flag == CLONE_NEWPID) {
		if (pipe(gate) == -1)
			die("pipe");
		if ((init = fork()) == -1)
			die("fork");
		if (init == 0) {
			char b;

			close(gate[1]);
			while (read(gate[0], &b, 1) == -1 && errno == EINTR)
				;
			_exit(0);
		}
		close(gate[0]);
	}
	snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i].entry);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		die(path);
	if (init > 0) {
		close(gate[1]);
		waitpid(init, NULL, 0);
	}
	return fd;
}

/* Runs make(arg) in a child and returns the fd it sends back. */
static int
in_child(int (*make)(const char *), const char *arg)
{
	int sv[2], fd, st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		die("socketpair");
	fflush(NULL);
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		fd = make(arg);
		send_fd(sv[1], fd);
		_exit(0);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	close(sv[0]);
	if (waitpid(pid, &st, 0) == -1)
		die("waitpid");
	if (fd < 0) {
		fprintf(stderr, "nshold: the child sent no fd\n");
		exit(1);
	}
	return fd;
}

static int
make_fd(const char *arg)
{
	return make_ns(atoi(arg));
}

static int
make_socket(const char *arg)
{
	int flags = CLONE_NEWNET, s;

	if (arg != NULL)
		flags |= CLONE_NEWUSER;
	if (unshare(flags) == -1)
		die("unshare(net)");
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket");
	return s;
}

static int
make_tun(const char *ifname)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET) == -1)
		die("unshare(net)");
	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) == -1)
		die("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		die("TUNSETIFF");
	return fd;
}

static int
make_mnt(const char *cmd)
{
	pid_t pid;
	int st;

	new_private_mntns();
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		dup2(2, 1);	/* our stdout is for the results */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		die("exec sh");
	}
	if (waitpid(pid, &st, 0) == -1)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "nshold: the command in the mount ns failed\n");
		_exit(1);
	}
	return open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
}

/* The namespace a socket or tun device belongs to, by inode. */
static ino_t
net_of(int fd, unsigned long req, ino_t *userino)
{
	int nfd, ufd;
	ino_t ino;

	if ((nfd = ioctl(fd, req)) == -1)
		die("SIOCGSKNS/TUNGETDEVNETNS");
	ino = ino_of(nfd);
	if (userino != NULL) {
		if ((ufd = ioctl(nfd, NS_GET_USERNS)) == -1)
			die("NS_GET_USERNS");
		*userino = ino_of(ufd);
		close(ufd);
	}
	close(nfd);
	return ino;
}

/* RTM_GETNSID by NETNSA_FD: the id this netns gives the one at path. */
static int
nsid(const char *path)
{
	struct {
		struct nlmsghdr	n;
		struct rtgenmsg	g;
		char		attrs[64];
	} req;
	char buf[4096];
	struct nlmsghdr *h;
	struct rtattr *a;
	int nl, fd, len, alen;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		die(path);
	if ((nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		die("netlink");
	memset(&req, 0, sizeof(req));
	req.n.nlmsg_type = RTM_GETNSID;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.rtgen_family = AF_UNSPEC;
	a = (struct rtattr *)((char *)&req + NLMSG_ALIGN(NLMSG_LENGTH(
	    sizeof(req.g))));
	a->rta_type = NETNSA_FD;
	a->rta_len = RTA_LENGTH(sizeof(uint32_t));
	memcpy(RTA_DATA(a), &fd, sizeof(uint32_t));
	req.n.nlmsg_len = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(req.g))) +
	    RTA_ALIGN(a->rta_len);
	if (send(nl, &req, req.n.nlmsg_len, 0) == -1)
		die("send");
	if ((len = recv(nl, buf, sizeof(buf), 0)) == -1)
		die("recv");
	for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)len);
	    h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			die("RTM_GETNSID");
		}
		if (h->nlmsg_type != RTM_NEWNSID)
			continue;
		alen = h->nlmsg_len - NLMSG_LENGTH(sizeof(struct rtgenmsg));
		for (a = (struct rtattr *)((char *)NLMSG_DATA(h) +
		    NLMSG_ALIGN(sizeof(struct rtgenmsg))); RTA_OK(a, alen);
		    a = RTA_NEXT(a, alen))
			if (a->rta_type == NETNSA_NSID) {
				int32_t id;

				memcpy(&id, RTA_DATA(a), sizeof(id));
				printf("%d\n", id);
				return 0;
			}
	}
	fprintf(stderr, "nshold: no NETNSA_NSID in the answer\n");
	return 1;
}

/* Ready: say so and wait to be killed, holding what we hold. */
static void __attribute__((noreturn))
hold(void)
{
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	char num[16];
	ino_t ino, uino = 0;
	size_t t;
	int i, fd;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "nsid") == 0 && argc == 3)
		return nsid(argv[2]);
	if (strcmp(argv[1], "fd") == 0 && argc >= 3) {
		for (i = 2; i < argc; i++) {
			for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
				if (strcmp(argv[i], types[t].name) == 0)
					break;
			if (t == sizeof(types) / sizeof(types[0]))
				usage();
			snprintf(num, sizeof(num), "%zu", t);
			fd = in_child(make_fd, num);
			printf("%s %ju %d\n", types[t].name,
			    (uintmax_t)ino_of(fd), fd);
		}
		hold();
	}
	if (strcmp(argv[1], "socket") == 0 && (argc == 2 || (argc == 3 &&
	    strcmp(argv[2], "user") == 0))) {
		fd = in_child(make_socket, argc == 3 ? "user" : NULL);
		ino = net_of(fd, SIOCGSKNS, argc == 3 ? &uino : NULL);
		printf("net %ju %d\n", (uintmax_t)ino, fd);
		if (argc == 3)
			printf("user %ju -\n", (uintmax_t)uino);
		hold();
	}
	if (strcmp(argv[1], "tun") == 0 && argc == 3) {
		fd = in_child(make_tun, argv[2]);
		ino = net_of(fd, TUNGETDEVNETNS, NULL);
		printf("net %ju %d %s\n", (uintmax_t)ino, fd, argv[2]);
		hold();
	}
	if (strcmp(argv[1], "mnt") == 0 && argc == 3) {
		fd = in_child(make_mnt, argv[2]);
		printf("mnt %ju %d\n", (uintmax_t)ino_of(fd), fd);
		hold();
	}
	usage();
}
