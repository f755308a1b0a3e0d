/*
 * ct.h - what the container attribution files (ct_*.c, container.c)
 * share: bounded slices of hostile text, the checks engines' ids and
 * names pass, command lines, and files read beneath a root.  Nothing
 * outside the ct_ files includes it; the rest of nsfind sees container.h.
 */
#ifndef NSFIND_CT_H
#define NSFIND_CT_H

#include <dirent.h>
#include <stddef.h>

#include "container.h"

#define ID_LEN		64		/* docker, podman, cri-o ids */
#define SHORT_ID	12		/* how docker and podman abbreviate */
#define MAX_NAME	255		/* longest name or id we keep */
#define MAX_CTR_ID	76		/* containerd's identifier limit */
#define MAX_ARGV	(1 << 20)	/* longest command line we look at */
#define MAX_FILE	(4 << 20)	/* cap on any file we read */
#define MAX_DEPTH	64		/* JSON nesting we follow */
#define COMM_LEN	15		/* TASK_COMM_LEN - 1 */
#define PATH_MAX_CT	512		/* relative paths we build */
#define NSF_ARRAY_N(a)	(sizeof(a) / sizeof((a)[0]))

/* A piece of someone else's string: not NUL-terminated, never owned. */
struct sl {
	const char	*p;
	size_t		 n;
};

static const struct sl sl_none;

/* ct_slice.c: slices and the checks ids and names must pass. */
struct sl	 sl_of(const char *);
struct sl	 sl_mid(struct sl, size_t, size_t);
int		 sl_eq(struct sl, const char *);
int		 sl_prefix(struct sl, const char *);
int		 sl_suffix(struct sl, const char *);
int		 sl_inner(struct sl, const char *, const char *, struct sl *);
struct sl	 sl_base(struct sl);
size_t		 sl_split(struct sl, char, struct sl *, size_t);
char		*sl_dup(struct sl);
int		 is_lhex(int);
int		 is_hexn(struct sl, size_t);
int		 is_id64(struct sl);
int		 is_pod_uid(struct sl);
int		 is_uuid(struct sl);
int		 is_ident(struct sl, size_t);
int		 is_sane(struct sl);
int		 hexval(int);
char		*unescape(struct sl);
char		*uid_dashes(struct sl);
int		 set_str(char **, struct sl);

/* ct_k8s.c: the kubelet's "k8s_..." names and its logs. */
struct k8sname {
	struct sl	ctr, pod, ns, uid;
};
int		 k8s_name(struct sl, struct k8sname *);
void		 k8s_apply(struct nsf_container *, const struct k8sname *);
void		 ct_resolve_k8s(struct nsf_container *, const char *);

/* ct_args.c: command lines as argument vectors. */
struct args {
	char	 *buf;
	char	**v;
	size_t	  n;
};
void		 args_free(struct args *);
int		 args_split(const char *, size_t, struct args *);
int		 args_respace(struct args *);
const char	*opt_find(const struct args *, const char *const *, char,
		    const char *);
int		 args_mention(const struct args *, const char *);
int		 ct_fill(struct nsf_container *, const char *, struct sl,
		    struct sl);
int		 tool_is(struct sl, const char *);

/* ct_file.c: files under a root, never through a link out of it. */
int		 open_under(const char *, const char *, int);
char		*read_small(const char *, const char *, size_t *);
DIR		*opendir_under(const char *, const char *);

/* ct_json.c: engines' JSON state, through jansson with our limits. */
char		*json_top_string(const char *, size_t, const char *);
char		*json_storage_name(const char *, size_t, const char *);
long long	 json_top_int(const char *, size_t, const char *);

/* ct_bolt.c: values in a bbolt database (podman's state). */
char		*bolt_get(const char *, const char *, const char *, const char *);

/* Per engine: names from what the engine leaves on disk. */
char		*docker_raw_name(const char *, const char *);
char		*storage_raw_name(const char *, const char *);
char		*podman_bolt_name(const char *, const char *);
void		 ct_resolve_docker(struct nsf_container *, const char *);
void		 ct_resolve_containerd(struct nsf_container *, const char *);
void		 ct_resolve_podman(struct nsf_container *, const char *);
void		 take_name(struct nsf_container *, char *);

/* ct_sandbox.c: bubblewrap, firejail, bare runc and crun. */
int		 ct_anc_bwrap(const struct args *, struct nsf_container *);
int		 ct_anc_firejail(const struct args *, struct nsf_container *);
void		 ct_resolve_sandbox(struct nsf_container *, const char *);

#endif
