#!/bin/bash
# Hidden: a network namespace whose only reference is an io_uring
# registered file (the opening fd was closed).  nsfind lists it, hidden,
# with holder fd naming the ring's fd and slot, and says in a note that
# it could not open it.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -x "$HELPERS/uringhold" ] || skip "needs $HELPERS/uringhold (make unit)"
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf $W"

"$HELPERS/uringhold" >"$W/out" 2>"$W/err" &
HP=$!
on_exit "kill_tree $HP"
if ! wait_for grep -sqx ready "$W/out"; then
	wait "$HP"
	[ $? -eq 77 ] && skip "io_uring unavailable: $(cat "$W/err")"
	fail "uringhold: $(cat "$W/err")"
fi
read -r ring ino <"$W/out"

nsfind -J --hidden -t net >"$W/j" 2>"$W/e" || fail "nsfind exited $?: $(cat "$W/e")"
jq -e --argjson i "$ino" --argjson p "$HP" --argjson r "$ring" '
    [.namespaces[] | select(.ns == $i and .hidden) | .holders[]
     | select(.kind == "fd" and .pid == $p and .fd == $r and .io_uring_slot == 0)]
    | length == 1' "$W/j" >/dev/null ||
    fail "net:[$ino] in io_uring of $HP not reported: $(jq -c --argjson i "$ino" '.namespaces[] | select(.ns == $i)' "$W/j")"
jq -e '.notes | any(test("io_uring"))' "$W/j" >/dev/null || fail "no note on io_uring: $(jq -c .notes "$W/j")"
grep -q "io_uring" "$W/e" || fail "no note on stderr"
