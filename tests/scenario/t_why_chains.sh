#!/bin/bash
# --why, several hops, each followed down to a root a person can act on:
#  - two hops: a netns bind-mounted in a mount namespace no task is in,
#    which is bind-mounted on a file of ours;
#  - three hops: a netns bind-mounted in mount namespace Ma, Ma
#    bind-mounted in mount namespace Mb, Mb held only by an fd in the own
#    fd table of a thread;
#  - owner: a user namespace kept only as the owner of a netns that an fd
#    holds;
#  - owner and parent: a user namespace U1 no task is in, owner and parent
#    of U2 that a process is in: U2 is explained once, then "shown above".
# The text tree and the JSON "via" objects are checked, and the release
# hints at every level (never run): the nsenter chain into each hidden
# mount namespace.  Then --why --hidden explains all of them.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd unshare
need_cmd taskset
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"
# nsfind3 ARGS...: nsfind, where exit status 3 (it knows it missed
# something: a limit, a hang) still gives whole trees for what it found.
nsfind3() { nsfind "$@" || [ $? -eq 3 ]; }
scratch
hostmnt=$(ns_ino $$ mnt)

# A mount namespace file may be bind-mounted only where the mount does not
# propagate, and (6.18) only in a mount namespace with a lower id; ids come
# from per-CPU blocks, so everything here runs on one CPU.
cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
mkdir "$W/priv" || fail "mkdir"
mount --bind "$W/priv" "$W/priv" || fail "bind $W/priv"
unmount_later "$W/priv"
mount --make-private "$W/priv" || fail "make-private"

# --- two hops: net N2 in mount ns M (no task), M bound on $W/priv/m.
touch "$W/priv/m" "$W/n2" || fail "touch"
unmount_later "$W/priv/m"
taskset -c "$cpu" unshare --mount="$W/priv/m" --propagation private \
    sh -c "unshare --net='$W/n2' true && stat -c %i '$W/n2' >'$W/n2.ino'" ||
    fail "unshare --mount=$W/priv/m"
m=$(stat -c %i "$W/priv/m") n2=$(cat "$W/n2.ino")
[ -n "$n2" ] || fail "two hops: not built"

# --- three hops: net N3 in Ma, Ma bound on $W/ma inside Mb, Mb held by a
# thread's own fd.  Mb is made with a process in it, so that the thread
# opens /proc/PID/ns/mnt (an fd that reads as mnt:[...]); then the process
# goes.
build_c thrfd <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
/* A second thread with a fd table of its own opens argv[1] and keeps it. */
static const char *path;
static void *thr(void *a)
{
	int fd;
	(void)a;
	if (unshare(CLONE_FILES) < 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		perror("thrfd");
		_exit(1);
	}
	printf("%ld %d\nready\n", (long)syscall(SYS_gettid), fd);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}
int main(int argc, char **argv)
{
	pthread_t t;
	if (argc != 2)
		return 2;
	path = argv[1];
	pthread_create(&t, NULL, thr, NULL);
	for (;;)
		pause();
}
EOF
touch "$W/ma" "$W/n3" || fail "touch"
cat >"$W/in_ma.sh" <<EOF
unshare --net='$W/n3' true && stat -c %i '$W/n3' >'$W/n3.ino'
EOF
cat >"$W/in_mb.sh" <<EOF
unshare --mount='$W/ma' --propagation private sh '$W/in_ma.sh' &&
    stat -c %i '$W/ma' >'$W/ma.ino' && exec sleep 1000
EOF
taskset -c "$cpu" unshare --mount --propagation private sh "$W/in_mb.sh" &
mbp=$!
on_exit "kill_tree $mbp"
settle wait_exec "$mbp" sleep || fail "three hops: Mb's process did not start"
mb=$(ns_ino "$mbp" mnt) ma=$(cat "$W/ma.ino") n3=$(cat "$W/n3.ino")
[ -n "$ma" ] && [ -n "$n3" ] || fail "three hops: not built"
"$SCRATCH/thrfd" "/proc/$mbp/ns/mnt" >"$W/thr" 2>&1 &
tp=$!
on_exit "kill_tree $tp"
settle grep -qx ready "$W/thr" || fail "thrfd: $(cat "$W/thr")"
read -r tid tfd <"$W/thr"
kill_tree "$mbp"
pids "$tp"

# --- owner: user ns U owns net N4; N4 held by fd 7 of a sleep of ours.
unshare --user --map-root-user --net sleep 1000 &
up=$!
on_exit "kill_tree $up"
moved() { [ "$(ns_ino "$up" user)" != "$(ns_ino $$ user)" ] && [ "$(cat /proc/$up/comm)" = sleep ]; }
settle moved || fail "unshare --user --net did not start"
u=$(ns_ino "$up" user) n4=$(ns_ino "$up" net)
sleep 1000 7<"/proc/$up/ns/net" &
fp=$!
on_exit "kill_tree $fp"
kill_tree "$up"
pids "$fp"

