/*
 * netlink.c - links and netns ids through rtnetlink (libmnl).
 *
 * A netlink socket belongs to the netns of the task that creates it, so
 * a socket for another netns is made by a short-lived thread that joins
 * that netns alone; the caller's own namespaces never change.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

/* Last: its guards see macros only, and these headers define enums. */
#include "kernel.h"
#include "netlink.h"

#define NL_BUFSZ	65536	/* a dump part holds at least one whole link */
#define NL_REQSZ	256	/* our requests are a header and two attributes */
#define NL_DUMP_TRIES	4	/* dumps the kernel marks as inconsistent */

struct nsf_nl {
	struct mnl_socket	*sock;
	unsigned		 portid;
	unsigned		 seq;
	int			 dirty;		/* replies may still be queued */
	char			*buf;
	int			 private;	/* nsfind's own netns (NSF_NL_PRIVATE) */
	int			 watch;		/* see nsf_nl_watch() */
	int			*assigned;	/* see nsf_nl_assigned() */
	size_t			 nassigned;
};

/* One request in flight: the data callback and whether the kernel ended it. */
struct req {
	mnl_cb_t	 fn;
	void		*arg;
	int		 ended;
};

typedef int (*attr_fn)(const struct nlattr *, void *);

/*
 * Calls fn on every attribute of p[0..len).  Unlike mnl_attr_parse(), a
 * broken attribute is an error rather than a quiet end of the list.
 */
static int
attrs_walk(const void *p, size_t len, attr_fn fn, void *arg)
{
	const struct nlattr *a = p;
	size_t step;
	int err;

	while (len >= sizeof(*a)) {
		if (!mnl_attr_ok(a, (int)len))
			return -EBADMSG;
		if ((err = fn(a, arg)) != 0)
			return err;
		step = MNL_ALIGN(a->nla_len);
		if (step >= len)
			break;
		len -= step;
		a = (const struct nlattr *)((const char *)a + step);
	}
	return 0;
}

/* Walks the attributes that follow a message's family header. */
static int
msg_walk(const struct nlmsghdr *nlh, size_t hdrlen, attr_fn fn, void *arg)
{
	size_t plen, off;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN)
		return -EBADMSG;
	plen = mnl_nlmsg_get_payload_len(nlh);
	if (plen < hdrlen)
		return -EBADMSG;
	off = MNL_ALIGN(hdrlen);
	if (off >= plen)
		return 0;
	return attrs_walk((const char *)mnl_nlmsg_get_payload(nlh) + off,
	    plen - off, fn, arg);
}

/* Reads a 32-bit attribute; the kernel never sends another size. */
static int
attr_int(const struct nlattr *a, int *v)
{
	int32_t x;

	if (mnl_attr_get_payload_len(a) != sizeof(x))
		return -EBADMSG;
	memcpy(&x, mnl_attr_get_payload(a), sizeof(x));
	*v = x;
	return 0;
}

/*
 * Copies a string attribute.  A name must fit, since a cut name could
 * name another link; a descriptive string (cut != 0) may be shortened.
 */
