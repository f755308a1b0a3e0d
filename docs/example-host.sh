#!/bin/bash
# docs/example-host.sh - builds the example host of README.md, or takes it
# down again.  Root only; everything it makes is named nsfdoc* or lives in
# /tmp/nsfdoc.
#
#   docs/example-host.sh up [BUILD]   build it (BUILD: where `make unit`
#                                     put tests/helpers, default build)
#   docs/example-host.sh down         remove it
#   docs/example-host.sh svg [BUILD]  docs/namespaces.svg from nsfind --dot,
#                                     cut to the example's namespaces
#
# What it builds:
#   nsfdoc-a, -b, -c     `ip netns` namespaces: a veth a <-> b, b <-> c;
#                        c has a macvlan whose lower device (a veth of
#                        ours, nsfdoc-lo) is in the initial namespace
#   nsfdoc-ghost         wired to a by a veth, then held only by an fd in
#                        flight in a unix socket, its name deleted: an
#                        unresolved namespace
#   h1                   a host as mininet starts it ("bash ... mininet:h1")
#                        in new mnt, uts and net namespaces, wired to b
#   demo-worker          a thread alone in a uts namespace
#   demo-timens          a process whose time_for_children is new
#   nshold ...           a uts namespace held by an fd, a net namespace by
#                        a socket, one by a tun device (tapdemo0), and a
#                        user namespace that only owns a socket's netns
#   ipc.pin              an ipc namespace bind-mounted on a file
#   mnt.pin              a mount namespace no process is in, bind-mounted
#                        on a file, holding a bind mount of a uts ns
#   unshare ... sleep    a user + pid namespace pair, nested
set -u
D=/tmp/nsfdoc
cd "$(dirname "$0")/.."

die() { echo "example-host: $*" >&2; exit 1; }
bg() { "$@" </dev/null >>"$D/log" 2>&1 & echo $! >>"$D/pids"; }
ready() { local i; for i in $(seq 50); do grep -sqx ready "$1" && return 0; sleep 0.1; done; return 1; }

up() {
	local H=${1:-build}/tests/helpers p fd
	[ -x "$H/nshold" ] || die "no $H/nshold: run make unit"
	[ ! -e "$D" ] || die "$D exists: run down first"
	mkdir -p "$D" && : >"$D/pids"

	ip netns add nsfdoc-a && ip netns add nsfdoc-b && ip netns add nsfdoc-c ||
	    die "ip netns add"
	ip -n nsfdoc-a link add veth-a type veth peer name veth-b netns nsfdoc-b
	ip -n nsfdoc-b link add veth-bc type veth peer name veth-cb netns nsfdoc-c
	ip link add nsfdoc-lo type veth peer name nsfdoc-lp
	ip link add link nsfdoc-lo name mv-c type macvlan &&
	    ip link set mv-c netns nsfdoc-c

	# The ghost: a veth into it, then an fd in flight is all that holds it.
	cat >"$D/inflight.c" <<'EOF'
#include <sys/socket.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int
main(int argc, char **argv)
{
	char c = 0, buf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int sv[2], fd = open(argv[argc - 1], O_RDONLY);

	if (fd < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		return 1;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) < 0)
		return 1;
	close(fd);
	puts("ready");
	fflush(stdout);
	pause();
	return 0;
}
EOF
	cc -o "$D/inflight" "$D/inflight.c" || die "cc inflight"
	ip netns add nsfdoc-ghost
	ip -n nsfdoc-a link add veth-g type veth peer name veth-x netns nsfdoc-ghost
	"$D/inflight" /run/netns/nsfdoc-ghost >"$D/inflight.out" 2>&1 </dev/null &
	echo $! >>"$D/pids"
	ready "$D/inflight.out" || die "inflight"
	ip netns del nsfdoc-ghost

	# h1, as mininet starts a host, wired to b.
	sleep infinity | unshare --mount --uts --net bash --norc --noediting \
	    -is mininet:h1 >/dev/null 2>&1 &
	echo $! >>"$D/pids"
	for p in $(seq 50); do
		p=$(pgrep -f '^bash --norc --noediting -is mininet:h1$' | head -1)
		[ -n "$p" ] && [ "$(readlink /proc/"$p"/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
		sleep 0.1
	done
	ip link add h1-eth0 netns "/proc/$p/ns/net" type veth peer name s1-eth1 netns nsfdoc-b ||
	    die "h1 veth"

	# A thread alone in a uts namespace.
	cat >"$D/worker.c" <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
static void *
run(void *a)
{
	(void)a;
	unshare(CLONE_NEWUTS);
	for (;;)
		pause();
}
int
main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, run, NULL);
	for (;;)
		pause();
}
EOF
	cc -pthread -o "$D/demo-worker" "$D/worker.c" || die "cc worker"
	bg "$D/demo-worker"
	# unshare(CLONE_NEWTIME) and no exec: only its next children go there.
	printf '%s\n' '#define _GNU_SOURCE' '#include <sched.h>' '#include <unistd.h>' \
	    'int main(void) { unshare(0x80); for (;;) pause(); }' >"$D/timens.c"
	cc -o "$D/demo-timens" "$D/timens.c" || die "cc timens"
	bg "$D/demo-timens"

	bg "$H/nshold" fd uts mnt
	bg "$H/nshold" socket
	bg "$H/nshold" tun tapdemo0
	bg "$H/nshold" socket user

	: >"$D/ipc.pin"
	unshare --ipc="$D/ipc.pin" true || die "ipc.pin"
	# A mount namespace held by a bind mount only, with a uts ns mounted
	# inside it (a mount namespace file is bind-mounted on a private mount).
	mkdir "$D/priv" && mount --bind "$D/priv" "$D/priv" &&
	    mount --make-private "$D/priv" || die "priv"
	: >"$D/priv/mnt.pin"
	unshare --mount="$D/priv/mnt.pin" --propagation private sh -c \
	    "mkdir -p $D/pin && mount -t tmpfs nsfdoc $D/pin && : >$D/pin/uts &&
	    unshare --uts=$D/pin/uts true" || die "mnt.pin"

	bg unshare --user --map-root-user --pid --fork --mount-proc sleep infinity
	sleep 1
	echo "example host up: $D"
}

