#!/bin/bash
# Hidden: a user namespace whose only reference is a network namespace it
# owns (the netns bind-mounted on a file of ours, no process in either) is
# listed, hidden, with the holder "owner" naming that netns; the netns
# names it as its owner.
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

# util-linux cannot persist a netns made with --user (its bind mount is
# refused), so bind-mount it ourselves while the process is still there.
nf=$W/netns
touch "$nf" || fail "touch"
unshare --user --map-root-user --net sleep 1000 &
sp=$!
on_exit "kill_tree $sp"
moved() { [ "$(ns_ino "$sp" user)" != "$(ns_ino $$ user)" ] && [ "$(cat /proc/$sp/comm)" = sleep ]; }
settle moved || fail "unshare --user --net did not start"
u=$(ns_ino "$sp" user) n=$(ns_ino "$sp" net)
unmount_later "$nf"
mount --bind "/proc/$sp/ns/net" "$nf" || fail "bind the netns"
kill_tree "$sp"
[ ! -e "/proc/$sp" ] || fail "the process stayed"
ours "$u" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
ok "netns listed once, hidden, owned by the user ns" \
    'ns($n) | length == 1 and .[0].hidden and .[0].ons == $u' \
    --argjson n "$n" --argjson u "$u"
ok "user ns listed once, hidden" \
    'ns($u) | length == 1 and .[0].type == "user" and .[0].hidden' --argjson u "$u"
ok "user ns held only as owner of the netns" \
    '(ns($u)[0] | held) == [{kind: "owner", count: 1, ns: $n, type: "net"}]' \
    --argjson n "$n" --argjson u "$u"

exit 0
