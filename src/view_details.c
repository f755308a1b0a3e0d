/*
 * view_details.c - the DETAILS cell and the `details` JSON object: what is
 * inside a namespace, as src_details.c found it.  Host strings (names,
 * paths, mount sources) go through escape.h like every other.
 */
#include <sys/socket.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "details.h"
#include "escape.h"
#include "netinfo.h"
#include "util.h"

/* "×" where the arrow is "→", else "x": the same locale decision. */
static const char *
times_sign(void)
{
	return strcmp(nsf_arrow, "->") == 0 ? "x" : "\xc3\x97";
}

static void
idmap_text(const char *what, const struct nsf_idext *v, size_t n,
    struct strbuf *sb)
{
	size_t i;

	sb_adds(sb, what);
	if (n == 0)
		sb_adds(sb, " unmapped");
	for (i = 0; i < n; i++)
		sb_addf(sb, " %" PRIu32 "%s%" PRIu32 " %s%" PRIu32, v[i].inside,
		    nsf_arrow, v[i].outside, times_sign(), v[i].count);
}

/* An offset as seconds: "+100s", "-1.5s", "+0.000000001s". */
static void
offset_text(int64_t sec, long nsec, struct strbuf *sb)
{
	int64_t whole = sec;
	long frac = nsec;
	char buf[16];
	int k;

	/* The kernel keeps nsec in [0, 1e9): -1.5 s is sec -2, nsec 5e8. */
	if (sec < 0 && nsec > 0) {
		whole = sec + 1;
		frac = 1000000000L - nsec;
	}
	sb_addf(sb, "%s%" PRIu64, sec < 0 ? "-" : "+",
	    whole < 0 ? (uint64_t)-whole : (uint64_t)whole);
	if (frac) {
		snprintf(buf, sizeof(buf), "%09ld", frac);
		for (k = 8; k > 0 && buf[k] == '0'; k--)
			buf[k] = '\0';
		sb_addf(sb, ".%s", buf);
	}
	sb_addc(sb, 's');
}

static const char *
ifname(const struct nsf_ns *ns, int ifindex, char *buf, size_t size)
{
	const char *n = nsf_peer_name(ns, ifindex);

	if (n)
		return n;
	snprintf(buf, size, "if%d", ifindex);
	return buf;
}

/* The addresses of one interface, each after a space: " 10.0.0.1/24". */
void
nsf_addrs_text(const struct nsf_ns *ns, int ifindex, struct strbuf *sb)
{
	const struct nsf_details *d = ns->details;
	size_t i;

	for (i = 0; d && i < d->naddrs; i++)
		if (d->addrs[i].ifindex == ifindex)
			sb_addf(sb, " %s/%u", d->addrs[i].addr, d->addrs[i].prefixlen);
}

/* "addresses": ["10.0.0.1/24"] in an interface object, when they were read. */
void
nsf_addrs_json(const struct nsf_ns *ns, int ifindex, struct json *j)
{
	const struct nsf_details *d = ns->details;
	char buf[64];
	size_t i;

	if (d == NULL || !d->addrs_read)
		return;
	json_arr_open(j, "addresses");
	for (i = 0; i < d->naddrs; i++) {
		if (d->addrs[i].ifindex != ifindex)
			continue;
		snprintf(buf, sizeof(buf), "%s/%u", d->addrs[i].addr,
		    d->addrs[i].prefixlen);
		json_str(j, NULL, buf);
	}
	json_arr_close(j);
}

/* "lo 127.0.0.1/8 ::1/128, veth0 10.0.0.1/24": interfaces with addresses. */
static void
net_text(const struct nsf_ns *ns, const struct nsf_details *d, struct strbuf *sb)
{
	char buf[24];
	size_t i, k;
	bool first = true;

	for (i = 0; i < d->naddrs; i++) {
		for (k = 0; k < i; k++)	/* each interface once */
			if (d->addrs[k].ifindex == d->addrs[i].ifindex)
				break;
		if (k < i)
			continue;
		if (!first)
			sb_adds(sb, ", ");
		first = false;
		nsf_esc_text(sb, ifname(ns, d->addrs[i].ifindex, buf, sizeof(buf)));
		nsf_addrs_text(ns, d->addrs[i].ifindex, sb);
	}
	if (first)
		sb_adds(sb, "no addresses");
}

