#!/bin/bash
# Holders summarised for people, complete for programs.  An `ip netns`
# mount copied into five mount namespaces made after it, and a uts
# namespace held only by three fds of one process:
#   -J   the copies of the mount are ONE holder object, {"kind":
#        "bind-mount", "path", "count", "copies": [{"mntns", "chain"}]},
#        with each mount namespace it appears in once (ours and the five
#        among them) and count == the number of copies; the three fds are
#        three fd objects; NSFS lists every copy.
#   text HOLDERS names the mount once, "bind-mount(PATH +N copies)" with
#        N = count - 1, and the fds once, "fd(PID:3 sleep +2 more)"; NSFS
#        names the path once.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd ip
scratch
W=$SCRATCH

NET=$TAG-a
ip netns add "$NET" || fail "ip netns add $NET"
on_exit "ip netns del $NET"
NETINO=$(stat -L -c %i "/run/netns/$NET") || fail "no /run/netns/$NET"
MNTS=("$(ns_ino $$ mnt)")
for i in 1 2 3 4 5; do
	unshare -m --propagation unchanged sleep 1000 </dev/null &
	p=$!
	on_exit "kill_tree $p"
	wait_for grep -qs "/run/netns/$NET " "/proc/$p/mountinfo" ||
	    fail "mount namespace $i has no copy of /run/netns/$NET"
	MNTS+=("$(ns_ino "$p" mnt)")
done

# A uts namespace that only three fds of one process hold.
unshare --uts sleep 1000 </dev/null &
S=$!
on_exit "kill_tree $S"
wait_exec "$S" sleep || fail "unshare did not start"
UTS=$(ns_ino "$S" uts)
bash -c 'exec 3<"$1" 4<"$1" 5<"$1"; exec sleep 1000' _ "/proc/$S/ns/uts" </dev/null &
H=$!
on_exit "kill_tree $H"
wait_for test -e "/proc/$H/fd/5" || fail "the fd holder did not open its fds"
wait_exec "$H" sleep || fail "the fd holder did not exec"
kill_tree "$S"

nsfind -J >"$W/j" 2>"$W/err" || fail "nsfind -J: $(cat "$W/err")"
mnts=$(printf '%s\n' "${MNTS[@]}" | jq -sc .)
jq -e --argjson n "$NETINO" --arg p "/run/netns/$NET" --argjson m "$mnts" '
    [.namespaces[] | select(.ns == $n)] | length == 1 and (.[0] |
    [.holders[] | select(.kind == "bind-mount" and .path == $p)] as $b |
    ($b | length) == 1 and ($b[0] |
	(.copies | length) == .count and
	([.copies[].mntns] | unique | length) == .count and
	([.copies[].mntns] as $have | $m | all(. as $x | $have | index($x)))
    ) and (.nsfs | length) == ($b[0].count))' "$W/j" >/dev/null || {
	jq -c --argjson n "$NETINO" '.namespaces[] | select(.ns == $n) | {holders, nsfs}' "$W/j"
	fail "-J: the copies of /run/netns/$NET are not one object with each of $mnts once"
}
COUNT=$(jq --argjson n "$NETINO" '.namespaces[] | select(.ns == $n) | .holders[] |
    select(.kind == "bind-mount") | .count' "$W/j")
jq -e --argjson u "$UTS" --argjson h "$H" '[.namespaces[] | select(.ns == $u)] |
    length == 1 and ([.[0].holders[] | select(.kind == "fd" and .pid == $h) | .fd] |
    sort == [3, 4, 5])' "$W/j" >/dev/null || {
	jq -c --argjson u "$UTS" '.namespaces[] | select(.ns == $u) | .holders' "$W/j"
	fail "-J: uts:[$UTS] is not held by fds 3, 4 and 5 of $H, one object each"
}

# Text: once each, with the count.
nsfind -o NS,NSFS,HOLDERS >"$W/t" 2>"$W/err" || fail "nsfind -o NS,NSFS,HOLDERS: $(cat "$W/err")"
line=$(grep "^ *$NETINO " "$W/t") || fail "no row for $NETINO"
n=$(grep -o "[ (,]/run/netns/$NET\b" <<<"$line" | wc -l)	# not /old/run/netns/... (a pivot_root elsewhere)
# Another mount namespace may come or go between the two runs.
got=$(grep -o "bind-mount(/run/netns/$NET +[0-9]* copies)" <<<"$line" | grep -o '+[0-9]*')
[ "$n" -eq 2 ] && [ -n "$got" ] && [ "${got#+}" -ge 5 ] ||
    fail "text: want /run/netns/$NET once in NSFS and once in HOLDERS, +N copies (N >= 5, JSON said $((COUNT - 1))): $line"
line=$(grep "^ *$UTS " "$W/t") || fail "no row for $UTS"
case $line in
*"fd($H:3 sleep +2 more)"*) ;;
*) fail "text: the three fds of $H are not one holder with +2 more: $line" ;;
esac
exit 0
