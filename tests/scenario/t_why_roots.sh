#!/bin/bash
# --why, one hop: a namespace of each root kind, asked about all at once
# (several NS, each in one of the forms --why takes), as text and JSON.
# Each says what holds it and how to release it, checked for the right
# command (never run): a process in it (kill), a thread in it (kill its
# process), a process whose pid_for_children points at it (unshare --pid
# without fork), an fd, a socket, a tun device (close fd N of PID), a bind
# mount in our mount namespace (umount PATH, shell-quoted when the path
# needs it, escaped in the text), an `ip netns` name (ip netns del NAME),
# and a bind mount in the mount namespace of a process (nsenter -t PID -m
# umount PATH).  A namespace named twice is explained once.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd unshare
need_cmd ip
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"
# nsfind3 ARGS...: nsfind, where exit status 3 (it knows it missed
# something: a limit, a hang) still gives whole trees for what it found.
nsfind3() { nsfind "$@" || [ $? -eq 3 ]; }
scratch

# started CMD...: CMD in the background, its pid in SP, killed at the end.
started() {
	"$@" &
	SP=$!
	on_exit "kill_tree $SP"
}

# A process in a uts namespace.
started unshare --uts sleep 1000
proc=$SP
settle wait_exec "$proc" sleep || fail "unshare --uts did not start"
n_proc=$(ns_ino "$proc" uts)

# A thread in a uts namespace its process is not in.
build_c thr <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *thr(void *a)
{
	struct stat st;
	(void)a;
	if (unshare(CLONE_NEWUTS) < 0 || stat("/proc/thread-self/ns/uts", &st) < 0) {
		perror("thr");
		_exit(1);
	}
	printf("%ld %lu\nready\n", (long)syscall(SYS_gettid), (unsigned long)st.st_ino);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}
int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, thr, NULL);
	for (;;)
		pause();
}
EOF
started "$SCRATCH/thr" >"$W/thr"
thrp=$SP
settle grep -qx ready "$W/thr" || fail "thread helper did not start"
read -r tid n_thr <"$W/thr"

# A pid namespace only a process's pid_for_children points at: unshare
# --pid without --fork.  The kernel shows pid_for_children only once the
# namespace has had an init, so a first child comes and goes.
started unshare --pid sh -c 'true & wait; exec sleep 1000'
kid=$SP
settle wait_exec "$kid" sleep || fail "unshare --pid did not start"
n_kid=$(ns_ino "$kid" pid_for_children)
[ "$n_kid" != "$(ns_ino "$kid" pid)" ] || fail "pid_for_children is not new"

# An fd, a socket.
hold hfd fd uts
fdp=$HP n_fd=$(field "$W/hfd" uts 2) fd_fd=$(field "$W/hfd" uts 3)
hold hsock socket
sockp=$HP n_sock=$(field "$W/hsock" net 2) fd_sock=$(field "$W/hsock" net 3)

# A tun device, where there is a tun driver (left loaded: others may use it).
[ -c /dev/net/tun ] || modprobe tun >/dev/null 2>&1
n_tun=
if [ -c /dev/net/tun ]; then
	ifname=nsft$$
	ifname=${ifname:0:15}
	hold htun tun "$ifname"
	tunp=$HP n_tun=$(field "$W/htun" net 2) fd_tun=$(field "$W/htun" net 3)
else
	echo "note: no /dev/net/tun: the tun root is not checked"
fi

# Bind mounts in our mount namespace: a plain path, one that needs quoting
# (a space, a quote and an escape character), and an ip netns name.
touch "$W/netns" || fail "touch"
unmount_later "$W/netns"
unshare --net="$W/netns" true || fail "unshare --net=$W/netns"
n_bind=$(stat -c %i "$W/netns")
odd="$W/a b'c"$'\e'
touch "$odd" || fail "touch"
unmount_later "$odd"
unshare --uts="$odd" true || fail "unshare --uts=<odd path>"
n_odd=$(stat -c %i "$odd")
ip netns add "$TAG" || fail "ip netns add"
on_exit "ip netns del $TAG"
n_named=$(stat -c %i "/run/netns/$TAG")

# A bind mount in the mount namespace of a process of ours.
touch "$W/inner" || fail "touch"
started unshare --mount --propagation private sh -c \
    "unshare --net='$W/inner' true && stat -c %i '$W/inner' >'$W/inner.ino' && exec sleep 1000"