down() {
	local p c
	kill_tree() {
		for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do kill_tree "$c"; done
		kill -KILL "$1" 2>/dev/null
	}
	if [ -f "$D/pids" ]; then
		while read -r p; do kill_tree "$p"; done <"$D/pids"
	fi
	for p in $(pgrep -f '^bash --norc --noediting -is mininet:h1$'); do kill_tree "$p"; done
	umount "$D/priv/mnt.pin" "$D/ipc.pin" "$D/priv" 2>/dev/null
	umount -l "$D/priv/mnt.pin" "$D/ipc.pin" "$D/priv" 2>/dev/null
	for n in nsfdoc-a nsfdoc-b nsfdoc-c nsfdoc-ghost; do ip netns del "$n" 2>/dev/null; done
	ip link del nsfdoc-lo 2>/dev/null
	rm -rf --one-file-system "$D"
	echo "example host down"
}

# The graph of the example: nsfind --dot, cut to the namespaces that the
# example made and the initial ones (the machine has others meanwhile).
svg() {
	local B=${1:-build} keep
	keep=$("$B/nsfind" -J -o NS,TYPE,INITIAL,HOLDERS,CONTAINER,NSFS,COMMAND 2>/dev/null |
	    jq -r '.namespaces[] | select(.initial or .ns == null or
	    ((.nsfs // []) | map(test("nsfdoc")) | any) or
	    ((.command // "") | test("nsfdoc|nshold|mininet:h1|sleep infinity")) or
	    ([.holders[] | .command // "" | test("nshold|inflight")] | any)) |
	    if .ns == null then "unresolved" else "\(.type)_\(.ns)" end'
	    awk '$1 ~ /^(net|uts|user|mnt|ipc|time|pid|cgroup)$/ { print $1 "_" $2 }' "$D/log")
	"$B/nsfind" --dot 2>/dev/null | python3 -c '
import re, sys
keep = set(sys.argv[1].split())
out, block, held = [], [], False
for line in sys.stdin:
	m = re.match(r"\s*\"([a-z]+_[0-9]+|unresolved)(_[0-9]+)?\"", line)
	if line.startswith("subgraph "):
		block, held = [line], False
		continue
	if block:
		block.append(line)
		if m and (m.group(1) in keep or m.group(1) == "unresolved"):
			held = True
		if line.startswith("}"):
			if held:
				out += [l for l in block if not re.match(r"\s*\"", l) or
				    re.match(r"\s*\"([a-z]+_[0-9]+)\"", l).group(1) in keep]
			block = []
		continue
	ids = re.findall(r"\"([a-z]+_[0-9]+|unresolved_[0-9]+)\"", line.split("[")[0])
	if ids and not all(i in keep or i.startswith("unresolved") for i in ids):
		continue
	out.append(line)
sys.stdout.write("".join(out))' "$keep" >docs/namespaces.dot
	dot -Tsvg docs/namespaces.dot >docs/namespaces.svg && echo "docs/namespaces.svg"
}

[ "$(id -u)" -eq 0 ] || die "needs root"
case ${1:-} in
up) up "${2:-build}" ;;
down) down ;;
svg) svg "${2:-build}" ;;
*) die "usage: $0 up [BUILD] | down | svg [BUILD]" ;;
esac
