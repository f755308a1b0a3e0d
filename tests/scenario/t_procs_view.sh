#!/bin/bash
# The process view (-P): one "PID NAMESPACE [CONTAINER] COMMAND" line per task
# and namespace outside the initial ones; kernel threads as [name]; `ip netns`
# names next to the namespace.  The container cell depends on where the test
# runs (a unit, a container), so lines are matched by their start and end.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch

# lines PID: the -P lines of PID, whitespace squeezed.
lines() { awk -v p="$1" '$1 == p { $1 = $1; print }' "$SCRATCH/procs"; }
# is_line LINE START END: LINE is "START END" or "START <container> END".
is_line() {
	case $1 in
	"$2 $3" | "$2 "*" $3") return 0 ;;
	esac
	return 1
}

# A process of ours in a new uts namespace, and nothing else new.
unshare --uts sleep 1000 &
u=$!
on_exit "kill_tree $u"
wait_exec "$u" sleep || fail "the sleep did not start"
uts=$(ns_ino "$u" uts)

# A process in a named network namespace (ip netns exec also gives it a
# mount namespace of its own, for /sys).
net='' n=''
if command -v ip >/dev/null 2>&1; then
	name="nsft-$$"
	if ip netns add "$name" 2>/dev/null; then
		on_exit "ip netns delete '$name'"
		ip netns exec "$name" sleep 1000 &
		n=$!
		on_exit "kill_tree $n"
		wait_exec "$n" sleep || fail "ip netns exec did not start the sleep"
		net=$(ns_ino "$n" net)
	else
		echo "note: ip netns add failed: names are not checked"
	fi
else
	echo "note: no ip(8): names are not checked"
fi

nsfind -P -n >"$SCRATCH/procs" 2>"$SCRATCH/err" || fail "nsfind -P failed: $(quiet_stderr "$SCRATCH/err")"

# Where the test itself runs outside the initial namespaces (a container),
# the sleep has lines for those too: only the lines that differ from the
# test's own namespaces are the sleep's own.
mine=$(for e in cgroup ipc mnt net pid pid_for_children time time_for_children user uts; do
	printf ':[%s]\n' "$(ns_ino $$ $e)"
done)
got=$(lines "$u" | grep -vF "$mine")
[ "$(grep -c . <<<"$got")" -eq 1 ] && is_line "$got" "$u uts:[$uts]" "sleep 1000" ||
    fail "nsfind -P: want the one line '$u uts:[$uts] sleep 1000', got: '$got'"

if [ -n "$net" ]; then
	got=$(lines "$n" | grep -F "net:[$net]")
	[ "$(grep -c . <<<"$got")" -eq 1 ] && is_line "$got" "$n net:[$net] ($name)" "sleep 1000" ||
	    fail "nsfind -P: want '$n net:[$net] ($name) sleep 1000', got: '$got' (all: $(lines "$n"))"
fi

# kdevtmpfs has a mount namespace of its own on most kernels.
k=$(pgrep -x kdevtmpfs | head -n 1)
if [ -z "$k" ]; then
	echo "note: no kdevtmpfs thread: kernel threads are not checked"
elif [ "$(cat /proc/2/comm 2>/dev/null)" != kthreadd ]; then
	echo "note: PID 2 is not kthreadd: kernel threads are not checked"
elif [ "$(ns_ino "$k" mnt)" = "$(ns_ino 2 mnt)" ]; then
	echo "note: kdevtmpfs is in the initial mount ns here: kernel threads are not checked"
else
	kmnt=$(ns_ino "$k" mnt)
	got=$(lines "$k")
	[ "$(grep -c . <<<"$got")" -eq 1 ] && is_line "$got" "$k mnt:[$kmnt]" "[kdevtmpfs]" ||
	    fail "nsfind -P: want '$k mnt:[$kmnt] [kdevtmpfs]', got: '$got'"
fi

# The same in JSON.
nsfind -P -J >"$SCRATCH/procs.json" 2>"$SCRATCH/err" || fail "nsfind -P -J failed: $(quiet_stderr "$SCRATCH/err")"
minej=$(tr -d ':[]' <<<"$mine" | jq -sc .)
got=$(jq -c --argjson p "$u" --argjson m "$minej" '[.tasks[] | select(.pid == $p and (.ns as $i | $m | index($i) | not)) | [.tid, .thread, .entry, .type, .ns, .command, .kthread]]' "$SCRATCH/procs.json")
[ "$got" = "[[$u,false,\"uts\",\"uts\",$uts,\"sleep 1000\",false]]" ] ||
    fail "nsfind -P -J: tasks of $u: $got"
if [ -n "$net" ]; then
	jq -e --argjson p "$n" --argjson i "$net" --arg nm "$name" \
	    '[.tasks[] | select(.pid == $p and .ns == $i and .names == [$nm])] | length == 1' \
	    "$SCRATCH/procs.json" >/dev/null || fail "nsfind -P -J: no net task of $n named $name"
fi
if [ -n "${kmnt:-}" ]; then
	jq -e --argjson p "$k" --argjson i "$kmnt" \
	    '[.tasks[] | select(.pid == $p and .ns == $i and .kthread and .command == "kdevtmpfs")] | length == 1' \
	    "$SCRATCH/procs.json" >/dev/null || fail "nsfind -P -J: no kthread task for kdevtmpfs ($k)"
fi
# Nothing initial in the process view.
if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	init=$(for t in cgroup ipc mnt net pid time user uts; do stat -L -c %i /proc/2/ns/$t; done | jq -sc .)
	jq -e --argjson k "$init" 'all(.tasks[]; .ns as $i | $k | index($i) | not)' "$SCRATCH/procs.json" >/dev/null ||
	    fail "nsfind -P -J shows initial namespaces"
fi
exit 0