mp=$SP
settle wait_exec "$mp" sleep || fail "the mount namespace's process did not start"
n_inner=$(cat "$W/inner.ino")
[ -n "$n_inner" ] && [ "$n_inner" != "$(stat -c %i "$W/inner")" ] || fail "inner mount leaked out"
m_inner=$(ns_ino "$mp" mnt)


# Without pidfd_getfd (an old kernel, or valgrind), nsfind cannot copy
# sockets and tun devices, says so, and does not see what they hold.
# The same scan gives the 64-bit id of the fd's namespace, to name it by.
nsfind3 -J -o NS,ID >"$W/probe.json" 2>/dev/null || fail "nsfind -J -o NS,ID failed"
id_fd=$(jq -r --argjson n "$n_fd" '.namespaces[] | select(.ns == $n) | .id' "$W/probe.json")
if jq -e 'any(.notes[]; test("pidfd_getfd.*missing|lacks pidfd_getfd"))' "$W/probe.json" >/dev/null; then
	echo "note: nsfind cannot copy sockets here: the socket and tun roots are not checked"
	n_sock= n_tun=
fi
args=("$n_proc" "uts:[$n_thr]" "/proc/$kid/ns/pid_for_children"
    "$W/netns" "$odd" "$TAG" "$n_inner" "$n_proc")
[ -n "$n_sock" ] && args+=("$n_sock")
if [ "$id_fd" != null ] && [ -n "$id_fd" ]; then
	args+=("$id_fd")
else
	echo "note: no namespace ids (NS_GET_ID): the fd's namespace is named by inode"
	args+=("$n_fd")
fi
[ -n "$n_tun" ] && args+=("$n_tun")

# --- text
# has LINE-REGEX WHAT: a line of the text output matches.
has() {
	grep -Eq -- "$1" "$W/out" && return 0
	cat "$W/out"
	miss "$2: no line matching: $1"
}
T='(├─|└─|\|-|`-) '
check_text() {
	has "^uts:\[$n_proc\]\$" "process ns header"
	[ "$(grep -c "^uts:\[$n_proc\]" "$W/out")" -eq 1 ] || miss "a namespace named twice is explained twice"
	has "^${T}process $proc \(sleep 1000\); release: kill $proc( \(in .*\))?\$" "process root"
	has "^${T}thread $tid of process $thrp \(.*/thr\); release: kill $thrp( \(in .*\))?\$" "thread root"
	has "^pid:\[$n_kid\] \(hidden\)\$" "children ns header"
	has "^${T}pid_for_children of process $kid \(sleep 1000\); release: kill $kid( |\$)" "children root"
	has "^${T}fd $fd_fd of process $fdp \(.*nshold fd uts\); release: close fd $fd_fd of $fdp \(nshold\), or kill $fdp( |\$)" "fd root"
	[ -z "$n_sock" ] || has "^${T}socket fd $fd_sock of process $sockp \(.*\); release: close fd $fd_sock of $sockp \(nshold\), or kill $sockp( |\$)" "socket root"
	if [ -n "$n_tun" ]; then
		has "^${T}tun $ifname fd $fd_tun of process $tunp \(.*\); release: close fd $fd_tun of $tunp \(nshold\), or kill $tunp( |\$)" "tun root"
	fi
	has "^${T}bind-mount $W/netns; release: umount $W/netns\$" "bind mount root"
	# The text shows the escape character escaped, in the path and in the hint.
	has "^${T}bind-mount $W/a b'c\\\\x1b; release: umount '$W/a b'\"'\"'c\\\\x1b'\$" "quoted bind mount root"
	has "^net:\[$n_named\] \(hidden\) ip netns $TAG\$" "named netns header"
	has "^${T}bind-mount /run/netns/$TAG; release: ip netns del $TAG\$" "ip netns root"
	has "^${T}bind-mount $W/inner in mnt:\[$m_inner\]; release: nsenter -t $mp -m umount $W/inner\$" \
	    "bind mount in a process's mount ns"
	! grep -q $'\e' "$W/out" || miss "a raw escape character reached the terminal"
}

