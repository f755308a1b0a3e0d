#!/bin/bash
# Network view: a veth from our netns into a network namespace that only a
# veth reveals.  The namespace is held by one fd of net_hold, a root process
# with every capability we have; nsfind runs without CAP_SYS_PTRACE, so it
# may not inspect net_hold (checked), and nothing else holds the namespace.
# nsfind must then list it as unresolved: ns null, unresolved, seen from
# our netns as the id our end names its peer by, holder "unknown", with
# the links the kernel lists there by id (our peer end among them; those
# carry ids of our netns, so its peer resolves to our end); our end's
# peer_ns is null; a note says so on stderr and in JSON; --links and the
# table show the pair once, from our end.  Run with every capability,
# nsfind finds the holder's fd and the same peer resolves to its inode.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"
need_cmd capsh
[ -x "$HELPERS/net_hold" ] || skip "needs $HELPERS/net_hold (make unit)"
capsh --has-p=cap_sys_ptrace 2>/dev/null || skip "we have no CAP_SYS_PTRACE to drop"

U=$P-u H=$P-h I0=$SELF_NET
ours "$I0"
bg_in hold "$HELPERS/net_hold"
HP=$BG
wait_for grep -sqx ready "$W/hold.out" || fail "net_hold: $(cat "$W/hold.out")"
read -r IH FD <"$W/hold.out"
ours "$IH"
[ "$IH" != "$I0" ] || fail "net_hold made no new netns"
[ "$(stat -L -c %i "/proc/$HP/fd/$FD")" = "$IH" ] || fail "fd $FD of $HP is not net:[$IH]"
[ "$(ns_ino "$HP" net)" = "$I0" ] || fail "net_hold is not back in our netns"
root_veth "$U" "$H" netns "/proc/$HP/fd/$FD"
JU=$(ipj "/proc/$$/ns/net" "$U") || fail "ip does not show $U"
JH=$(ipj "/proc/$HP/fd/$FD" "$H") || fail "ip does not show $H"
[ "$(jq .link_netnsid <<<"$JU")" -ge 0 ] || fail "$U: no link-netnsid: $JU"

# noptrace CMD...: CMD without CAP_SYS_PTRACE (dropped from the bounding
# set, so root's exec'd programs do not get it back).  Then net_hold's fds
# must be out of reach: a link under /proc/PID/fd reads only with ptrace
# access (listing the directory does not need it).
noptrace() { capsh --drop=cap_sys_ptrace -- -c 'exec "$@"' nsfind-noptrace "$@"; }
noptrace true || fail "capsh --drop=cap_sys_ptrace does not run"
if noptrace readlink "/proc/$HP/fd/$FD" >/dev/null 2>&1; then
	skip "without CAP_SYS_PTRACE, /proc/$HP/fd/$FD still reads: cannot hide the holder"
fi

NSFIND_PRE=noptrace scan -t net
ok "$U: in our netns, a veth whose peer namespace is unresolved (peer_ns null)" \
    'ifc($i0; $u) | length == 1 and (.[0] | .kind == "veth" and
    .ifindex == $ju.ifindex and has("peer_ns") and .peer_ns == null and
    .peer_netnsid >= 0 and .peer_ifindex == $jh.ifindex)' \
    --argjson i0 "$I0" --arg u "$U" --argjson ju "$JU" --argjson jh "$JH"
ID=$(jq --argjson i0 "$I0" --arg u "$U" "$JQDEFS"' ifc($i0; $u)[0].peer_netnsid' "$W/out.json")
ok "the hidden namespace $IH is not listed by inode" \
    'ns($ih) == []' --argjson ih "$IH"
ok "one unresolved namespace, seen from ours ($I0) as netnsid $ID" \
    'unres($i0; $id) | length == 1 and (.[0] | .ns == null and .type == "net" and
    .hidden and .nprocs == 0 and .netnsid == $id and
    (.holders | map(.kind)) == ["unknown"])' \
    --argjson i0 "$I0" --argjson id "$ID"
ok "the unresolved namespace lists lo and $H, a veth whose peer is $U in ours" \
    'unres($i0; $id)[0].interfaces as $l | ($l | map(.name) | sort) == (["lo", $h] | sort) and
    ($l[] | select(.name == $h) | .kind == "veth" and .ifindex == $jh.ifindex and
    .peer_ifindex == $ju.ifindex and .peer_netnsid >= 0 and
    .peer_ns == $i0 and .peer_name == $u)' \
    --argjson i0 "$I0" --argjson id "$ID" --arg h "$H" --arg u "$U" \
    --argjson ju "$JU" --argjson jh "$JH"
ok "$U: its peer's name is known from the unresolved namespace's links" \
    'ifc($i0; $u)[0].peer_name == $h' --argjson i0 "$I0" --arg u "$U" --arg h "$H"
note="network namespace $ID as seen from net:[$I0] (interface $U) was found by no other source"
ok "a JSON note says $note" \
    '[.notes[] | select(startswith($n))] | length == 1' --arg n "$note"
quiet_stderr "$W/err" | grep -qF "nsfind: note: $note" ||
    { cat "$W/err"; fail "no note on stderr: $note"; }

NSFIND_PRE=noptrace scan --links
ok "--links: $U once, into the unresolved namespace (peer_ns null), to $H" \
    'lnk($u) | length == 1 and (.[0] | .ns == $i0 and .interface == $u and
    .kind == "veth" and .peer_ns == null and .peer_netnsid == $id and
    .peer_interface == $h)' \
    --argjson i0 "$I0" --argjson id "$ID" --arg u "$U" --arg h "$H"
NSFIND_PRE=noptrace table -t net -r -o NS,NETNSID,INTERFACES
has_line "-t net table: the unresolved namespace, as ?(nsid $ID of $I0)" \
    "?(nsid\\x20$ID\\x20of\\x20$I0) $ID " "$H(veth)"
has_line "-t net table: $U -> unresolved(nsid $ID):$H" \
    "$I0 " "$U(veth)\\x20->\\x20unresolved(nsid\\x20$ID):$H"

# With every capability: the holder's fd is found, the peer resolves.
scan -t net
ok "$IH: listed once, hidden, held by fd $FD of net_hold ($HP)" \
    'ns($ih) | length == 1 and (.[0] | .hidden and
    ([.holders[] | select(.kind == "fd" and .pid == $hp and .fd == $fd)] | length == 1))' \
    --argjson ih "$IH" --argjson hp "$HP" --argjson fd "$FD"
ok "$U: its peer resolves to $IH, end $H" \
    'ifc($i0; $u) | length == 1 and (.[0] | .peer_ns == $ih and .peer_name == $h and
    .peer_ifindex == $jh.ifindex)' \
    --argjson i0 "$I0" --argjson ih "$IH" --arg u "$U" --arg h "$H" --argjson jh "$JH"
ok "$H: in $IH, its peer is $U in ours" \
    'ifc($ih; $h) | length == 1 and (.[0] | .peer_ns == $i0 and .peer_name == $u)' \
    --argjson i0 "$I0" --argjson ih "$IH" --arg u "$U" --arg h "$H"
ok "nothing unresolved is seen from ours with $U's id" \
    'unres($i0; ifc($i0; $u)[0].peer_netnsid) == []' --argjson i0 "$I0" --arg u "$U"
if quiet_stderr "$W/err" | grep -F "(interface $U)" | grep -q "found by no other source"; then
	cat "$W/err"
	fail "with every capability, a note still calls $U's peer unresolved"
fi

exit 0