static void
sep(struct strbuf *sb)
{
	if (sb->len)
		sb_adds(sb, ", ");
}

void
nsf_nspid_text(const struct nsf_nspid *t, struct strbuf *sb)
{
	int i;

	for (i = 0; i < t->n; i++)
		sb_addf(sb, "%s%d", i ? "," : "", (int)t->v[i]);
}

void
nsf_details_text(const struct nsf_ns *ns, struct strbuf *sb)
{
	const struct nsf_details *d = ns->details;
	size_t start = sb->len;

	if (d == NULL || !d->done)
		return;
	switch (ns->type) {
	case NSF_UTS:
		if (d->hostname == NULL)
			break;
		sb_adds(sb, "hostname ");
		nsf_esc_text(sb, d->hostname);
		sb_adds(sb, ", domainname ");
		nsf_esc_text(sb, d->domainname);
		break;
	case NSF_USER:
		if (ns->initial)
			sb_adds(sb, "initial");
		if (d->maps) {
			if (sb->len > start)
				sb_adds(sb, ", ");
			idmap_text("uid", d->uid_map, d->nuid, sb);
			sb_adds(sb, ", ");
			idmap_text("gid", d->gid_map, d->ngid, sb);
		}
		if (ns->has_creator) {
			if (sb->len > start)
				sb_adds(sb, ", ");
			sb_addf(sb, "creator %u", (unsigned)ns->creator);
		}
		break;
	case NSF_PID:
		if (d->level >= 0)
			sb_addf(sb, "level %d", d->level);
		break;
	case NSF_TIME:
		if (!d->offsets)
			break;
		sb_adds(sb, "monotonic ");
		offset_text(d->mono_sec, d->mono_nsec, sb);
		sb_adds(sb, ", boottime ");
		offset_text(d->boot_sec, d->boot_nsec, sb);
		break;
	case NSF_CGROUP:
		if (d->cgroot) {
			sb_adds(sb, "root ");
			nsf_esc_text(sb, d->cgroot);
		}
		break;
	case NSF_MNT:
		if (d->nmounts >= 0)
			sb_addf(sb, "%ld mount%s", d->nmounts, d->nmounts == 1 ? "" : "s");
		if (d->rootsrc) {
			if (sb->len > start)
				sb_adds(sb, ", ");
			sb_adds(sb, "root ");
			nsf_esc_text(sb, d->rootsrc);
		}
		break;
	case NSF_NET:
		if (d->addrs_read)
			net_text(ns, d, sb);
		break;
	case NSF_IPC:
		if (!d->ipc_read)
			break;
		sb_addf(sb, "shm %ld, sem %ld, msg %ld, ", d->shm, d->sem, d->msg);
		if (d->mqueue >= 0)
			sb_addf(sb, "mqueue %ld", d->mqueue);
		else
			sb_adds(sb, "mqueue uncounted");
		break;
	default:
		break;
	}
	if (d->missing) {
		if (sb->len > start)
			sep(sb);
		sb_addf(sb, "(%s: %s unknown", d->why, d->missing);
		if (d->err)
			sb_addf(sb, ": %s", strerror(d->err));
		sb_addc(sb, ')');
	}
}