static int
attr_str(const struct nlattr *a, char *dst, size_t size, int cut)
{
	size_t len;

	len = strnlen(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
	if (len >= size) {
		if (!cut)
			return -EBADMSG;
		len = size - 1;
	}
	memcpy(dst, mnl_attr_get_payload(a), len);
	dst[len] = '\0';
	return 0;
}

/* Gives the operstate a word, or its number if it is newer than us. */
static void
oper_name(int oper, char *buf, size_t size)
{
	static const char *const names[] = {
		[IF_OPER_UNKNOWN] = "unknown",
		[IF_OPER_NOTPRESENT] = "notpresent",
		[IF_OPER_DOWN] = "down",
		[IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
		[IF_OPER_TESTING] = "testing",
		[IF_OPER_DORMANT] = "dormant",
		[IF_OPER_UP] = "up",
	};

	if (oper < 0)
		buf[0] = '\0';
	else if ((size_t)oper < sizeof(names) / sizeof(names[0]))
		snprintf(buf, size, "%s", names[oper]);
	else
		snprintf(buf, size, "%d", oper);
}

/* What parsing one link gathers beyond struct nsf_link. */
struct linkp {
	struct nsf_link	*l;
	int		 oper;		/* IFLA_OPERSTATE, -1 if none */
	int		 tgt;		/* IFLA_TARGET_NETNSID, -1 if none */
};

/* IFLA_LINKINFO holds the kind: the driver's name for the link type. */
static int
on_info_attr(const struct nlattr *a, void *arg)
{
	struct nsf_link *l = arg;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		return attr_str(a, l->kind, sizeof(l->kind), 1);
	return 0;
}

/* Keeps the few link attributes that say where a link leads. */
static int
on_link_attr(const struct nlattr *a, void *arg)
{
	struct linkp *p = arg;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		return attr_str(a, p->l->name, sizeof(p->l->name), 0);
	case IFLA_LINK:
		return attr_int(a, &p->l->link_ifindex);
	case IFLA_MASTER:
		return attr_int(a, &p->l->master);
	case IFLA_LINK_NETNSID:
		return attr_int(a, &p->l->link_netnsid);
	case IFLA_TARGET_NETNSID:
		return attr_int(a, &p->tgt);
	case IFLA_OPERSTATE:
		if (mnl_attr_get_payload_len(a) < 1)
			return -EBADMSG;
		p->oper = mnl_attr_get_u8(a);
		return 0;
	case IFLA_LINKINFO:
		return attrs_walk(mnl_attr_get_payload(a),
		    mnl_attr_get_payload_len(a), on_info_attr, p->l);
	}
	return 0;
}

/*
 * Parses a link and also says which target netns the kernel answered
 * for, so that a dump can tell whether IFLA_TARGET_NETNSID was obeyed.
 */
static int
link_parse(const struct nlmsghdr *nlh, struct nsf_link *out, int *tgt)
{
	const struct ifinfomsg *ifi;
	struct nsf_link l;
	struct linkp p = { &l, -1, -1 };
	int err;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -EINVAL;
	memset(&l, 0, sizeof(l));
	l.link_netnsid = -1;
	if ((err = msg_walk(nlh, sizeof(*ifi), on_link_attr, &p)) != 0)
		return err;
	ifi = mnl_nlmsg_get_payload(nlh);
	l.ifindex = ifi->ifi_index;
	l.flags = ifi->ifi_flags;
	if (l.kind[0] == '\0' && (ifi->ifi_type == ARPHRD_LOOPBACK ||
	    (l.flags & IFF_LOOPBACK)))
		strcpy(l.kind, "loopback");
	oper_name(p.oper, l.state, sizeof(l.state));
	*out = l;
	if (tgt != NULL)
		*tgt = p.tgt;
	return 0;
}

/* The public parser: the same, for tests and for messages got elsewhere. */
int
nsf_link_parse(const struct nlmsghdr *nlh, struct nsf_link *out)
{
	return link_parse(nlh, out, NULL);
}

/* Reads NETNSA_NSID, the one attribute every RTM_NEWNSID carries. */
static int
on_nsid_attr(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == NETNSA_NSID)
		return attr_int(a, arg);
	return 0;
}

/* Parses an RTM_NEWNSID reply into its id. */
static int
nsid_parse(const struct nlmsghdr *nlh, int *nsid)
{
	int id = INT32_MIN, err;

	if ((err = msg_walk(nlh, sizeof(struct rtgenmsg), on_nsid_attr,
	    &id)) != 0)
		return err;
	if (id == INT32_MIN)
		return -EBADMSG;
	*nsid = id;
	return 0;
}

