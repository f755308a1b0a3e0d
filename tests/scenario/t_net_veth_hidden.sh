#!/bin/bash
# Network view: a veth pair between two hidden network namespaces (no
# process in them, not under /run/netns: each bind-mounted on a file of a
# private directory).  Both are listed, hidden, held by their bind mount;
# each end's peer is resolved to the other namespace and names the other
# end; our netns has no id for either (NETNSID unassigned, JSON null);
# `--links` lists the pair once; no namespace is left unresolved.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"

X=$P-x Y=$P-y
netns_file "$W/n1"
I1=$NS_INO
netns_file "$W/n2"
I2=$NS_INO
[ "$I1" != "$I2" ] && [ "$I1" != "$SELF_NET" ] || fail "not two new namespaces"
# Made inside n1, the peer put in n2 by path: no process ever enters n2.
nsenter --net="$W/n1" ip link add "$(ifn "$X")" type veth peer name "$(ifn "$Y")" \
    netns "$W/n2" || fail "ip link add $X ... netns $W/n2"
JX=$(ipj "$W/n1" "$X") || fail "ip does not show $X"
JY=$(ipj "$W/n2" "$Y") || fail "ip does not show $Y"

scan -t net
for i in "$I1:$W/n1" "$I2:$W/n2"; do
	ok "${i%%:*}: listed once, hidden, no process, held by its bind mount on ${i#*:}" \
	    'ns($i) | length == 1 and (.[0] | .type == "net" and .hidden and
	    .nprocs == 0 and .names == [] and (.nsfs | index($p)) != null and
	    ([.holders[] | select(.kind == "bind-mount" and .path == $p and
	    any(.copies[]; .mntns == $m))] | length == 1))' \
	    --argjson i "${i%%:*}" --arg p "${i#*:}" --argjson m "$SELF_MNT"
	ok "${i%%:*}: our netns has no id for it (netnsid null)" \
	    'ns($i)[0] | has("netnsid") and .netnsid == null' --argjson i "${i%%:*}"
done
ok "$X: in $W/n1, a veth, peer $Y in $W/n2" \
    'ifc($i1; $x) | length == 1 and (.[0] | .kind == "veth" and
    .ifindex == $jx.ifindex and .peer_ns == $i2 and .peer_name == $y and
    .peer_ifindex == $jy.ifindex and .peer_netnsid == $jx.link_netnsid)' \
    --argjson i1 "$I1" --argjson i2 "$I2" --arg x "$X" --arg y "$Y" \
    --argjson jx "$JX" --argjson jy "$JY"
ok "$Y: in $W/n2, a veth, peer $X in $W/n1" \
    'ifc($i2; $y) | length == 1 and (.[0] | .kind == "veth" and
    .ifindex == $jy.ifindex and .peer_ns == $i1 and .peer_name == $x and
    .peer_ifindex == $jx.ifindex and .peer_netnsid == $jy.link_netnsid)' \
    --argjson i1 "$I1" --argjson i2 "$I2" --arg x "$X" --arg y "$Y" \
    --argjson jx "$JX" --argjson jy "$JY"
ok "each namespace lists lo and its own end, nothing else" \
    '(ns($i1)[0].interfaces | map(.name) | sort) == (["lo", $x] | sort) and
    (ns($i2)[0].interfaces | map(.name) | sort) == (["lo", $y] | sort)' \
    --argjson i1 "$I1" --argjson i2 "$I2" --arg x "$X" --arg y "$Y"
ok "each end is listed once, in its own namespace" \
    '[.namespaces[] | .interfaces[]? | select(.name == $x or .name == $y)] | length == 2' \
    --arg x "$X" --arg y "$Y"
ok "nothing is unresolved as seen from either" \
    '[.namespaces[] | select(.unresolved == true and
    (.seen_from == $i1 or .seen_from == $i2))] == []' \
    --argjson i1 "$I1" --argjson i2 "$I2"
if grep -F -e "net:[$I1]" -e "net:[$I2]" "$W/err" | grep -q "found by no other source"; then
	cat "$W/err"
	fail "a note calls one of ours unresolved"
fi

scan --links
ok "--links: the pair once, with both namespaces and interfaces" \
    'lnk($x) | length == 1 and (.[0] | .kind == "veth" and
    ((.ns == $i1 and .interface == $x and .peer_ns == $i2 and .peer_interface == $y) or
     (.ns == $i2 and .interface == $y and .peer_ns == $i1 and .peer_interface == $x)))' \
    --argjson i1 "$I1" --argjson i2 "$I2" --arg x "$X" --arg y "$Y"

# The -t net table: NETNSID says "unassigned", INTERFACES the peer.
table -t net -r -o NS,NETNSID,INTERFACES
read -r -a f <<<"$(row "$I1")"
[ "${#f[@]}" -eq 3 ] && [ "${f[1]}" = unassigned ] ||
    { row "$I1"; fail "-t net: NETNSID of $I1 is not unassigned"; }
case ",${f[2]}," in *",$X(veth)\\x20->\\x20$I2:$Y,"*) ;;
*) row "$I1"; fail "-t net: INTERFACES of $I1 lacks $X -> $I2:$Y" ;; esac
read -r -a f <<<"$(row "$I2")"
[ "${#f[@]}" -eq 3 ] && [ "${f[1]}" = unassigned ] ||
    { row "$I2"; fail "-t net: NETNSID of $I2 is not unassigned"; }
case ",${f[2]}," in *",$Y(veth)\\x20->\\x20$I1:$X,"*) ;;
*) row "$I2"; fail "-t net: INTERFACES of $I2 lacks $Y -> $I1:$X" ;; esac
exit 0
