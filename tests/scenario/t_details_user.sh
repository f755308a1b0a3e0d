#!/bin/bash
# DETAILS of a user namespace: the uid and gid maps the test writes, in
# the short form (0→100000 ×65536, ASCII 0->100000 x65536 outside UTF-8),
# its creator and whether it is the initial one.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
need_cmd python3
scratch

unshare --user sleep 1000 &
p=$!
on_exit "kill_tree $p"
wait_exec "$p" sleep || fail "the sleep did not start"
user=$(ns_ino "$p" user)
[ "$user" != "$(ns_ino $$ user)" ] || fail "no new user namespace"
echo "0 100000 65536" >"/proc/$p/uid_map" || fail "cannot write uid_map"
# A map of several lines must come in one write(2).
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY); os.write(fd, b"0 200000 1000\n1000 300000 5\n")' \
    "/proc/$p/gid_map" || fail "cannot write gid_map"

det() { nsfind -l -n -u -W -o DETAILS "$user" 2>"$SCRATCH/err" || fail "nsfind: $(cat "$SCRATCH/err")"; }

want="uid 0→100000 ×65536, gid 0→200000 ×1000 1000→300000 ×5, creator 0"
got=$(LC_ALL=C.UTF-8 det)
[ "$got" = "$want" ] || fail "UTF-8: want '$want', got '$got'"
want="uid 0->100000 x65536, gid 0->200000 x1000 1000->300000 x5, creator 0"
got=$(LC_ALL=C det)
[ "$got" = "$want" ] || fail "C locale: want '$want', got '$got'"

nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J: $(cat "$SCRATCH/err")"
jq -e --argjson u "$user" '.namespaces[] | select(.ns == $u) | .details ==
    {uid_map: [{inside: 0, outside: 100000, count: 65536}],
     gid_map: [{inside: 0, outside: 200000, count: 1000},
	       {inside: 1000, outside: 300000, count: 5}],
     creator: 0, initial: false}' "$SCRATCH/all.json" >/dev/null ||
    fail "-J details of user $user: $(jq -c --argjson u "$user" \
    '.namespaces[] | select(.ns == $u) | .details' "$SCRATCH/all.json")"

# The initial user namespace says so, with the identity map.
init=$(jq '.namespaces[] | select(.type == "user" and .initial) | .ns' "$SCRATCH/all.json")
[ -n "$init" ] || fail "no initial user namespace in -J"
jq -e '.namespaces[] | select(.type == "user" and .initial) | .details |
    .initial == true and .uid_map == [{inside: 0, outside: 0, count: 4294967295}]' \
    "$SCRATCH/all.json" >/dev/null || fail "initial user ns details: $(jq -c \
    '.namespaces[] | select(.type == "user" and .initial) | .details' "$SCRATCH/all.json")"
got=$(LC_ALL=C nsfind -l -n -u -W -o DETAILS "$init" 2>/dev/null)
case $got in
"initial, uid 0->0 x4294967295, gid 0->0 x4294967295"*) ;;
*) fail "initial user ns: got '$got'" ;;
esac
exit 0
