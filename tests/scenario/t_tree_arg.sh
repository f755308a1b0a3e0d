#!/bin/bash
# -T takes the relation as --tree=REL, -TREL, -T REL or --tree REL: a
# namespace argument is a number, so a following "parent" or "owner" can only
# be the relation, and -T NUMBER still names a namespace (nsfind(8)).
# The parent tree nests a new pid ns under ours; the owner tree of pid
# namespaces alone does not (their owners, user namespaces, are not shown).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch

unshare --pid --fork sleep 1000 &
up=$!
on_exit "kill_tree $up"
sp=$(first_child "$up") || fail "unshare did not fork"
wait_exec "$sp" sleep || fail "the inner sleep did not start"
new=$(ns_ino "$sp" pid)
mine=$(ns_ino $$ pid)
[ "$new" != "$mine" ] || fail "no new pid namespace"

# parent_of OUT: the namespace whose children hold $new, or "top".
parent_of() {
	jq -r --argjson i "$new" "$JQ_TREE"'
	    ([tree | select(any(.children[]?; .ns == $i)) | .ns] | first // null) as $p
	    | if $p then $p elif any(.namespaces[]; .ns == $i) then "top" else "missing" end' "$1"
}

for form in "--tree=parent" "-Tparent" "-T parent" "--tree parent"; do
	# shellcheck disable=SC2086
	nsfind $form -J -t pid >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	    fail "nsfind $form -J -t pid failed: $(quiet_stderr "$SCRATCH/err")"
	got=$(parent_of "$SCRATCH/out")
	[ "$got" = "$mine" ] || fail "nsfind $form: pid ns $new is under '$got', want under $mine"
done
for form in "-T" "--tree" "--tree=owner" "-Towner" "-T owner" "--tree owner"; do
	# shellcheck disable=SC2086
	nsfind $form -J -t pid >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	    fail "nsfind $form -J -t pid failed: $(quiet_stderr "$SCRATCH/err")"
	got=$(parent_of "$SCRATCH/out")
	[ "$got" = top ] || fail "nsfind $form: pid ns $new is under '$got', want at the top"
done

# -T NUMBER: a tree of that one namespace.
nsfind -T "$new" -J >"$SCRATCH/out" 2>"$SCRATCH/err" ||
    fail "nsfind -T $new -J failed: $(quiet_stderr "$SCRATCH/err")"
got=$(jq -c "$JQ_TREE"' [tree | .ns]' "$SCRATCH/out")
[ "$got" = "[$new]" ] || fail "nsfind -T $new -J shows $got, want [$new]"
exit 0
