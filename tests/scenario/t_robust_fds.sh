#!/bin/bash
# nsfind works in a bounded number of fds: with `ulimit -n 64` (and 25) on
# a host with 2,000 hidden mount namespaces held by fds, it still lists
# every one, exits 0, and reports no peer as unresolved that resolves
# normally (a veth pair to a named namespace).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd ip
[ -x "$HELPERS/mntmany" ] || skip "needs $HELPERS/mntmany (make unit)"
scratch
W=$SCRATCH
N=2000
"$HELPERS/mntmany" "$N" >"$W/mm" 2>"$W/mm.err" &
MP=$!
on_exit "kill_tree $MP"
wait_for grep -qx ready "$W/mm" || fail "mntmany: $(cat "$W/mm.err")"
# The inodes of our N namespaces, from our fds.
for f in /proc/$MP/fd/*; do
	l=$(readlink "$f") && case $l in mnt:*) l=${l#mnt:[}; echo "${l%]}" ;; esac
done | grep -vx "$(ns_ino $$ mnt)" | sort -u >"$W/ours"
[ "$(wc -l <"$W/ours")" -eq "$N" ] || fail "want $N namespaces of ours, have $(wc -l <"$W/ours")"

NS=${TAG}fd
ip netns add "$NS" || fail "ip netns add"
on_exit "ip netns del $NS"
ip link add "${TAG}a" type veth peer name "${TAG}b" netns "$NS" || fail "veth"
on_exit "ip link del ${TAG}a"

for lim in 64 25; do
	( ulimit -n "$lim" && exec "$NSFIND_BIN" -J ) >"$W/out.json" 2>"$W/err"
	rc=$?
	[ "$rc" -eq 0 ] || fail "ulimit -n $lim: nsfind exited $rc: $(head -c 2000 "$W/err")"
	jq -r '.namespaces[] | select(.type == "mnt") | .ns' "$W/out.json" |
	    sort -u >"$W/seen"
	missing=$(comm -23 "$W/ours" "$W/seen" | wc -l)
	[ "$missing" -eq 0 ] || fail "ulimit -n $lim: $missing of our $N mount namespaces missing"
	# (Only notes about our interfaces: others' tests come and go here.)
	jq -e --arg t "$TAG" '[.notes[] | select(test("found by no other source"))
	    | select(contains($t))] | length == 0' \
	    "$W/out.json" >/dev/null || fail "ulimit -n $lim: a peer reported unresolved: $(jq -c .notes "$W/out.json")"
	# Each of ours is held by its fd, and says so.
	n=$(jq --argjson p "$MP" '[.namespaces[] | select(.type == "mnt") |
	    select(any(.holders[]; .kind == "fd" and .pid == $p))] | length' "$W/out.json")
	[ "$n" -ge "$N" ] || fail "ulimit -n $lim: only $n namespaces held by our fds"
	( ulimit -n "$lim" && exec "$NSFIND_BIN" -t net -o NS,INTERFACES -J ) >"$W/net.json" 2>"$W/err" ||
	    fail "ulimit -n $lim: nsfind -t net failed: $(head -c 2000 "$W/err")"
	nsino=$(stat -L -c %i "/run/netns/$NS")
	jq -e --argjson i "$nsino" --arg a "${TAG}a" '.namespaces[].interfaces[]? |
	    select(.name == $a) | select(.peer_ns == $i)' "$W/net.json" >/dev/null ||
	    fail "ulimit -n $lim: the veth peer does not resolve to $NS"
done
exit 0
