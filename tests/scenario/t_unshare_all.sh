#!/bin/bash
# A process in new namespaces of all eight types: each one is listed with its
# type, its processes, its owner (the new user ns) and, for the pid ns, its
# parent; -p lists exactly that process's namespaces; -t filters by type.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch

types="net uts ipc cgroup mnt pid user time"

# unshare itself enters the new user/net/uts/ipc/cgroup/mnt namespaces; the
# pid and time namespaces take effect only for its child, the sleep.
unshare --user --map-root-user --net --uts --ipc --cgroup --mount --pid \
    --fork --time sleep 1000 &
up=$!
on_exit "kill_tree $up"
sp=$(first_child "$up") || fail "unshare did not fork"
wait_exec "$sp" sleep || fail "the inner sleep did not start"

declare -A ino
for t in $types; do
	ino[$t]=$(ns_ino "$sp" "$t") || fail "cannot read /proc/$sp/ns/$t"
done
for t in $types; do
	[ "${ino[$t]}" != "$(ns_ino $$ "$t")" ] ||
	    skip "unshare did not create a new $t namespace"
done
mypidns=$(ns_ino $$ pid)
myuserns=$(ns_ino $$ user)
low=$((up < sp ? up : sp))

nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J failed: $(cat "$SCRATCH/err")"
jq -e . "$SCRATCH/all.json" >/dev/null || fail "nsfind -J is not JSON"

# obj INO: the namespace object with that inode (exactly one).
obj() {
	local n
	n=$(jq --argjson i "$1" '[.namespaces[] | select(.ns == $i)] | length' "$SCRATCH/all.json")
	[ "$n" -eq 1 ] || fail "namespace $1 listed $n times, want once"
	jq -c --argjson i "$1" '.namespaces[] | select(.ns == $i)' "$SCRATCH/all.json"
}

for t in $types; do
	o=$(obj "${ino[$t]}")
	check() { jq -e "$1" <<<"$o" >/dev/null || fail "$t ns ${ino[$t]}: want $1, got $o"; }
	check ".type == \"$t\""
	check '.nprocs >= 1'
	check '.initial == false and .hidden == false'
	check '[.holders[] | select(.kind == "process")] | length == 1'
	case $t in
	pid|time)
		# Only the sleep is in it; unshare holds it for its children.
		check ".nprocs == 1 and .pid == $sp"
		check "[.holders[] | select(.kind == \"process\" and .pid == $sp)] | length == 1"
		check "[.holders[] | select(.kind == \"children\" and .pid == $up and .entry == \"${t}_for_children\")] | length == 1"
		;;
	*)
		# unshare and the sleep; PID is the lowest of them.
		check ".nprocs == 2 and .pid == $low"
		check "[.holders[] | select(.kind == \"process\" and .pid == $low and .count == 2)] | length == 1"
		;;
	esac
	if [ "$t" = user ]; then
		check '.creator == 0'
		check ".ons == $myuserns and .pns == $myuserns"
	else
		check ".ons == ${ino[user]}"
	fi
	[ "$t" = pid ] && check ".pns == $mypidns"
done

# The new user ns owns the seven others.
o=$(obj "${ino[user]}")
jq -e '[.holders[] | select(.kind == "owner" and .count == 7)] | length == 1' <<<"$o" >/dev/null ||
    fail "user ns ${ino[user]} should be owner(7): $o"
# The pid ns of the test is listed as the parent.
o=$(obj "$mypidns")
jq -e '[.holders[] | select(.kind == "parent")] | length == 1' <<<"$o" >/dev/null ||
    fail "pid ns $mypidns should hold a parent holder: $o"

# -p: exactly the namespaces of the sleep, one per type.
nsfind -p "$sp" -J >"$SCRATCH/p.json" 2>"$SCRATCH/err" || fail "nsfind -p $sp failed: $(cat "$SCRATCH/err")"
want=$(for t in $types; do echo "${ino[$t]}"; done | sort -n | tr '\n' ' ')
got=$(jq -r '.namespaces[].ns' "$SCRATCH/p.json" | sort -n | tr '\n' ' ')
[ "$got" = "$want" ] || fail "nsfind -p $sp listed [$got], want [$want]"
got=$(jq -r '.namespaces[].type' "$SCRATCH/p.json" | sort | tr '\n' ' ')
[ "$got" = "$(echo $types | tr ' ' '\n' | sort | tr '\n' ' ')" ] ||
    fail "nsfind -p $sp types [$got], want one of each"

# -p of unshare: its own namespaces and those its *_for_children point at.
nsfind -p "$up" -J >"$SCRATCH/p.json" 2>"$SCRATCH/err" || fail "nsfind -p $up failed: $(cat "$SCRATCH/err")"
want=$(for e in $types pid_for_children time_for_children; do ns_ino "$up" "$e"; done | sort -nu | tr '\n' ' ')
got=$(jq -r '.namespaces[].ns' "$SCRATCH/p.json" | sort -n | tr '\n' ' ')
[ "$got" = "$want" ] || fail "nsfind -p $up listed [$got], want [$want]"

# -t net: only network namespaces, ours among them.
nsfind -t net -J >"$SCRATCH/net.json" 2>"$SCRATCH/err" || fail "nsfind -t net failed: $(cat "$SCRATCH/err")"
jq -e '(.namespaces | length) >= 2 and all(.namespaces[]; .type == "net")' \
    "$SCRATCH/net.json" >/dev/null || fail "nsfind -t net -J lists other types: $(jq -c '[.namespaces[].type]' "$SCRATCH/net.json")"
jq -e --argjson i "${ino[net]}" 'any(.namespaces[]; .ns == $i)' "$SCRATCH/net.json" >/dev/null ||
    fail "nsfind -t net -J misses net ns ${ino[net]}"
exit 0
