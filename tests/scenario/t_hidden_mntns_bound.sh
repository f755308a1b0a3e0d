#!/bin/bash
# Hidden: a network namespace bind-mounted inside a mount namespace that
# has no process, the mount namespace itself kept by a bind mount on a
# file of ours (`unshare --mount=FILE`).  Both are listed and hidden; the
# netns's holder is a bind mount in that mount namespace, and its chain
# leads from our file to the inner path.
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

# A mount namespace file may only be bind-mounted where the mount does not
# propagate (the kernel refuses to copy it to peers): a private mount.
mkdir "$W/priv" || fail "mkdir"
mount --bind "$W/priv" "$W/priv" || fail "bind $W/priv"
unmount_later "$W/priv"
mount --make-private "$W/priv" || fail "make-private"
mf=$W/priv/mntns nf=$W/netns
touch "$mf" "$nf" || fail "touch"
unmount_later "$mf"
unshare --mount="$mf" --propagation private \
    sh -c "unshare --net='$nf' true && stat -c %i '$nf' >'$W/netino'" ||
    fail "unshare --mount=$mf"
m=$(stat -c %i "$mf") n=$(cat "$W/netino")
[ -n "$n" ] && [ "$n" != "$(stat -c %i "$nf")" ] || fail "inner mount leaked out"
ours "$m" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
ok "mount ns listed once, hidden" \
    'ns($m) | length == 1 and .[0].type == "mnt" and .[0].hidden' --argjson m "$m"
ok "mount ns held by our bind mount" \
    '(ns($m)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $h, chain: $p}]' \
    --argjson m "$m" --arg p "$mf" --argjson h "$(ns_ino $$ mnt)"
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "netns held by a bind mount in the hidden mount ns, chained from ours" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m,
	chain: "\($mf) » \($p)"}]' \
    --argjson n "$n" --arg p "$nf" --argjson m "$m" --arg mf "$mf"

exit 0
