#!/bin/bash
# A namespace bind mount covered by another bind mount on the same path:
# its path now opens the other namespace.  nsfind must say it is covered
# and by what, and never give that path as the PATH of the covered one,
# which falls back to a path that opens it, or none.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
scratch
W=$SCRATCH
touch "$W/p" "$W/q"
unshare --uts="$W/p" true || fail "unshare --uts"
on_exit "umount -l $W/p; umount -l $W/p"
a=$(stat -c %i "$W/p")
unshare --uts="$W/q" true || fail "unshare --uts"
on_exit "umount -l $W/q"
b=$(stat -c %i "$W/q")
mount --bind "$W/q" "$W/p" || fail "mount --bind over"
[ "$(stat -c %i "$W/p")" = "$b" ] || fail "the path does not open the covering namespace"

nsfind -J -t uts >"$W/out.json" 2>"$W/err" || [ $? -eq 3 ] || fail "nsfind: $(cat "$W/err")"
jq -e --argjson a "$a" --argjson b "$b" --arg p "$W/p" '.namespaces[] | select(.ns == $a) |
    select(.path != $p) |
    select(any(.holders[]; .kind == "bind-mount" and .path == $p and .covered and
	.covered_by == "uts:[\($b)]"))' "$W/out.json" >/dev/null ||
    fail "the covered namespace: $(jq -c --argjson a "$a" '.namespaces[] | select(.ns == $a)' "$W/out.json")"
jq -e --argjson b "$b" --arg q "$W/q" --arg p "$W/p" '.namespaces[] | select(.ns == $b) |
    select(.path == $q or .path == $p) |
    select(all(.holders[] | select(.kind == "bind-mount"); .covered | not))' "$W/out.json" >/dev/null ||
    fail "the covering namespace: $(jq -c --argjson b "$b" '.namespaces[] | select(.ns == $b)' "$W/out.json")"
# The table says it too, and PATH of the covered one is not the covered path.
nsfind -t uts -o NS,PATH,HOLDERS -u 2>/dev/null >"$W/table"
grep -E "^ *$a +bind-mount\($W/p \(covered by uts:\[$b\]\)\)" "$W/table" >/dev/null ||
    fail "table: $(grep "^ *$a " "$W/table")"
grep -qE "^ *$a +$W/p " "$W/table" && fail "PATH of $a is the covered path"
exit 0