/* Makes room for one more element of an array that doubles; NULL: no room. */
static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap != 0 ? *cap * 2 : 16;
	if ((v = reallocarray(v, ncap, size)) != NULL)
		*cap = ncap;
	return v;
}

/* Sorts ids, so that callers and our own diff can search them. */
static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Opens and binds a route socket in the calling thread's netns. */
static struct mnl_socket *
sock_open(int *err)
{
	struct mnl_socket *s;
	int one = 1;

	if ((s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL) {
		*err = errno;
		return NULL;
	}
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) == -1) {
		*err = errno;
		mnl_socket_close(s);
		return NULL;
	}
	/* Refuse rather than ignore what we ask wrongly; 4.20+, optional. */
	(void)mnl_socket_setsockopt(s, NETLINK_GET_STRICT_CHK, &one,
	    sizeof(one));
	return s;
}

struct opener {
	int			 netns_fd;
	struct mnl_socket	*sock;
	int			 err;
};

/* Runs in the helper thread: only this thread ever joins the netns. */
static void *
opener_run(void *arg)
{
	struct opener *o = arg;

	if (o->netns_fd == NSF_NL_PRIVATE ? unshare(CLONE_NEWNET) == -1 :
	    setns(o->netns_fd, CLONE_NEWNET) == -1)
		o->err = errno;
	else
		o->sock = sock_open(&o->err);
	return NULL;
}

/*
 * Makes the socket inside netns_fd's netns from a thread that starts
 * with every signal blocked, so that no handler runs in the other netns.
 */
static struct mnl_socket *
sock_open_in(int netns_fd, int *err)
{
	struct opener o = { netns_fd, NULL, 0 };
	sigset_t all, old;
	pthread_t t;
	int e;

	sigfillset(&all);
	if ((e = pthread_sigmask(SIG_SETMASK, &all, &old)) != 0) {
		*err = e;
		return NULL;
	}
	e = pthread_create(&t, NULL, opener_run, &o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e == 0)
		e = pthread_join(t, NULL);
	if (e != 0) {
		*err = e;
		return NULL;
	}
	*err = o.err;
	return o.sock;
}

struct nsf_nl *
nsf_nl_open(int netns_fd)
{
	struct nsf_nl *nl;
	int err = 0;

	if ((nl = calloc(1, sizeof(*nl))) == NULL)
		return NULL;
	if ((nl->buf = malloc(NL_BUFSZ)) == NULL) {
		free(nl);
		return NULL;
	}
	if (netns_fd < 0 && netns_fd != NSF_NL_PRIVATE)
		nl->sock = sock_open(&err);
	else
		nl->sock = sock_open_in(netns_fd, &err);
	if (nl->sock == NULL) {
		free(nl->buf);
		free(nl);
		errno = err != 0 ? err : EIO;
		return NULL;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->private = netns_fd == NSF_NL_PRIVATE;
	return nl;
}

void
nsf_nl_close(struct nsf_nl *nl)
{
	if (nl == NULL)
		return;
	mnl_socket_close(nl->sock);
	free(nl->buf);
	free(nl->assigned);
	free(nl);
}

/*
 * Throws away what an abandoned request left queued, so that the next
 * reply read is the next request's.  Reading also lets an unfinished dump
 * run to its end: the kernel fills the next part from recvmsg().
 */
static void
drain(struct nsf_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock);

	while (recv(fd, nl->buf, NL_BUFSZ, MSG_DONTWAIT) >= 0 ||
	    errno == EINTR || errno == ENOBUFS)
		;
	nl->dirty = 0;
}

/* Passes data messages on to the request's own callback. */
static int
on_data(const struct nlmsghdr *nlh, void *arg)
{
	struct req *r = arg;

	return r->fn != NULL ? r->fn(nlh, r->arg) : MNL_CB_OK;
}

