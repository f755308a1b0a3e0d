#!/bin/bash
# Hidden, nested: a mount namespace M1 held only by an fd of ours; inside
# it, M2 bind-mounted on a file; inside M2, M3 likewise; inside M3, a
# network namespace bind-mounted on a file.  No process is in any of them.
# Every one is listed and hidden, each with its own holder, and the
# netns's chain runs through every mount down from M1.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

# Every mount namespace here is private: mount ns files may be mounted.
# The kernel also refuses (EINVAL) to mount a mount ns file in a mount ns
# whose id is not lower, and on 6.18 ids come from per-CPU blocks: made on
# two CPUs, M2 may get a lower id than M1.  One CPU keeps them in order.
need_cmd taskset
cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
HOLD_WRAP="taskset -c $cpu"
touch "$W/m2" "$W/m3" "$W/netns" || fail "touch"
inner="unshare --net=$W/netns true && stat -c %i $W/netns >$W/n.ino"
mid="unshare --mount=$W/m3 --propagation private sh -c '$inner' &&
    stat -c %i $W/m3 >$W/m3.ino"
hold h mnt "unshare --mount=$W/m2 --propagation private sh -c \"$mid\" &&
    stat -c %i $W/m2 >$W/m2.ino"
m1=$(field "$W/h" mnt 2) fd=$(field "$W/h" mnt 3)
m2=$(cat "$W/m2.ino") m3=$(cat "$W/m3.ino") n=$(cat "$W/n.ino")
[ -n "$m2" ] && [ -n "$m3" ] && [ -n "$n" ] || fail "could not build it"
ours "$m1" "$m2" "$m3" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
for i in "$m1" "$m2" "$m3" "$n"; do
	ok "$i listed once, hidden" 'ns($i) | length == 1 and .[0].hidden' --argjson i "$i"
done
ok "M1 held by the fd" \
    'ns($m1)[0] | .type == "mnt" and held == [{kind: "fd", pid: $p, tid: null, fd: $fd}]' \
    --argjson m1 "$m1" --argjson p "$HP" --argjson fd "$fd"
ok "M2 held by a bind mount in M1" \
    'ns($m2)[0] | .type == "mnt" and held == [{kind: "bind-mount",
	path: $p, mntns: $m1, chain: "\($p) in mnt:[\($m1)]"}]' \
    --argjson m1 "$m1" --argjson m2 "$m2" --arg p "$W/m2"
ok "M3 held by a bind mount in M2" \
    'ns($m3)[0] | .type == "mnt" and held == [{kind: "bind-mount",
	path: $p, mntns: $m2, chain: "\($w)/m2 » \($p) in mnt:[\($m1)]"}]' \
    --argjson m1 "$m1" --argjson m2 "$m2" --argjson m3 "$m3" \
    --arg p "$W/m3" --arg w "$W"
ok "netns held by a bind mount in M3, chained from M1" \
    'ns($n)[0] | .type == "net" and held == [{kind: "bind-mount",
	path: $p, mntns: $m3,
	chain: "\($w)/m2 » \($w)/m3 » \($p) in mnt:[\($m1)]"}]' \
    --argjson m1 "$m1" --argjson m3 "$m3" --argjson n "$n" \
    --arg p "$W/netns" --arg w "$W"

exit 0
