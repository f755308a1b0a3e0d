#!/bin/bash
# Hidden: a network namespace bind-mounted on an arbitrary file outside
# /run/netns, with no process in it, is listed with a bind-mount holder
# naming that path in our mount namespace.  A path with a space, a tab, a
# newline and a backslash comes out raw in JSON and escaped on one line in
# the table.
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

host_mnt=$(ns_ino $$ mnt)
plain=$W/netns
odd=$W/$'a b\tc\nd\\e'
for f in "$plain" "$odd"; do
	touch "$f" || fail "touch"
	unmount_later "$f"
	unshare --net="$f" true || fail "unshare --net=$f"
done
n1=$(stat -c %i "$plain") n2=$(stat -c %i "$odd")
ours "$n1" "$n2"
[ "$n1" != "$n2" ] || fail "two bind mounts of one netns"

# One scan: --hidden must list them, with all they say.
scan --hidden
for n in "$n1" "$n2"; do
	ok "netns $n listed once, type net, hidden" \
	    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' \
	    --argjson n "$n"
done
ok "bind-mount holder of $plain" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m, chain: $p}]' \
    --argjson n "$n1" --arg p "$plain" --argjson m "$host_mnt"
ok "odd path raw in JSON" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m, chain: $p}]' \
    --argjson n "$n2" --arg p "$odd" --argjson m "$host_mnt"

# The table: one line for the odd one, its path escaped, nothing raw.
nsfind -o NS,HOLDERS -u >"$W/table" 2>"$W/err" || fail "nsfind -o NS,HOLDERS -u"
want="bind-mount($W/a b\\tc\\nd\\\\e)"
line=$(grep "^ *$n2 " "$W/table") || fail "no table line for $n2"
[ "$(grep -c "^ *$n2 " "$W/table")" -eq 1 ] || fail "$n2 on more than one line"
# Ours is the mount in our mount ns, "bind-mount(PATH)" with nothing after
# PATH: copies in mount namespaces made meanwhile may follow it.
case "$line" in
*"$want"*) ;;
*) fail "table line for $n2: got '$line', want '$want' in it" ;;
esac
grep -q '^d' "$W/table" && fail "a raw newline split the path"
grep -qF "$(printf '\t')" "$W/table" && fail "a raw tab in the table"
exit 0
