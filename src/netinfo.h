/*
 * netinfo.h - what the netlink source learns about a network namespace:
 * its interfaces, where each link's peer lives, and its netnsid.
 */
#ifndef NSFIND_NETINFO_H
#define NSFIND_NETINFO_H

#include "graph.h"
#include "json.h"
#include "netlink.h"

#define NSF_NSID_UNKNOWN	(-2)	/* could not ask */
#define NSF_NSID_NONE		(-1)	/* unassigned */

struct nsf_netinfo {
	struct nsf_link	 *links;
	size_t		  nlinks;
	struct nsf_ns	**peer;		/* per link: the namespace of its peer or lower link */
	int		 *peer_nsid;	/* per link: the id this namespace has for it, or -1 */
	int		  nsid;		/* as nsfind's own netns knows it */
	int		  err;		/* errno when links could not be listed */
	/* addresses, when asked for (DETAILS): the source lists them too */
	struct nsf_ifaddr *addrs;
	size_t		  naddrs;
	bool		  addrs_read;
	int		  addrs_err;
};

void	nsf_netinfo_free(struct nsf_netinfo *);
int	src_netlink(struct nsf_graph *, bool);

/* view_net.c */
void	nsf_net_text(struct nsf_ns *, int, struct strbuf *);
void	nsf_net_json(struct nsf_ns *, int, const char *, struct json *);
const char *nsf_peer_name(const struct nsf_ns *, int);

#endif
