#!/bin/bash
# A process whose main thread exited while another thread lives on in a
# uts namespace of its own: /proc/PID/ns reads ENOENT, so a tool that
# reads only the leader misses it.  nsfind lists it with holder thread,
# and the process view shows the thread's line.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -x "$HELPERS/zombie_leader" ] || skip "needs $HELPERS/zombie_leader (make unit)"
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf $W"

"$HELPERS/zombie_leader" >"$W/out" 2>"$W/err" &
HP=$!
on_exit "kill -KILL $HP 2>/dev/null; wait $HP 2>/dev/null"
wait_for grep -qx ready "$W/out" || fail "zombie_leader: $(cat "$W/err")"
read -r tid ino <"$W/out"
wait_for sh -c "! readlink /proc/$HP/ns/uts >/dev/null 2>&1" ||
    skip "the leader's namespaces still read here"

nsfind -J -t uts >"$W/j" 2>"$W/e" || fail "nsfind exited $?: $(cat "$W/e")"
jq -e --argjson i "$ino" --argjson p "$HP" --argjson t "$tid" '
    [.namespaces[] | select(.ns == $i) | select(.nprocs == 0 and .nthreads == 1)
     | .holders[] | select(.kind == "thread" and .pid == $p and .tid == $t)]
    | length == 1' "$W/j" >/dev/null ||
    fail "uts:[$ino] of thread $tid not reported: $(jq -c --argjson i "$ino" '.namespaces[] | select(.ns == $i)' "$W/j")"

nsfind -P -J -t uts >"$W/p" 2>/dev/null || fail "nsfind -P failed"
jq -e --argjson i "$ino" --argjson t "$tid" \
    '[.tasks[] | select(.ns == $i and .tid == $t and .thread)] | length == 1' "$W/p" >/dev/null ||
    fail "process view lacks thread $tid in uts:[$ino]"