/* NLMSG_ERROR ends a request; error 0 is the acknowledgement. */
static int
on_error(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct req *r = arg;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	r->ended = 1;
	if (e->error == 0)
		return MNL_CB_STOP;
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump, and carries its error if the dump failed. */
static int
on_done(const struct nlmsghdr *nlh, void *arg)
{
	struct req *r = arg;
	int e;

	r->ended = 1;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(e)) {
		memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
		if (e < 0) {
			errno = -e;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

/* NLMSG_NOOP and NLMSG_OVERRUN carry nothing for us. */
static int
on_noop(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return MNL_CB_OK;
}

/* Not const: mnl_cb_run2() takes a plain pointer, though it only reads. */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = on_noop,
	[NLMSG_ERROR] = on_error,
	[NLMSG_DONE] = on_done,
	[NLMSG_OVERRUN] = on_noop,
};

/*
 * Sends one request and feeds its replies to fn until the kernel ends
 * them.  Returns 0 or -errno; -EINTR means a dump changed under us.
 * Data callbacks never stop the loop, so that the socket stays in step.
 */
static int
nl_request(struct nsf_nl *nl, struct nlmsghdr *nlh, mnl_cb_t fn, void *arg)
{
	struct req r = { fn, arg, 0 };
	ssize_t len;
	int ret;

	if (nl->dirty)
		drain(nl);
	nlh->nlmsg_seq = ++nl->seq;
	nl->dirty = 1;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, NL_BUFSZ);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = mnl_cb_run2(nl->buf, len, nl->seq, nl->portid, on_data,
		    &r, ctl_cbs, NLMSG_MIN_TYPE);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret == MNL_CB_ERROR) {
		ret = -errno;
		if (r.ended)
			nl->dirty = 0;
		return ret;
	}
	if (!r.ended)		/* libmnl says STOP for a datagram of junk */
		return -EBADMSG;
	nl->dirty = 0;
	return 0;
}

/* What one link dump gathers. */
struct links {
	struct nsf_link	*v;
	size_t		 n, cap;
	int		 nsid;		/* the target asked for, -1: ours */
	int		 err;
};

/*
 * Adds one link of a dump.  A link that answers for another netns than
 * the one asked for means the kernel ignored IFLA_TARGET_NETNSID.
 */
