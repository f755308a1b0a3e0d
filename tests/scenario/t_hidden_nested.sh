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
OURS="[]"	# inodes of our namespaces, shown when a check fails
PIDS="[]"	# our processes: only their fds count as holders here

# ours INO... / pids PID...: remember our namespaces / processes.
ours() { OURS=$(jq -nc --argjson a "$OURS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
pids() { PIDS=$(jq -nc --argjson a "$PIDS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
# unmount_later PATH: our mount on PATH goes when the test ends; lazily
# when busy (a running nsfind keeps files open through the mount).
unmount_later() {
	local q
	q=$(printf %q "$1")
	on_exit "umount $q || umount -l $q"
}
# settle CMD...: wait up to 30 s for a condition of our own setup (the
# machine may be busy with other tests and a benchmark).
settle() {
	local i
	for i in $(seq 300); do "$@" && return 0; sleep 0.1; done
	return 1
}
# scan [ARGS...]: nsfind -J ARGS into $W/out.json; it must succeed.
scan() {
	nsfind -J "$@" >"$W/out.json" 2>"$W/err" ||
	    fail "nsfind -J $* exited $?: $(cat "$W/err")"
}
# jq: ns($i) is the list of namespaces with inode $i (one, when all is
# well); held is a namespace's holders cut to the fields checked here,
# and to what is ours: other processes' fds (another nsfind running holds
# every namespace for a moment) and bind mounts in other mount namespaces
# (one made meanwhile copies our mounts) are left out.
JQDEFS='def ns($i): [.namespaces[] | select(.ns == $i)];
def held: [.holders[] | select((.kind == "fd" or .kind == "socket" or
	.kind == "tun" | not) or (.pid as $p | $pids | index($p))) |
	select(.kind != "bind-mount" or
	(.mntns as $m | $ours + [$hostmnt] | index($m))) |
	{kind} + if .kind == "bind-mount" then {path, mntns, chain}
	elif .kind == "owner" or .kind == "parent" then {count, ns, type}
	elif .kind == "tun" then {pid, tid, fd, ifname}
	elif .kind == "fd" or .kind == "socket" then {pid, tid, fd} else {} end];'
# ok DESC FILTER [JQ ARGS...]: FILTER holds on the last scan.
ok() {
	local d=$1 f=$2
	shift 2
	jq -e --argjson pids "$PIDS" --argjson ours "$OURS" --argjson hostmnt \
	    "$(ns_ino $$ mnt)" "$@" "$JQDEFS $f" "$W/out.json" >/dev/null &&
	    return 0
	echo "--- what nsfind says about ours ($OURS):"
	jq -c --argjson o "$OURS" '.namespaces[] | select(.ns as $n | $o |
	    index($n)) | {ns, type, hidden, holders}' "$W/out.json"
	jq -c .notes "$W/out.json"
	fail "$d"
}
# hold NAME ARGS...: nshold ARGS in the background, its pid in HP and its
# lines in $W/NAME; killed when the test ends.  HOLD_WRAP prefixes it.
hold() {
	local out=$W/$1
	shift
	[ -x "$HELPERS/nshold" ] || skip "needs $HELPERS/nshold (make unit)"
	${HOLD_WRAP:-} "$HELPERS/nshold" "$@" >"$out" 2>"$out.err" &
	HP=$!
	on_exit "kill_tree $HP"
	pids "$HP"
	settle grep -sqx ready "$out" || fail "nshold $*: $(cat "$out.err")"
}
# field FILE TYPE N: field N of nshold's line for TYPE.
field() { awk -v t="$2" -v n="$3" '$1 == t { print $n; exit }' "$1"; }

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
