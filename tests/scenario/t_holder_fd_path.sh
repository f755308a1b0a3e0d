#!/bin/bash
# An fd opened through a namespace bind mount (`exec 3</run/netns/NAME`,
# what scripts do before `setns`) reads as that path in /proc/PID/fd, not
# as net:[...]: it still holds the namespace, and nsfind must say so.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd ip
scratch
W=$SCRATCH
NS=${TAG}fp
ip netns add "$NS" || fail "ip netns add"
on_exit "ip netns del $NS"
n=$(stat -L -c %i "/run/netns/$NS")
bash -c 'exec 7<"$0"; exec sleep 1000' "/run/netns/$NS" &
P=$!
on_exit "kill_tree $P"
wait_exec "$P" sleep || fail "sleep did not start"
[ "$(readlink "/proc/$P/fd/7")" = "/run/netns/$NS" ] || fail "the fd does not read as the path"
nsfind -J -t net >"$W/out.json" 2>"$W/err" || [ $? -eq 3 ] || fail "nsfind: $(cat "$W/err")"
jq -e --argjson n "$n" --argjson p "$P" '.namespaces[] | select(.ns == $n) |
    select(any(.holders[]; .kind == "fd" and .pid == $p and .fd == 7)) |
    select(any(.holders[]; .kind == "bind-mount"))' "$W/out.json" >/dev/null ||
    fail "holders of $NS: $(jq -c --argjson n "$n" '.namespaces[] | select(.ns == $n) | .holders' "$W/out.json")"
kill_tree "$P"
exit 0
