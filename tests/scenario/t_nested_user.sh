#!/bin/bash
# A user namespace with no process of its own: its only process went on into
# a child user namespace.  It is listed, hidden, held as "parent" of the inner
# user ns and "owner" of the namespaces created in it, and the parent tree
# nests the inner user ns under it.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch

# The outer user ns also gets a new uts ns, so it owns two namespaces: the
# inner user ns and that uts ns.  The shell says the outer inode, then
# becomes the inner unshare, which becomes the sleep: no fork anywhere.
unshare --user --map-root-user --uts sh -c \
    "stat -L -c %i /proc/self/ns/user >'$SCRATCH/outer'; exec unshare --user sleep 1000" &
pid=$!
on_exit "kill_tree $pid"
wait_exec "$pid" sleep || fail "the inner sleep did not start"
outer=$(cat "$SCRATCH/outer")
inner=$(ns_ino "$pid" user)
uts=$(ns_ino "$pid" uts)
myuser=$(ns_ino $$ user)
[ -n "$outer" ] && [ "$outer" != "$inner" ] && [ "$outer" != "$myuser" ] ||
    fail "outer user ns '$outer' not distinct from inner $inner / ours $myuser"

nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J failed: $(cat "$SCRATCH/err")"
obj() {
	local n
	n=$(jq --argjson i "$1" '[.namespaces[] | select(.ns == $i)] | length' "$SCRATCH/all.json")
	[ "$n" -eq 1 ] || fail "namespace $1 listed $n times, want once"
	jq -c --argjson i "$1" '.namespaces[] | select(.ns == $i)' "$SCRATCH/all.json"
}

o=$(obj "$outer")
check() { jq -e "$1" <<<"$o" >/dev/null || fail "$2 user ns: want $1, got $o"; }
check '.type == "user"' outer
check '.nprocs == 0 and .nthreads == 0 and .pid == null' outer
check '.hidden == true and .initial == false' outer
check ".pns == $myuser and .ons == $myuser and .creator == 0" outer
check "[.holders[] | select(.kind == \"parent\" and .count == 1 and .ns == $inner)] | length == 1" outer
check '[.holders[] | select(.kind == "owner" and .count == 2)] | length == 1' outer
check '[.holders[] | select(.kind == "process" or .kind == "thread" or .kind == "unknown")] | length == 0' outer

o=$(obj "$inner")
check ".nprocs == 1 and .pid == $pid and .hidden == false" inner
check ".pns == $outer and .ons == $outer" inner
o=$(obj "$uts")
check ".type == \"uts\" and .ons == $outer" "uts ns owned by the outer"

# The parent tree of user namespaces: ours > outer > inner.
nsfind --tree=parent -J -t user >"$SCRATCH/tree.json" 2>"$SCRATCH/err" ||
    fail "nsfind --tree=parent -J -t user failed: $(cat "$SCRATCH/err")"
tree=$JQ_TREE
jq -e "$tree"' all(tree; .type == "user")' "$SCRATCH/tree.json" >/dev/null ||
    fail "-t user tree holds other types"
kids() {
	jq -c --argjson i "$1" "$tree"' [tree | select(.ns == $i) | .children[]?.ns]' "$SCRATCH/tree.json"
}
jq -e --argjson i "$inner" 'index($i) != null' <<<"$(kids "$outer")" >/dev/null ||
    fail "parent tree: inner $inner is not a child of outer $outer (children: $(kids "$outer"))"
jq -e --argjson i "$outer" 'index($i) != null' <<<"$(kids "$myuser")" >/dev/null ||
    fail "parent tree: outer $outer is not a child of $myuser (children: $(kids "$myuser"))"
n=$(jq --argjson i "$inner" "$tree"' [tree | select(.ns == $i)] | length' "$SCRATCH/tree.json")
[ "$n" -eq 1 ] || fail "parent tree shows inner $inner $n times"

# The owner tree: the outer owns the inner user ns and the uts ns.
nsfind --tree=owner -J >"$SCRATCH/otree.json" 2>"$SCRATCH/err" ||
    fail "nsfind --tree=owner -J failed: $(cat "$SCRATCH/err")"
got=$(jq -c --argjson i "$outer" "$tree"' [tree | select(.ns == $i) | .children[]?.ns] | sort' "$SCRATCH/otree.json")
want=$(jq -cn --argjson a "$inner" --argjson b "$uts" '[$a, $b] | sort')
[ "$got" = "$want" ] || fail "owner tree: outer $outer has children $got, want $want"
exit 0
