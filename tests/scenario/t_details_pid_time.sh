#!/bin/bash
# DETAILS of pid namespaces nested two deep (level 1 and level 2), the
# NSPID column of -P (a task's pid in each pid namespace, as its status
# says), and of a time namespace with the offsets the test gave it.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch

unshare --pid --fork unshare --pid --fork sleep 1000 &
u=$!
on_exit "kill_tree $u"
# u is unshare (level 0); its child unshare is pid 1 at level 1; the
# sleep is pid 2 at level 1 and pid 1 at level 2.
mid=$(first_child "$u") || fail "no level-1 process"
leaf=$(first_child "$mid") || fail "no level-2 process"
wait_exec "$leaf" sleep || fail "the sleep did not start"
p1=$(ns_ino "$mid" pid) p2=$(ns_ino "$leaf" pid)
[ "$p1" != "$p2" ] && [ "$p1" != "$(ns_ino $$ pid)" ] || fail "no nested pid namespaces"

det() { nsfind -l -n -u -W -o DETAILS "$1" 2>"$SCRATCH/err" || fail "nsfind: $(cat "$SCRATCH/err")"; }
got=$(det "$p1")
[ "$got" = "level 1" ] || fail "pid ns $p1: want 'level 1', got '$got'"
got=$(det "$p2")
[ "$got" = "level 2" ] || fail "pid ns $p2: want 'level 2', got '$got'"

# NSPID: the chain /proc/PID/status gives, outermost first, comma-separated.
want=$(awk '/^NSpid:/ { $1 = ""; sub(/^ /, ""); gsub(/ /, ","); print }' "/proc/$leaf/status")
[[ $want =~ ^$leaf,[0-9]+,1$ ]] || fail "the sleep's NSpid is '$want', want '$leaf,N,1'"
nsfind -P -n >"$SCRATCH/procs" 2>"$SCRATCH/err" || fail "nsfind -P: $(cat "$SCRATCH/err")"
got=$(awk -v p="$leaf" -v ns="pid:[$p2]" '$1 == p && $2 == ns { print $3 }' "$SCRATCH/procs")
[ "$got" = "$want" ] || fail "-P: NSPID of $leaf: want '$want', got '$got' ($(grep "^ *$leaf " "$SCRATCH/procs"))"
got=$(awk -v p="$mid" -v ns="pid:[$p1]" '$1 == p && $2 == ns { print $3 }' "$SCRATCH/procs")
[ "$got" = "$mid,1" ] || fail "-P: NSPID of $mid: want '$mid,1', got '$got'"
nsfind -P -J >"$SCRATCH/procs.json" 2>"$SCRATCH/err" || fail "nsfind -P -J: $(cat "$SCRATCH/err")"
jq -e --argjson p "$leaf" --arg w "$want" '[.tasks[] | select(.tid == $p) | .nspid] |
    length > 0 and all(map(tostring) | join(",") == $w)' "$SCRATCH/procs.json" >/dev/null ||
    fail "-P -J: nspid of $leaf: $(jq -c --argjson p "$leaf" '[.tasks[] | select(.tid == $p) | .nspid]' "$SCRATCH/procs.json")"

# Time: offsets the test sets; the forked sleep is in the new namespace.
if [ ! -e /proc/self/ns/time ]; then
	echo "note: no time namespaces: offsets are not checked"
	exit 0
fi
unshare --time --fork --monotonic 100 --boottime 2000 sleep 1000 &
t=$!
on_exit "kill_tree $t"
ts=$(first_child "$t") || fail "no process in the time namespace"
wait_exec "$ts" sleep || fail "the timed sleep did not start"
tns=$(ns_ino "$ts" time)
[ "$tns" != "$(ns_ino $$ time)" ] || fail "no new time namespace"
got=$(det "$tns")
[ "$got" = "monotonic +100s, boottime +2000s" ] ||
    fail "time ns $tns: want 'monotonic +100s, boottime +2000s', got '$got'"
nsfind -J "$tns" >"$SCRATCH/t.json" 2>/dev/null || fail "nsfind -J $tns"
jq -e '.namespaces[0].details == {monotonic: {sec: 100, nsec: 0},
    boottime: {sec: 2000, nsec: 0}}' "$SCRATCH/t.json" >/dev/null ||
    fail "-J details of time ns: $(jq -c '.namespaces[0].details' "$SCRATCH/t.json")"
exit 0