# --- owner and parent: U1 (no task) owner and parent of U2 (a process).
unshare --user --map-root-user sh -c 'unshare --user --map-root-user sleep 1000 & echo $! >'"'$W/u2p'"'; wait' &
u1p=$!
on_exit "kill_tree $u1p"
settle test -s "$W/u2p" || fail "nested user namespaces did not start"
u2p=$(cat "$W/u2p")
on_exit "kill -KILL $u2p"
settle wait_exec "$u2p" sleep || fail "nested user namespaces did not start"
u1=$(ns_ino "$u1p" user) u2=$(ns_ino "$u2p" user)
kill -KILL "$u1p"
wait "$u1p" 2>/dev/null
settle test ! -e "/proc/$u1p" || fail "the outer process stayed"
[ "$u1" != "$u2" ] || fail "U2 is not nested"

# === text
# block NS: the tree of namespace NS in the text output.
block() { awk -v h="$1" 'index($0, h) == 1 { on = 1 } on && /^$/ { exit } on' "$W/out"; }
# has NS LINE-REGEX WHAT: a line of NS's tree matches.
has() {
	block "$1" | grep -Eq -- "$2" && return 0
	block "$1"
	miss "$3: no line matching: $2"
}
T='(├─|└─|\|-|`-) '
I='(│  |\|  |   )'
# The way into Mb is through an fd that holds it: the thread's, or one of
# another nsfind that is reading it at the time; into Ma, through Mb and
# then Ma's mount there, or straight through such an nsfind's fd on Ma.
enter_mb='nsenter --mount=/proc/[0-9]+(/task/[0-9]+)?/fd/[0-9]+'
enter_ma="$enter_mb( nsenter --mount=$W/ma)?"

check_text() {
	has "net:[$n2]" "^net:\[$n2\] \(hidden\)\$" "two hops: header"
	has "net:[$n2]" "^${T}bind-mount $W/n2 in mnt:\[$m\] \(hidden\); release: nsenter --mount=$W/priv/m umount $W/n2\$" \
	    "two hops: the mount in M"
	has "net:[$n2]" "^${I}${T}bind-mount $W/priv/m; release: umount $W/priv/m\$" \
	    "two hops: M's mount, a root"

	has "net:[$n3]" "^${T}bind-mount $W/n3 in mnt:\[$ma\] \(hidden\); release: $enter_ma umount $W/n3\$" \
	    "three hops: the mount in Ma"
	has "net:[$n3]" "^${I}${T}bind-mount $W/ma in mnt:\[$mb\] \(hidden\); release: $enter_mb umount $W/ma\$" \
	    "three hops: Ma's mount in Mb"
	has "net:[$n3]" "^${I}${I}${T}fd $tfd of thread $tid of process $tp \(.*thrfd /proc/$mbp/ns/mnt\); release: close fd $tfd of thread $tid of $tp \(thrfd\), or kill $tp( |\$)" \
	    "three hops: Mb's fd in a thread, a root"

	has "user:[$u]" "^${T}owner of net:\[$n4\] \(hidden\)\$" "owner: the owned netns"
	has "user:[$u]" "^${I}${T}fd 7 of process $fp \(sleep 1000\); release: close fd 7 of $fp \(sleep\), or kill $fp( |\$)" \
	    "owner: the netns's fd, a root"

	has "user:[$u1]" "^${T}owner of user:\[$u2\]\$" "owner and parent: owner"
	has "user:[$u1]" "^${I}${T}process $u2p \(sleep 1000\); release: kill $u2p( |\$)" "owner and parent: U2's process"
	has "user:[$u1]" "^${T}parent of user:\[$u2\]; user:\[$u2\] shown above\$" "owner and parent: parent, once"
}

