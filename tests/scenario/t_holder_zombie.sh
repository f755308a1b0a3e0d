#!/bin/bash
# A zombie keeps its pid namespace alive until its parent reaps it: the
# holder is "zombie", with the zombie's pid and the parent that must
# reap it, not "process".  A namespace with live members and a zombie
# shows both kinds.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
scratch
W=$SCRATCH
. "$(dirname "$0")/lib_holders.sh"
# 1. A pid namespace whose only task is a zombie.
zombie_pidns
pidns=$ZNS
# 2. A pid namespace with a live process and a zombie child it does not reap.
unshare --pid --fork bash -c 'sleep 0.3 & exec sleep 1000' &
UP=$!
on_exit "kill_tree $UP"
wait_for pgrep -P "$UP" -x sleep >/dev/null || fail "no sleep under unshare"
S=$(pgrep -P "$UP" -x sleep)
wait_for pgrep -P "$S" >/dev/null || fail "no zombie under sleep"
Z2=$(pgrep -P "$S")
wait_for grep -q '^State:.*Z' "/proc/$Z2/status" || fail "$Z2 is no zombie"
pidns2=$(ns_ino "$S" pid)

nsfind -J -t pid >"$W/out.json" 2>"$W/err" || [ $? -eq 3 ] || fail "nsfind: $(cat "$W/err")"
jq -e --argjson n "$pidns" --argjson z "$Z" --argjson p "$ZP" '
    .namespaces[] | select(.ns == $n) | select(.hidden) |
    select(any(.holders[]; .kind == "zombie" and .pid == $z and .ppid == $p
	and (.parent_command | test("zombie_ns")))) |
    select(all(.holders[]; .kind != "process"))' "$W/out.json" >/dev/null ||
    fail "the zombie's pid namespace: $(jq -c --argjson n "$pidns" '.namespaces[] | select(.ns == $n)' "$W/out.json")"
jq -e --argjson n "$pidns2" --argjson z "$Z2" --argjson s "$S" '
    .namespaces[] | select(.ns == $n) | select(.hidden | not) |
    select(any(.holders[]; .kind == "process")) |
    select(any(.holders[]; .kind == "zombie" and .pid == $z and .ppid == $s))' \
    "$W/out.json" >/dev/null ||
    fail "live and zombie members: $(jq -c --argjson n "$pidns2" '.namespaces[] | select(.ns == $n)' "$W/out.json")"
# The table says who must reap it.
nsfind -t pid -o NS,HOLDERS -u 2>/dev/null | grep -E "^ *$pidns .*zombie\($Z, parent $ZP zombie_ns\)" >/dev/null ||
    fail "table: $(nsfind -t pid -o NS,HOLDERS -u 2>/dev/null | grep "$pidns")"
exit 0
