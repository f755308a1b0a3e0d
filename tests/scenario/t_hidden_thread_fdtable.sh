#!/bin/bash
# Hidden: a uts namespace held only by an fd in the private fd table of
# one thread (unshare(CLONE_FILES)).  /proc/PID/fd does not show it; nsfind
# must still list it, hidden, with holder fd naming the thread.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -x "$HELPERS/thrfd" ] || skip "needs $HELPERS/thrfd (make unit)"
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf $W"

"$HELPERS/thrfd" >"$W/out" 2>"$W/err" &
HP=$!
on_exit "kill_tree $HP"
wait_for grep -qx ready "$W/out" || fail "thrfd: $(cat "$W/err")"
read -r tid fd ino <"$W/out"

# The process's own table does not have it: that is the point.
[ "$(readlink "/proc/$HP/fd/$fd" 2>/dev/null)" != "uts:[$ino]" ] ||
    skip "the thread shares the process's fd table here"

nsfind -J --hidden >"$W/j" 2>"$W/e" || fail "nsfind exited $?: $(cat "$W/e")"
jq -e --argjson i "$ino" --argjson p "$HP" --argjson t "$tid" --argjson f "$fd" '
    [.namespaces[] | select(.ns == $i and .type == "uts" and .hidden)
     | .holders[] | select(.kind == "fd" and .pid == $p and .tid == $t and .fd == $f)]
    | length == 1' "$W/j" >/dev/null ||
    fail "uts:[$ino] held by thread $tid fd $fd not reported: $(jq -c --argjson i "$ino" '.namespaces[] | select(.ns == $i)' "$W/j")"

# The table says it too, naming the thread.
nsfind -o NS,HOLDERS -r -n "$ino" >"$W/t" 2>/dev/null || fail "nsfind $ino failed"
grep -q "fd($HP/$tid:$fd" "$W/t" || fail "table: $(cat "$W/t")"
