#!/bin/bash
# Network view of an OpenStack-like network node: namespaces
# qrouter-<uuid> and qdhcp-<uuid>, each with a process serving on its own
# loopback (stand-ins for the metadata proxy and dnsmasq), wired as Neutron
# does: qr-<port> in the router <-> tap<port> in the DHCP namespace, and
# qg-<port> in the router <-> an end in our netns (the external bridge's
# side).  nsfind names both namespaces, counts their processes, resolves
# every peer, and `--links` shows exactly that wiring.  No traffic leaves
# these namespaces' loopbacks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"
need_cmd python3
need_cmd ss

uuid() { cat /proc/sys/kernel/random/uuid; }
# port: 11 characters of a fresh Neutron port id, as in qr-/tap-/qg- names.
port() { uuid | cut -c1-11; }
R=qrouter-$(uuid) D=qdhcp-$(uuid)
for n in "$R" "$D"; do
	[ ! -e "/run/netns/$n" ] || fail "$n exists already"
done
QR=$(ifn "qr-$(port)") TAP=$(ifn "tap$(port)") QG=$(ifn "qg-$(port)") EX=$P-ex
I0=$SELF_NET
ours "$I0"
netns_add "$R"
IR=$NS_INO
netns_add "$D"
ID=$NS_INO

# serve NETNS PORT: an HTTP server on 127.0.0.1:PORT inside NETNS; its pid
# in SP once it listens.
serve() {
	mkdir -p "$W/www" || fail "mkdir"
	ip -n "$1" link set dev lo up || fail "lo up in $1"
	bg_in "serve-$2" ip netns exec "$1" python3 -m http.server --bind 127.0.0.1 \
	    --directory "$W/www" "$2"
	SP=$BG
	wait_for sh -c "ip netns exec '$1' ss -Hltn 'sport = :$2' | grep -q ." ||
	    fail "nothing listens on 127.0.0.1:$2 in $1: $(cat "$W/serve-$2.out")"
	[ "$(ns_ino "$SP" net)" = "$(stat -L -c %i "/run/netns/$1")" ] ||
	    fail "server $SP is not in $1"
}
serve "$R" 9697		# neutron-ns-metadata-proxy's port
RP=$SP
serve "$D" 8067
DP=$SP

ip -n "$R" link add "$QR" type veth peer name "$TAP" netns "$D" ||
    fail "ip link add $QR ... netns $D"
root_veth "$EX" "$QG" netns "$R"
ip -n "$R" link set dev "$QR" up && ip -n "$R" link set dev "$QG" up &&
    ip -n "$D" link set dev "$TAP" up && ip link set dev "$EX" up || fail "links up"

scan -t net
for n in "$R:$IR:$RP:9697" "$D:$ID:$DP:8067"; do
	IFS=: read -r name ino pid p <<<"$n"
	ok "$name: listed once with its name, /run/netns path, its server as process" \
	    'ns($i) | length == 1 and (.[0] | .names == [$n] and
	    (.nsfs | index("/run/netns/" + $n)) != null and .nprocs >= 1 and
	    .pid == $pid and (.command | contains("http.server")) and
	    (.command | contains($p)) and .hidden == false)' \
	    --argjson i "$ino" --arg n "$name" --argjson pid "$pid" --arg p "$p"
done
ok "$QR (router) <-> $TAP (dhcp), both resolved" \
    '(ifc($ir; $qr) | length == 1 and (.[0] | .kind == "veth" and
    .peer_ns == $id and .peer_name == $tap)) and
    (ifc($id; $tap) | length == 1 and (.[0] | .kind == "veth" and
    .peer_ns == $ir and .peer_name == $qr))' \
    --argjson ir "$IR" --argjson id "$ID" --arg qr "$QR" --arg tap "$TAP"
ok "$QG (router) <-> $EX (ours), both resolved" \
    '(ifc($ir; $qg) | length == 1 and (.[0] | .kind == "veth" and
    .peer_ns == $i0 and .peer_name == $ex)) and
    (ifc($i0; $ex) | length == 1 and (.[0] | .kind == "veth" and
    .peer_ns == $ir and .peer_name == $qg))' \
    --argjson ir "$IR" --argjson i0 "$I0" --arg qg "$QG" --arg ex "$EX"
ok "the router has lo, $QR and $QG; the dhcp namespace lo and $TAP" \
    '(ns($ir)[0].interfaces | map(.name) | sort) == (["lo", $qr, $qg] | sort) and
    (ns($id)[0].interfaces | map(.name) | sort) == (["lo", $tap] | sort) and
    ([(ns($ir)[0], ns($id)[0]) | .interfaces[] | select(.name == "lo") | .state] |
    length == 2 and all(. != "down"))' \
    --argjson ir "$IR" --argjson id "$ID" --arg qr "$QR" --arg qg "$QG" --arg tap "$TAP"
ok "nothing unresolved is seen from the router or the dhcp namespace" \
    '[.namespaces[] | select(.unresolved == true and
    (.seen_from == $ir or .seen_from == $id))] == []' \
    --argjson ir "$IR" --argjson id "$ID"

scan --links
ok "--links: exactly two links touch the router or the dhcp namespace" \
    '[.links[] | select(.ns == $ir or .ns == $id or .peer_ns == $ir or .peer_ns == $id)] |
    length == 2' --argjson ir "$IR" --argjson id "$ID"
ok "--links: router <-> dhcp once, by $QR / $TAP" \
    'lnk($qr) | length == 1 and (.[0] | .kind == "veth" and
    ((.ns == $ir and .interface == $qr and .peer_ns == $id and .peer_interface == $tap) or
     (.ns == $id and .interface == $tap and .peer_ns == $ir and .peer_interface == $qr)))' \
    --argjson ir "$IR" --argjson id "$ID" --arg qr "$QR" --arg tap "$TAP"
ok "--links: router <-> ours once, by $QG / $EX" \
    'lnk($qg) | length == 1 and (.[0] | .kind == "veth" and
    ((.ns == $ir and .interface == $qg and .peer_ns == $i0 and .peer_interface == $ex) or
     (.ns == $i0 and .interface == $ex and .peer_ns == $ir and .peer_interface == $qg)))' \
    --argjson ir "$IR" --argjson i0 "$I0" --arg qg "$QG" --arg ex "$EX"

# The --links table names the namespaces on both sides.
table --links -r
has_line "--links table: $R <-> $D by $QR / $TAP" " $QR" " $TAP" " $R " " $D "
has_line "--links table: $R <-> ours by $QG / $EX" " $QG" " $EX" " $R " "$I0 " "$IR "
exit 0
