/*
 * netlink.h - network interfaces and netns ids, read through rtnetlink.
 *
 * A stand-alone helper: it knows nothing of the graph and prints nothing.
 * Every call only reads, with one exception that the kernel imposes: to
 * fill IFLA_LINK_NETNSID, a link dump assigns an nsid to the peer netns
 * when the asking netns has none for it (peernet2id_alloc() in
 * rtnl_fill_link_netnsid()).  Callers that must change nothing ask from
 * a namespace of their own (NSF_NL_PRIVATE); the others can watch what
 * was assigned (nsf_nl_watch(), nsf_nl_assigned()).
 */
#ifndef NSFIND_NETLINK_H
#define NSFIND_NETLINK_H

#include <stddef.h>
#include <linux/netlink.h>

struct nsf_link {
	int		 ifindex;
	char		 name[16];	/* IFNAMSIZ */
	char		 kind[24];	/* IFLA_INFO_KIND; "loopback" for lo;
					   "" if none; cut if longer */
	unsigned	 flags;		/* IFF_* */
	char		 state[16];	/* operstate: "up", "down", "unknown",
					   "lowerlayerdown", ...; "" if none;
					   the number if the kernel's is new */
	int		 link_ifindex;	/* IFLA_LINK (veth peer), 0 if none */
	int		 link_netnsid;	/* IFLA_LINK_NETNSID, local to the asking
					   netns; -1 if none */
	int		 master;	/* IFLA_MASTER, 0 if none */
};

/* One address of an interface (RTM_NEWADDR). */
struct nsf_ifaddr {
	int		 ifindex;
	int		 family;	/* AF_INET, AF_INET6 */
	unsigned	 prefixlen;
	char		 addr[46];	/* INET6_ADDRSTRLEN, as inet_ntop writes it */
};

/* An rtnetlink socket bound inside one network namespace. */
struct nsf_nl;

/*
 * netns_fd < 0: the caller's own netns.  NSF_NL_PRIVATE: a new, empty
 * netns of the socket's own, made by a helper thread and gone with the
 * socket; dumps asked from there (IFLA_TARGET_NETNSID) leave every other
 * netns's id table as it was.  NULL and errno on failure.
 */
#define NSF_NL_PRIVATE	(-2)
struct nsf_nl	*nsf_nl_open(int netns_fd);
void		 nsf_nl_close(struct nsf_nl *nl);

/* All calls return 0 or -errno; the caller frees *links and *ids. */

/* The links of nl's netns (RTM_GETLINK dump). */
int	nsf_nl_links(struct nsf_nl *nl, struct nsf_link **links, size_t *n);

/* The links of the netns that nl's netns knows as nsid
 * (IFLA_TARGET_NETNSID); link_netnsid values are still nl's ids. */
int	nsf_nl_links_by_nsid(struct nsf_nl *nl, int nsid,
	    struct nsf_link **links, size_t *n);

/* The addresses of the netns that nl's netns knows as nsid (RTM_GETADDR
 * with IFA_TARGET_NETNSID, 4.20+); nsid < 0: nl's own netns. */
int	nsf_nl_addrs_by_nsid(struct nsf_nl *nl, int nsid,
	    struct nsf_ifaddr **addrs, size_t *n);

/* The id under which nl's netns knows target_netns_fd's netns, -1 if it
 * has none.  Never assigns one. */
int	nsf_nl_nsid(struct nsf_nl *nl, int target_netns_fd, int *nsid);

/* The id the netns nl knows as target_nsid has for a peer (peer_fd, or
 * nl's id peer_nsid when peer_fd < 0); -1 if none.  Never assigns. */
int	nsf_nl_nsid_at(struct nsf_nl *nl, int target_nsid, int peer_fd,
	    int peer_nsid, int *nsid);

/* An id for target in nl's netns, assigning one if needed: NSF_NL_PRIVATE
 * sockets only (-EPERM otherwise). */
int	nsf_nl_newnsid(struct nsf_nl *nl, int target_netns_fd, int *nsid);

/* Every id nl's netns has assigned, ascending (RTM_GETNSID dump). */
int	nsf_nl_nsids(struct nsf_nl *nl, int **ids, size_t *n);

/* Watch the link calls on nl (off by default: it costs two dumps of the
 * id table each): afterwards nsf_nl_assigned() says which ids the kernel
 * assigned in nl's netns while one ran. */
void	nsf_nl_watch(struct nsf_nl *nl, int on);

/* The ids that appeared in nl's netns while the last nsf_nl_links*() call
 * ran (normally assigned by that dump), ascending; valid until the next
 * call on nl.  Returns how many. */
size_t	nsf_nl_assigned(const struct nsf_nl *nl, const int **ids);

/* Parses one RTM_NEWLINK message whose nlmsg_len lies within its buffer.
 * 0, or -EINVAL (another type) or -EBADMSG; *out is set only on 0. */
int	nsf_link_parse(const struct nlmsghdr *nlh, struct nsf_link *out);

/* Parses one RTM_NEWADDR message of an IPv4 or IPv6 address, the same
 * way.  -EAFNOSUPPORT for another family. */
int	nsf_addr_parse(const struct nlmsghdr *nlh, struct nsf_ifaddr *out);

#endif /* NSFIND_NETLINK_H */