static int
on_link(const struct nlmsghdr *nlh, void *arg)
{
	struct links *l = arg;
	struct nsf_link lk;
	struct nsf_link *v;
	int tgt, err;

	if (l->err != 0 || nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if ((err = link_parse(nlh, &lk, &tgt)) != 0)
		l->err = err;
	else if (tgt != l->nsid)
		l->err = -EOPNOTSUPP;
	else if ((v = grow(l->v, &l->cap, l->n, sizeof(*v))) == NULL)
		l->err = -ENOMEM;
	else {
		l->v = v;
		l->v[l->n++] = lk;
	}
	return MNL_CB_OK;
}

/* Builds the RTM_GETLINK dump request, for our netns or a target's. */
static struct nlmsghdr *
links_req(void *buf, int nsid)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int32_t tgt = nsid;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	/* Statistics are most of a link's size and none of our business. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nsid >= 0)
		mnl_attr_put(nlh, IFLA_TARGET_NETNSID, sizeof(tgt), &tgt);
	return nlh;
}

/* One link dump, asked again while the kernel says it was inconsistent. */
static int
links_dump(struct nsf_nl *nl, int nsid, struct nsf_link **links, size_t *n)
{
	uint32_t req[NL_REQSZ / sizeof(uint32_t)];
	struct links l = { NULL, 0, 0, nsid, 0 };
	int err, tries = 0;

	do {
		l.n = 0;
		l.err = 0;
		err = nl_request(nl, links_req(req, nsid), on_link, &l);
	} while (err == -EINTR && ++tries < NL_DUMP_TRIES);
	if (err == 0)
		err = l.err;
	if (err != 0) {
		free(l.v);
		return err;
	}
	*links = l.v;
	*n = l.n;
	return 0;
}

/* What one nsid dump gathers. */
struct ids {
	int	*v;
	size_t	 n, cap;
	int	 err;
};

/* Adds one id of an nsid dump. */
static int
on_ids(const struct nlmsghdr *nlh, void *arg)
{
	struct ids *ids = arg;
	int id, err, *v;

	if (ids->err != 0 || nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	if ((err = nsid_parse(nlh, &id)) != 0)
		ids->err = err;
	else if ((v = grow(ids->v, &ids->cap, ids->n, sizeof(*v))) == NULL)
		ids->err = -ENOMEM;
	else {
		ids->v = v;
		ids->v[ids->n++] = id;
	}
	return MNL_CB_OK;
}

int
nsf_nl_nsids(struct nsf_nl *nl, int **ids, size_t *n)
{
	uint32_t req[NL_REQSZ / sizeof(uint32_t)];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	struct ids d = { NULL, 0, 0, 0 };
	int err, tries = 0;

	do {
		d.n = 0;
		d.err = 0;
		nlh = mnl_nlmsg_put_header(req);
		nlh->nlmsg_type = RTM_GETNSID;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->rtgen_family = AF_UNSPEC;
		err = nl_request(nl, nlh, on_ids, &d);
	} while (err == -EINTR && ++tries < NL_DUMP_TRIES);
	if (err == 0)
		err = d.err;
	if (err != 0) {
		free(d.v);
		return err;
	}
	if (d.n > 1)
		qsort(d.v, d.n, sizeof(*d.v), int_cmp);
	*ids = d.v;
	*n = d.n;
	return 0;
}

/* Remembers the ids in after[] that before[] (sorted) lacks. */
static int
note_assigned(struct nsf_nl *nl, const int *before, size_t nb,
    const int *after, size_t na)
{
	size_t i;
	int *v;

	nl->nassigned = 0;
	if (na == 0)
		return 0;
	if ((v = reallocarray(nl->assigned, na, sizeof(*v))) == NULL)
		return -ENOMEM;
	nl->assigned = v;
	for (i = 0; i < na; i++)
		if (nb == 0 || bsearch(&after[i], before, nb, sizeof(*before),
		    int_cmp) == NULL)
			v[nl->nassigned++] = after[i];
	return 0;
}

/* Two extra dumps of the id table per link listing: only when asked for. */
void
nsf_nl_watch(struct nsf_nl *nl, int on)
{
	nl->watch = on;
	nl->nassigned = 0;
}

/*
 * A link dump, watched if asked: the kernel may assign nsids while it
 * fills IFLA_LINK_NETNSID, so the ids of nl's netns are read before and after.
 * The ids are read after even when the dump failed part way.
 */
static int
links_watched(struct nsf_nl *nl, int nsid, struct nsf_link **links,
    size_t *n)
{
	int *before = NULL, *after = NULL, err, err2;
	size_t nb = 0, na = 0;
	struct nsf_link *v = NULL;
	size_t nv = 0;

	nl->nassigned = 0;
	if (nl->watch && (err = nsf_nl_nsids(nl, &before, &nb)) != 0)
		return err;
	err = links_dump(nl, nsid, &v, &nv);
	err2 = 0;
	if (nl->watch && (err2 = nsf_nl_nsids(nl, &after, &na)) == 0)
		err2 = note_assigned(nl, before, nb, after, na);
	free(before);
	free(after);
	if (err == 0)
		err = err2;
	if (err != 0) {
		free(v);
		return err;
	}
	*links = v;
	*n = nv;
	return 0;
}

int
nsf_nl_links(struct nsf_nl *nl, struct nsf_link **links, size_t *n)
{
	return links_watched(nl, -1, links, n);
}

int
nsf_nl_links_by_nsid(struct nsf_nl *nl, int nsid, struct nsf_link **links,
    size_t *n)
{
	if (nsid < 0)
		return -EINVAL;
	return links_watched(nl, nsid, links, n);
}

/* What parsing one address gathers beyond struct nsf_ifaddr. */
struct addrp {
	const void	*local, *address;	/* IFA_LOCAL, IFA_ADDRESS */
	size_t		 llen, alen;
	int		 tgt;			/* IFA_TARGET_NETNSID, -1 if none */
};

static int
on_addr_attr(const struct nlattr *a, void *arg)
{
	struct addrp *p = arg;

	switch (mnl_attr_get_type(a)) {
	case IFA_LOCAL:
		p->local = mnl_attr_get_payload(a);
		p->llen = mnl_attr_get_payload_len(a);
		break;
	case IFA_ADDRESS:
		p->address = mnl_attr_get_payload(a);
		p->alen = mnl_attr_get_payload_len(a);
		break;
	case IFA_TARGET_NETNSID:
		return attr_int(a, &p->tgt);
	}
	return 0;
}

/*
 * An address of an interface: IFA_LOCAL is the interface's own address
 * where it differs from IFA_ADDRESS (the peer of a point-to-point link).
 */
static int
addr_parse(const struct nlmsghdr *nlh, struct nsf_ifaddr *out, int *tgt)
{
	const struct ifaddrmsg *ifa;
	struct addrp p = { NULL, NULL, 0, 0, -1 };
	const void *a;
	size_t alen, want;
	int err;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_type != RTM_NEWADDR)
		return -EINVAL;
	if ((err = msg_walk(nlh, sizeof(*ifa), on_addr_attr, &p)) != 0)
		return err;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family == AF_INET)
		want = 4;
	else if (ifa->ifa_family == AF_INET6)
		want = 16;
	else
		return -EAFNOSUPPORT;
	a = p.local ? p.local : p.address;
	alen = p.local ? p.llen : p.alen;
	if (a == NULL || alen != want || ifa->ifa_prefixlen > want * 8)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->ifindex = (int)ifa->ifa_index;
	out->family = ifa->ifa_family;
	out->prefixlen = ifa->ifa_prefixlen;
	if (inet_ntop(ifa->ifa_family, a, out->addr, sizeof(out->addr)) == NULL)
		return -EBADMSG;
	if (tgt != NULL)
		*tgt = p.tgt;
	return 0;
}

