#!/bin/bash
# Network view: a veth pair between our netns (the one nsfind runs in) and
# a namespace made with `ip netns add`.  Both ends are listed in the right
# namespaces as veths whose peer is resolved to the other namespace and
# names the other end; the named namespace shows its name and its NSFS
# path; its NETNSID is the id our netns gives it; `--links` lists the pair
# once, in JSON and as a table.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

N=$P-n A=$P-a B=$P-b
netns_add "$N"
IN=$NS_INO I0=$SELF_NET
ours "$I0"
root_veth "$A" "$B" netns "$N"
ip link set dev "$A" up && ip -n "$N" link set dev "$B" up || fail "link up"
# Both ends up: the operstate settles shortly after (linkwatch).
wait_for sh -c "ip -o link show dev '$A' | grep -q 'state UP'" &&
    wait_for sh -c "ip -n '$N' -o link show dev '$B' | grep -q 'state UP'" ||
    fail "the veth never came up"
# What the kernel says, through ip (this also gives each end an id for
# the other namespace, if the creation did not).
JA=$(ipj "/proc/$$/ns/net" "$A") || fail "ip does not show $A"
JB=$(ipj "/run/netns/$N" "$B") || fail "ip does not show $B"
[ "$(jq .link_netnsid <<<"$JA")" -ge 0 ] || fail "$A: no link-netnsid: $JA"

scan -t net
ok "$A: in our netns, a veth, peer $B in $N ($IN)" \
    'ifc($i0; $a) | length == 1 and (.[0] | .kind == "veth" and
    .ifindex == $ja.ifindex and .state == "up" and .peer_ns == $in and
    .peer_name == $b and .peer_ifindex == $jb.ifindex and
    .peer_netnsid == $ja.link_netnsid)' \
    --argjson i0 "$I0" --argjson in "$IN" --arg a "$A" --arg b "$B" \
    --argjson ja "$JA" --argjson jb "$JB"
ok "$B: in $N, a veth, peer $A in our netns ($I0)" \
    'ifc($in; $b) | length == 1 and (.[0] | .kind == "veth" and
    .ifindex == $jb.ifindex and .state == "up" and .peer_ns == $i0 and
    .peer_name == $a and .peer_ifindex == $ja.ifindex and
    .peer_netnsid == $jb.link_netnsid)' \
    --argjson i0 "$I0" --argjson in "$IN" --arg a "$A" --arg b "$B" \
    --argjson ja "$JA" --argjson jb "$JB"
ok "each end is listed in its own namespace only" \
    '([.namespaces[] | .interfaces[]? | select(.name == $a or .name == $b)] |
    length == 2) and ifc($i0; $b) == [] and ifc($in; $a) == []' \
    --argjson i0 "$I0" --argjson in "$IN" --arg a "$A" --arg b "$B"
ok "$N: listed once, its name in names, /run/netns/$N in nsfs, lo listed" \
    'ns($in) | length == 1 and (.[0] | .type == "net" and .names == [$n] and
    (.nsfs | index("/run/netns/" + $n)) != null and
    ([.interfaces[] | select(.name == "lo" and .kind == "loopback")] | length == 1))' \
    --argjson in "$IN" --arg n "$N"
ok "$N: NETNSID is the id our netns gives it, the one $A names its peer by" \
    'ns($in)[0].netnsid == (ifc($i0; $a)[0].peer_netnsid) and
    ns($in)[0].netnsid >= 0' --argjson i0 "$I0" --argjson in "$IN" --arg a "$A"
nsid=$(jq --argjson in "$IN" "$JQDEFS"' ns($in)[0].netnsid' "$W/out.json")
ok "our netns has not got the name $N" \
    'ns($i0) | length == 1 and (.[0].names | index($n)) == null' \
    --argjson i0 "$I0" --arg n "$N"
ok "no unresolved namespace is seen from ours" \
    '[.namespaces[] | select(.unresolved == true and
    (.seen_from == $i0 or .seen_from == $in))] == []' \
    --argjson i0 "$I0" --argjson in "$IN"

scan --links
ok "--links: the pair once, with both namespaces and interfaces" \
    'lnk($a) | length == 1 and (.[0] | .kind == "veth" and
    ((.ns == $i0 and .interface == $a and .peer_ns == $in and .peer_interface == $b) or
     (.ns == $in and .interface == $b and .peer_ns == $i0 and .peer_interface == $a)))' \
    --argjson i0 "$I0" --argjson in "$IN" --arg a "$A" --arg b "$B"
ok "--links: the peer netnsid is the row's own end's" \
    'lnk($a)[0] | .peer_netnsid == (if .interface == $a then $ja else $jb end).link_netnsid' \
    --arg a "$A" --argjson ja "$JA" --argjson jb "$JB"

# The table: the pair on one line, names and both ends.
table --links -r
[ "$(grep -cE -e "(^| )($A|$B)( |\$)" "$W/table")" -eq 1 ] ||
    { cat "$W/table"; fail "--links table: not exactly one line for the pair"; }
has_line "--links table: $A <-> $B, $N named" "$I0 " "$IN " " $A" " $B" " veth " " $N "

# -t net table: NETNSID, NSFS and INTERFACES columns of the named namespace.
table -t net -r -o NS,NETNSID,NSFS,INTERFACES "$IN"
read -r -a f <<<"$(row "$IN")"
[ "${#f[@]}" -eq 4 ] && [ "${f[1]}" = "$nsid" ] ||
    { cat "$W/table"; fail "-t net: NETNSID of $N is not $nsid"; }
case ",${f[2]}," in *",/run/netns/$N,"*) ;;
*) cat "$W/table"; fail "-t net: NSFS of $N lacks /run/netns/$N" ;; esac
case ",${f[3]}," in *",$B(veth)\\x20->\\x20$I0:$A,"*) ;;
*) cat "$W/table"; fail "-t net: INTERFACES of $N lacks $B -> $I0:$A" ;; esac
exit 0