# === JSON: the same tree as "via" objects.
# j DESC FILTER: FILTER holds on the JSON document.  mnt: a bind mount's
# mount namespace, whether its object has "mntns" or one of "copies".
JQM='def mnt: .mntns // .copies[0].mntns;'
j() {
	jq -e --argjson hostmnt "$hostmnt" "$JQM $2" "$W/out.json" >/dev/null && return 0
	jq -c . "$W/out.json" | head -c 4000
	echo
	miss "JSON: $1"
}
check_json() {
	j "two hops" ".namespaces[] | select(.ns == $n2) | .hidden and
	    ([.holders[] | select(.kind == \"bind-mount\" and mnt == $m)] | length == 1) and
	    (.holders[] | select(.kind == \"bind-mount\" and mnt == $m) |
		.path == \"$W/n2\" and .release == \"nsenter --mount=$W/priv/m umount $W/n2\" and
		.via.ns == $m and .via.type == \"mnt\" and .via.hidden and
		([.via.holders[] | select(.kind == \"bind-mount\" and mnt == \$hostmnt) |
		    {kind, path, release, via}] ==
		    [{kind: \"bind-mount\", path: \"$W/priv/m\", release: \"umount $W/priv/m\", via: null}]))"
	j "three hops" ".namespaces[] | select(.ns == $n3) | .holders[] |
	    select(.kind == \"bind-mount\" and mnt == $ma) |
	    (.release | test(\"^$enter_ma umount $W/n3\$\")) and
	    .via.ns == $ma and (.via.holders[] | select(.kind == \"bind-mount\" and mnt == $mb) |
		(.release | test(\"^$enter_mb umount $W/ma\$\")) and .via.ns == $mb and
		(.via.holders[] | select(.kind == \"fd\" and .pid == $tp) |
		    .tid == $tid and .fd == $tfd and (has(\"via\") | not) and
		    (.release | startswith(\"close fd $tfd of thread $tid of $tp (thrfd), or kill $tp\"))))"
	j "owner" ".namespaces[] | select(.ns == $u) | .type == \"user\" and
	    (.holders[] | select(.kind == \"owner\") | .ns == $n4 and .count == 1 and .release == null and
		.via.ns == $n4 and .via.type == \"net\" and
		(.via.holders[] | select(.kind == \"fd\" and .pid == $fp) | .fd == 7 and
		    (.release | startswith(\"close fd 7 of $fp (sleep), or kill $fp\"))))"
	j "owner and parent" ".namespaces[] | select(.ns == $u1) |
	    (.holders[] | select(.kind == \"owner\") | .via.ns == $u2 and
		(.via.holders[] | select(.kind == \"process\") | .pid == $u2p and (.release | test(\"^kill $u2p( |$)\")))) and
	    (.holders[] | select(.kind == \"parent\") | .via == {ns: $u2, type: \"user\", repeated: true})"
}

# Each check below records what it missed (miss) and goes on.  The scans
# run up to three times: another nsfind running at the same moment holds
# our namespaces by fds, and has a child in a hidden mount namespace (which
# is then not hidden) while it reads it.
MISS=
miss() { [ -n "$MISS" ] || MISS="$*"; return 1; }
for try in 1 2 3; do
	MISS=
	nsfind3 --why "$n2" "$n3" "$u" "$u1" >"$W/out" 2>"$W/err" ||
	    fail "nsfind --why exited $?: $(cat "$W/err")"
	check_text
	nsfind3 --why -J "$n2" "$n3" "$u" "$u1" >"$W/out.json" 2>"$W/err" ||
	    fail "nsfind --why -J exited $?: $(cat "$W/err")"
	check_json
	[ -z "$MISS" ] && break
	[ "$try" -lt 3 ] || fail "$MISS"
	echo "note: try $try missed: $MISS; again"
done

# === --why --hidden: every hidden one of ours, each explained; again up
# to three times, as above.
check_hidden() {
	local i
	nsfind3 --why --hidden -J >"$W/hid.json" 2>"$W/err" ||
	    fail "nsfind --why --hidden -J exited $?: $(cat "$W/err")"
	for i in "$n2" "$m" "$n3" "$ma" "$mb" "$u" "$n4" "$u1"; do
		jq -e --argjson i "$i" '[.namespaces[] | select(.ns == $i)] | length == 1 and
		    (.[0] | .hidden and (.holders | length > 0))' "$W/hid.json" >/dev/null ||
		    miss "--why --hidden: $i not explained once"
	done
	jq -e --argjson i "$u2" '[.namespaces[] | select(.ns == $i)] | length == 0' "$W/hid.json" >/dev/null ||
	    miss "--why --hidden: explains $u2, which a process is in"
	nsfind3 --why --hidden >"$W/hid" 2>"$W/err" || fail "nsfind --why --hidden exited $?: $(cat "$W/err")"
	for i in "net:[$n2]" "mnt:[$m]" "net:[$n3]" "mnt:[$ma]" "mnt:[$mb]" "user:[$u]" "net:[$n4]" "user:[$u1]"; do
		grep -qF -x "$i (hidden)" "$W/hid" || miss "--why --hidden: no tree for $i"
	done
	nsfind3 --why --hidden -t user >"$W/hidu" 2>"$W/err" || fail "nsfind --why --hidden -t user exited $?"
	grep -qF -x "user:[$u1] (hidden)" "$W/hidu" && ! grep -qF -x "net:[$n2] (hidden)" "$W/hidu" ||
	    miss "--why --hidden -t user: not only user namespaces"
}
for try in 1 2 3; do
	MISS=
	check_hidden
	[ -z "$MISS" ] && break
	[ "$try" -lt 3 ] || fail "$MISS"
	echo "note: try $try missed: $MISS; again"
done

exit 0