int
nsf_addr_parse(const struct nlmsghdr *nlh, struct nsf_ifaddr *out)
{
	return addr_parse(nlh, out, NULL);
}

/* What one address dump gathers. */
struct addrs {
	struct nsf_ifaddr *v;
	size_t		 n, cap;
	int		 nsid;
	int		 err;
};

static int
on_addr(const struct nlmsghdr *nlh, void *arg)
{
	struct addrs *d = arg;
	struct nsf_ifaddr a, *v;
	int tgt, err;

	if (d->err != 0 || nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	if ((err = addr_parse(nlh, &a, &tgt)) == -EAFNOSUPPORT)
		return MNL_CB_OK;
	if (err != 0)
		d->err = err;
	else if (tgt != d->nsid)
		d->err = -EOPNOTSUPP;	/* the kernel ignored the target */
	else if ((v = grow(d->v, &d->cap, d->n, sizeof(*v))) == NULL)
		d->err = -ENOMEM;
	else {
		d->v = v;
		d->v[d->n++] = a;
	}
	return MNL_CB_OK;
}

int
nsf_nl_addrs_by_nsid(struct nsf_nl *nl, int nsid, struct nsf_ifaddr **addrs,
    size_t *n)
{
	uint32_t req[NL_REQSZ / sizeof(uint32_t)];
	struct addrs d = { NULL, 0, 0, nsid < 0 ? -1 : nsid, 0 };
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int32_t tgt = nsid;
	int err, tries = 0;

	do {
		d.n = 0;
		d.err = 0;
		nlh = mnl_nlmsg_put_header(req);
		nlh->nlmsg_type = RTM_GETADDR;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_UNSPEC;	/* IPv4 and IPv6 both */
		if (nsid >= 0)
			mnl_attr_put(nlh, IFA_TARGET_NETNSID, sizeof(tgt), &tgt);
		err = nl_request(nl, nlh, on_addr, &d);
	} while (err == -EINTR && ++tries < NL_DUMP_TRIES);
	if (err == 0)
		err = d.err;
	if (err != 0) {
		free(d.v);
		return err;
	}
	*addrs = d.v;
	*n = d.n;
	return 0;
}

size_t
nsf_nl_assigned(const struct nsf_nl *nl, const int **ids)
{
	*ids = nl->assigned;
	return nl->nassigned;
}

/* What the single RTM_GETNSID reply says. */
struct one_nsid {
	int	nsid;
	int	found;
	int	err;
};

/* Takes the id from the reply to RTM_GETNSID. */
static int
on_one_nsid(const struct nlmsghdr *nlh, void *arg)
{
	struct one_nsid *o = arg;
	int err;

	if (nlh->nlmsg_type != RTM_NEWNSID || o->found || o->err != 0)
		return MNL_CB_OK;
	if ((err = nsid_parse(nlh, &o->nsid)) != 0)
		o->err = err;
	else
		o->found = 1;
	return MNL_CB_OK;
}

/*
 * RTM_GETNSID: the id under which a netns knows a peer, -1 if none; it
 * never assigns one.  The peer is peer_fd's netns, or the one nl's netns
 * knows as peer_nsid when peer_fd < 0.  The netns asked is nl's own, or
 * the one nl's netns knows as target_nsid when that is >= 0
 * (NETNSA_TARGET_NSID, 4.20+).
 */
static int
get_nsid(struct nsf_nl *nl, int peer_fd, int peer_nsid, int target_nsid,
    int *nsid)
{
	uint32_t req[NL_REQSZ / sizeof(uint32_t)];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	struct one_nsid o = { -1, 0, 0 };
	int err;

	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	if (peer_fd >= 0)
		mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)peer_fd);
	else
		mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)peer_nsid);
	if (target_nsid >= 0)
		mnl_attr_put_u32(nlh, NETNSA_TARGET_NSID, (uint32_t)target_nsid);
	if ((err = nl_request(nl, nlh, on_one_nsid, &o)) != 0)
		return err;
	if (o.err != 0)
		return o.err;
	if (!o.found)
		return -EBADMSG;
	*nsid = o.nsid;
	return 0;
}

