#!/bin/bash
# Hidden: a network namespace bind-mounted only inside a private mount
# namespace that has a process (the mount cannot be seen from ours) is
# found through that process, with a bind-mount holder whose mntns is the
# process's mount namespace.
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

f=$W/netns
touch "$f" || fail "touch"
unshare --mount --propagation private \
    sh -c "unshare --net='$f' true && exec sleep 1000" &
sp=$!
on_exit "kill_tree $sp"
mounted() { [ "$(cat /proc/$sp/comm)" = sleep ] && grep -qF " $f " /proc/$sp/mountinfo; }
settle mounted || fail "the private mount did not appear"
grep -qF " $f " /proc/self/mountinfo && fail "the mount is visible from here"
m=$(ns_ino "$sp" mnt)
n=$(stat -c %i "/proc/$sp/root$f") || fail "stat through /proc/$sp/root"
[ "$m" != "$(ns_ino $$ mnt)" ] || fail "no new mount namespace"
ours "$n" "$m"

scan
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "bind-mount holder in the private mount ns" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m,
	chain: "\($p) in mnt:[\($m)]"}]' \
    --argjson n "$n" --arg p "$f" --argjson m "$m"
ok "the mount ns is listed, not hidden" \
    'ns($m) | length == 1 and .[0].type == "mnt" and (.[0].hidden | not)' \
    --argjson m "$m"

scan --hidden
ok "--hidden lists the netns" 'ns($n) | length == 1' --argjson n "$n"
ok "--hidden leaves out the mount ns" 'ns($m) | length == 0' --argjson m "$m"
exit 0