static void
idmap_json(struct json *j, const char *key, const struct nsf_idext *v, size_t n)
{
	size_t i;

	json_arr_open(j, key);
	for (i = 0; i < n; i++) {
		json_obj_open(j, NULL);
		json_u64(j, "inside", v[i].inside);
		json_u64(j, "outside", v[i].outside);
		json_u64(j, "count", v[i].count);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void
offset_json(struct json *j, const char *key, int64_t sec, long nsec)
{
	json_obj_open(j, key);
	json_i64(j, "sec", sec);
	json_i64(j, "nsec", nsec);
	json_obj_close(j);
}

static void
addrs_json(const struct nsf_ns *ns, const struct nsf_details *d, struct json *j)
{
	char buf[24];
	size_t i;

	json_arr_open(j, "addresses");
	for (i = 0; i < d->naddrs; i++) {
		json_obj_open(j, NULL);
		json_i64(j, "ifindex", d->addrs[i].ifindex);
		json_str(j, "interface", ifname(ns, d->addrs[i].ifindex, buf,
		    sizeof(buf)));
		json_str(j, "family", d->addrs[i].family == AF_INET6 ? "inet6" : "inet");
		json_str(j, "address", d->addrs[i].addr);
		json_u64(j, "prefixlen", d->addrs[i].prefixlen);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void
type_json(const struct nsf_ns *ns, const struct nsf_details *d, struct json *j)
{
	switch (ns->type) {
	case NSF_UTS:
		json_str(j, "hostname", d->hostname);
		json_str(j, "domainname", d->domainname);
		break;
	case NSF_USER:
		if (d->maps) {
			idmap_json(j, "uid_map", d->uid_map, d->nuid);
			idmap_json(j, "gid_map", d->gid_map, d->ngid);
		} else {
			json_null(j, "uid_map");
			json_null(j, "gid_map");
		}
		if (ns->has_creator)
			json_u64(j, "creator", ns->creator);
		else
			json_null(j, "creator");
		json_bool(j, "initial", ns->initial);
		break;
	case NSF_PID:
		if (d->level >= 0)
			json_i64(j, "level", d->level);
		else
			json_null(j, "level");
		break;
	case NSF_TIME:
		if (d->offsets) {
			offset_json(j, "monotonic", d->mono_sec, d->mono_nsec);
			offset_json(j, "boottime", d->boot_sec, d->boot_nsec);
		} else {
			json_null(j, "monotonic");
			json_null(j, "boottime");
		}
		break;
	case NSF_CGROUP:
		json_bytes(j, "root", d->cgroot);
		break;
	case NSF_MNT:
		if (d->nmounts >= 0)
			json_i64(j, "mounts", d->nmounts);
		else
			json_null(j, "mounts");
		json_bytes(j, "root_source", d->rootsrc);
		break;
	case NSF_NET:
		if (d->addrs_read)
			addrs_json(ns, d, j);
		else
			json_null(j, "addresses");
		break;
	case NSF_IPC:
		if (d->ipc_read) {
			json_i64(j, "shm", d->shm);
			json_i64(j, "sem", d->sem);
			json_i64(j, "msg", d->msg);
			if (d->mqueue >= 0)
				json_i64(j, "mqueue", d->mqueue);
			else
				json_null(j, "mqueue");
		} else {
			json_null(j, "shm");
			json_null(j, "sem");
			json_null(j, "msg");
			json_null(j, "mqueue");
		}
		break;
	default:
		break;
	}
}

/*
 * {"hostname": ..., ...}: the type's fields (null where unknown), and
 * "unknown"/"reason" when something could not be read.  null when nothing
 * was asked.
 */
void
nsf_details_json(const struct nsf_ns *ns, const char *key, struct json *j)
{
	const struct nsf_details *d = ns->details;
	struct strbuf sb = STRBUF_INIT;

	if (d == NULL || !d->done) {
		json_null(j, key);
		return;
	}
	json_obj_open(j, key);
	type_json(ns, d, j);
	if (d->missing) {
		json_str(j, "unknown", d->missing);
		sb_adds(&sb, d->why);
		if (d->err)
			sb_addf(&sb, ": %s", strerror(d->err));
		json_str(j, "reason", sb_str(&sb));
		sb_free(&sb);
	}
	json_obj_close(j);
}