int
nsf_nl_nsid(struct nsf_nl *nl, int target_netns_fd, int *nsid)
{
	if (target_netns_fd < 0)
		return -EBADF;
	return get_nsid(nl, target_netns_fd, -1, -1, nsid);
}

int
nsf_nl_nsid_at(struct nsf_nl *nl, int target_nsid, int peer_fd, int peer_nsid,
    int *nsid)
{
	return get_nsid(nl, peer_fd, peer_nsid, target_nsid, nsid);
}

/*
 * Give target_netns_fd's netns an id in nl's netns (RTM_NEWNSID), or find
 * the one it has.  Only for nl opened with NSF_NL_PRIVATE: it changes the
 * id table of nl's netns, which must be nsfind's own.
 */
int
nsf_nl_newnsid(struct nsf_nl *nl, int target_netns_fd, int *nsid)
{
	uint32_t req[NL_REQSZ / sizeof(uint32_t)];
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int err;

	if (!nl->private)
		return -EPERM;
	if ((err = nsf_nl_nsid(nl, target_netns_fd, nsid)) != 0 || *nsid >= 0)
		return err;
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_NEWNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)target_netns_fd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)-1);
	if ((err = nl_request(nl, nlh, NULL, NULL)) != 0)
		return err;
	return nsf_nl_nsid(nl, target_netns_fd, nsid);
}
