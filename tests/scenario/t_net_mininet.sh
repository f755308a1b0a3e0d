#!/bin/bash
# Network view of a mininet-like node: hosts h1..h4, each an interactive
# "bash --norc --noediting -is mininet:hN" in a network namespace of its
# own that only the shell holds (no /run/netns name), as mininet's mnexec
# starts them; a switch s1 in its own namespace (mininet's inNamespace
# switch: the same kind of shell) with a bridge; hN-eth0 <-> s1-ethN by
# veth, made from inside the switch.  nsfind lists each host namespace with
# its shell as process and the container "hN (mininet)", resolves every
# veth peer to the switch (and back), and `--links` shows the four links.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"
need_cmd bash
need_cmd mkfifo

# node NAME: "bash --norc --noediting -is mininet:NAME" in a new netns,
# reading commands from a fifo we keep open; its pid in NP, its netns
# inode in NI.
node() {
	local fd
	mkfifo "$W/$1.in" || fail "mkfifo"
	# Opened read-write first, so that neither open waits for the other.
	exec {fd}<>"$W/$1.in"
	on_exit "exec $fd>&-"
	unshare --net -- bash --norc --noediting -is "mininet:$1" \
	    <"$W/$1.in" >"$W/$1.out" 2>&1 &
	NP=$!
	on_exit "kill_tree $NP"
	wait_exec "$NP" bash || fail "$1: bash does not run: $(cat "$W/$1.out")"
	wait_for sh -c "[ \"\$(stat -L -c %i /proc/$NP/ns/net)\" != $SELF_NET ]" ||
	    fail "$1: not in a netns of its own"
	NI=$(ns_ino "$NP" net)
	ours "$NI"
}
# at PID CMD...: CMD in the netns of PID (as mininet's cmd() does, but
# without going through the node's shell).
at() { local p=$1; shift; nsenter -t "$p" -n "$@"; }

node s1
SP=$NP SI=$NI
at "$SP" ip link add s1 type bridge || fail "bridge s1"
at "$SP" ip link set dev s1 up || fail "s1 up"
declare -A HP HI
for n in 1 2 3 4; do
	node "h$n"
	HP[$n]=$NP HI[$n]=$NI
	at "$SP" ip link add "s1-eth$n" type veth peer name "h$n-eth0" netns "$NP" ||
	    fail "veth s1-eth$n <-> h$n-eth0"
	at "$SP" ip link set dev "s1-eth$n" master s1 up || fail "s1-eth$n up"
	at "$NP" ip addr add "10.0.0.$n/8" dev "h$n-eth0" || fail "h$n address"
	at "$NP" ip link set dev "h$n-eth0" up || fail "h$n-eth0 up"
done
[ "$(printf '%s\n' "$SI" "${HI[@]}" | sort -u | wc -l)" -eq 5 ] ||
    fail "the nodes do not have five namespaces"
BRIDGE=$(at "$SP" ip -j link show dev s1 | jq '.[0].ifindex')

scan -t net
for n in 1 2 3 4; do
	ok "h$n: its netns listed once, its shell the process, no name" \
	    'ns($i) | length == 1 and (.[0] | .type == "net" and .hidden == false and
	    .nprocs >= 1 and .pid == $p and
	    .command == "bash --norc --noediting -is mininet:" + $h and
	    .names == [] and .nsfs == [])' \
	    --argjson i "${HI[$n]}" --argjson p "${HP[$n]}" --arg h "h$n"
	ok "h$n: lo and h$n-eth0, a veth to s1-eth$n in the switch" \
	    '(ns($i)[0].interfaces | map(.name) | sort) == ["h" + $n + "-eth0", "lo"] and
	    (ifc($i; "h" + $n + "-eth0") | length == 1 and (.[0] | .kind == "veth" and
	    .peer_ns == $s and .peer_name == "s1-eth" + $n))' \
	    --argjson i "${HI[$n]}" --argjson s "$SI" --arg n "$n"
	ok "s1-eth$n: in the switch, on bridge s1, a veth to h$n-eth0 in h$n" \
	    'ifc($s; "s1-eth" + $n) | length == 1 and (.[0] | .kind == "veth" and
	    .master == $br and .peer_ns == $i and .peer_name == "h" + $n + "-eth0")' \
	    --argjson i "${HI[$n]}" --argjson s "$SI" --arg n "$n" --argjson br "$BRIDGE"
done
ok "s1: its netns, its shell the process, lo, the bridge and four ports" \
    'ns($s) | length == 1 and (.[0] | .pid == $p and
    .command == "bash --norc --noediting -is mininet:s1" and
    (.interfaces | map(.name) | sort) == ["lo", "s1", "s1-eth1", "s1-eth2", "s1-eth3", "s1-eth4"] and
    (.interfaces[] | select(.name == "s1") | .kind == "bridge"))' \
    --argjson s "$SI" --argjson p "$SP"
ok "nothing unresolved is seen from the nodes" \
    '[.namespaces[] | select(.unresolved == true and (.seen_from as $f | $o | index($f)))] == []' \
    --argjson o "$OURS"
cp "$W/out.json" "$W/net.json"

scan --links
ok "--links: four links touch the nodes, one per host, each to its switch port" \
    '[.links[] | select((.ns as $n | $o | index($n)) or (.peer_ns as $n | $n != null and ($o | index($n))))] |
    length == 4 and (map(if .ns == $s then [.interface, .peer_interface, .peer_ns]
    else [.peer_interface, .interface, .ns] end) | sort) ==
    [range(1; 5) | tostring as $k | ["s1-eth" + $k, "h" + $k + "-eth0", $h[$k]]] and
    all(.kind == "veth")' \
    --argjson o "$OURS" --argjson s "$SI" \
    --argjson h "$(for n in 1 2 3 4; do echo "$n ${HI[$n]}"; done |
        jq -Rn '[inputs | split(" ") | {key: .[0], value: (.[1] | tonumber)}] | from_entries')"

# Who is it: mininet, by node name, in JSON (the first scan had every
# column) and in the CONTAINER column.
cp "$W/net.json" "$W/out.json"
for n in 1 2 3 4; do
	ok "h$n: container engine mininet, name h$n" \
	    'ns($i) | length == 1 and (.[0].container | .engine == "mininet" and .name == $h)' \
	    --argjson i "${HI[$n]}" --arg h "h$n"
done
ok "s1: container engine mininet, name s1" \
    'ns($s)[0].container | .engine == "mininet" and .name == "s1"' --argjson s "$SI"
table -t net -r -o NS,CONTAINER
for n in 1 2 3 4; do
	[ "$(row "${HI[$n]}")" = "${HI[$n]} h$n\\x20(mininet)" ] ||
	    { row "${HI[$n]}"; fail "CONTAINER of h$n is not 'h$n (mininet)'"; }
done
exit 0
