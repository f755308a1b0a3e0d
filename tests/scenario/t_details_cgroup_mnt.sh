#!/bin/bash
# DETAILS of a cgroup namespace whose root is a cgroup the test makes (its
# root as the host names it), and of a mount namespace whose root is a
# tmpfs the test pivots into (the number of mounts, the root's source).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
need_cmd findmnt
scratch

det() { nsfind -l -n -u -W -o DETAILS "$1" 2>"$SCRATCH/err" || fail "nsfind: $(cat "$SCRATCH/err")"; }

# The unified hierarchy: /sys/fs/cgroup, or .../unified on a hybrid layout.
cg=$(findmnt -t cgroup2 -n -o TARGET | head -n 1)
[ -n "$cg" ] || skip "no cgroup2 hierarchy mounted"
mkdir "$cg/$TAG" || fail "cannot make cgroup $cg/$TAG"
on_exit "rmdir '$cg/$TAG'"
mkdir "$cg/$TAG/sub" || fail "cannot make cgroup $cg/$TAG/sub"
on_exit "rmdir '$cg/$TAG/sub'"
# The namespace's root is $TAG; its task then moves one level down, so the
# root is not simply the task's cgroup.
sh -c "echo \$\$ >'$cg/$TAG/cgroup.procs' && exec unshare --cgroup sh -c \
    'echo \$\$ >$cg/$TAG/sub/cgroup.procs && exec sleep 1000'" &
c=$!
on_exit "kill_tree $c"
wait_exec "$c" sleep || fail "the sleep did not start"
grep -qx "0::/$TAG/sub" "/proc/$c/cgroup" || fail "the sleep is not in /$TAG/sub: $(cat /proc/$c/cgroup)"
cns=$(ns_ino "$c" cgroup)
[ "$cns" != "$(ns_ino $$ cgroup)" ] || fail "no new cgroup namespace"
got=$(det "$cns")
[ "$got" = "root /$TAG" ] || fail "cgroup ns $cns: want 'root /$TAG', got '$got'"
nsfind -J "$cns" >"$SCRATCH/c.json" 2>/dev/null || fail "nsfind -J $cns"
jq -e --arg r "/$TAG" '.namespaces[0].details == {root: $r}' "$SCRATCH/c.json" >/dev/null ||
    fail "-J details of cgroup ns: $(jq -c '.namespaces[0].details' "$SCRATCH/c.json")"

# A mount namespace whose root is a tmpfs named by the test, with one more
# tmpfs mounted in it and nothing else: the old root goes (umount -l), so
# that what others mount or unmount on this machine meanwhile, copied into
# the new namespace at unshare time, does not change its count.
bb=$(command -v busybox) || skip "needs busybox"
mkdir "$SCRATCH/root"
unshare --mount --fork sh -c "mount -t tmpfs nsftroot$$ '$SCRATCH/root' &&
    cp '$bb' '$SCRATCH/root/busybox' && cd '$SCRATCH/root' && mkdir old sub &&
    pivot_root . old && ./busybox umount -l /old &&
    ./busybox mount -t tmpfs nsftsub$$ /sub && exec ./busybox sleep 1000" &
m=$!
on_exit "kill_tree $m"
ms=$(first_child "$m") || fail "no process in the new mount namespace"
wait_exec "$ms" busybox || fail "the pivoted sleep did not start"
mns=$(ns_ino "$ms" mnt)
# The truth, as the sleep's mountinfo has it too: two mounts, the root's
# source the test's name.
n=$(grep -c '' "/proc/$ms/mountinfo")
src=$(awk '$5 == "/" { sub(/.* - /, ""); split($0, f, " "); s = f[2] } END { print s }' "/proc/$ms/mountinfo")
[ "$n" -eq 2 ] && [ "$src" = "nsftroot$$" ] ||
    fail "setup: want 2 mounts and root nsftroot$$, mountinfo has $n and '$src'"
got=$(det "$mns")
[ "$got" = "2 mounts, root nsftroot$$" ] ||
    fail "mnt ns $mns: want '2 mounts, root nsftroot$$', got '$got'"
nsfind -J "$mns" >"$SCRATCH/m.json" 2>/dev/null || fail "nsfind -J $mns"
jq -e --arg s "nsftroot$$" '.namespaces[0].details ==
    {mounts: 2, root_source: $s}' "$SCRATCH/m.json" >/dev/null ||
    fail "-J details of mnt ns: $(jq -c '.namespaces[0].details' "$SCRATCH/m.json")"
exit 0