# --- JSON: the same, as data; holders as -J writes them, plus release.
# rel NS JQ-SELECT WANT WHAT: the holder of NS that JQ-SELECT picks has
# release WANT (a regex).
JQM='def mnt: .mntns // .copies[0].mntns;'	# one copy's, or the mount's
rel() {
	jq -e --argjson n "$1" --arg want "$3" "$JQM [.namespaces[] | select(.ns == \$n) |
	    .holders[] | select($2)] | length == 1 and (.[0].release | test(\$want))" \
	    "$W/out.json" >/dev/null && return 0
	jq -c --argjson n "$1" '.namespaces[] | select(.ns == $n)' "$W/out.json"
	miss "JSON: $4"
}
check_json() {
	jq -e '.namespaces | length' "$W/out.json" >/dev/null || miss "no JSON document"
	[ "$(jq --argjson n "$n_proc" '[.namespaces[] | select(.ns == $n)] | length' "$W/out.json")" -eq 1 ] ||
	    miss "JSON: a namespace named twice is explained twice"
	rel "$n_proc" ".kind == \"process\" and .pid == $proc and .count == 1" "^kill $proc( |\$)" "process"
	rel "$n_thr" ".kind == \"thread\" and .pid == $thrp and .tid == $tid" "^kill $thrp( |\$)" "thread"
	rel "$n_kid" ".kind == \"children\" and .pid == $kid and .entry == \"pid_for_children\"" \
	    "^kill $kid( |\$)" "children"
	rel "$n_fd" ".kind == \"fd\" and .pid == $fdp and .fd == $fd_fd" \
	    "^close fd $fd_fd of $fdp \\(nshold\\), or kill $fdp( |\$)" "fd"
	[ -z "$n_sock" ] || rel "$n_sock" ".kind == \"socket\" and .pid == $sockp and .fd == $fd_sock" \
	    "^close fd $fd_sock of $sockp \\(nshold\\)" "socket"
	[ -z "$n_tun" ] || rel "$n_tun" ".kind == \"tun\" and .pid == $tunp and .ifname == \"$ifname\"" \
	    "^close fd $fd_tun of $tunp \\(nshold\\)" "tun"
	rel "$n_bind" ".kind == \"bind-mount\" and .path == \"$W/netns\" and mnt == $hostmnt" "^umount $W/netns\$" "bind mount"
	jq -e --argjson n "$n_odd" --argjson m "$hostmnt" --arg p "$odd" --arg r "umount '$W/a b'\"'\"'c"$'\e'"'" \
	    "$JQM"'[.namespaces[] | select(.ns == $n) | .holders[] | select(.kind == "bind-mount" and
	    .path == $p and mnt == $m)] | length == 1 and .[0].release == $r' "$W/out.json" >/dev/null ||
	    miss "JSON: quoted bind mount: $(jq -c --argjson n "$n_odd" '.namespaces[] | select(.ns == $n)' "$W/out.json")"
	rel "$n_named" ".kind == \"bind-mount\" and .path == \"/run/netns/$TAG\" and mnt == $hostmnt" \
	    "^ip netns del $TAG\$" "ip netns"
	rel "$n_inner" ".kind == \"bind-mount\" and mnt == $m_inner" \
	    "^nsenter -t $mp -m umount $W/inner\$" "bind mount in a process's mount ns"
	jq -e --argjson n "$n_named" --arg t "$TAG" '.namespaces[] | select(.ns == $n) |
	    .names == [$t] and .hidden and (.initial | not) and .type == "net"' "$W/out.json" >/dev/null ||
	    miss "JSON: the named netns object"
	# Roots lead nowhere: none of ours has a via (a copy of our mounts in a
	# mount namespace another test hides meanwhile would).
	jq -e --argjson m "[$hostmnt, $m_inner]" "$JQM"'[.namespaces[].holders[] | select(has("via") and
	    (.kind != "bind-mount" or (mnt as $x | $m | index($x))))] | length == 0' \
	    "$W/out.json" >/dev/null || miss "JSON: a root has a via"

}

# Each check records what it missed (miss) and goes on.  Up to three
# scans: another nsfind running at the same moment holds our namespaces
# by fds (see README, known limits).
hostmnt=$(ns_ino $$ mnt)
MISS=
miss() { [ -n "$MISS" ] || MISS="$*"; return 1; }
for try in 1 2 3; do
	MISS=
	if nsfind3 --why "${args[@]}" >"$W/out" 2>"$W/err"; then
		check_text
	else
		miss "nsfind --why exited $?: $(cat "$W/err")"
	fi
	if nsfind3 --why -J "${args[@]}" >"$W/out.json" 2>"$W/err"; then
		check_json
	else
		miss "nsfind --why -J exited $?: $(cat "$W/err")"
	fi
	[ -z "$MISS" ] && break
	[ "$try" -lt 3 ] || fail "$MISS"
	echo "note: try $try missed: $MISS; again"
done
exit 0
