#!/bin/bash
# DETAILS of a network namespace no task is in (ip netns add): the
# addresses the test gives its interfaces, read through netlink from
# outside; the same addresses next to the interfaces in INTERFACES and
# in the interface objects of -J.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd ip
need_cmd jq
scratch

name="nsft-a$$"
ip netns add "$name" || skip "ip netns add failed"
on_exit "ip netns delete '$name'"
net=$(stat -L -c %i "/run/netns/$name") || fail "no /run/netns/$name"
# Addresses from the pid: unique per run, inside TEST-NET and ULA space.
o3=$(( $$ % 250 + 1 ))
a4="198.51.100.$o3" a6="fd00:5e7::$o3"
ip -n "$name" link add nsfa type veth peer name nsfb || fail "cannot add a veth pair"
ip -n "$name" addr add "$a4/24" dev nsfa || fail "ip addr add $a4"
ip -n "$name" addr add "$a6/64" dev nsfb nodad || fail "ip addr add $a6"

got=$(nsfind -l -n -u -W -o DETAILS "$net" 2>"$SCRATCH/err") || fail "nsfind: $(cat "$SCRATCH/err")"
[ "$got" = "nsfa $a4/24, nsfb $a6/64" ] ||
    fail "net $net: want 'nsfa $a4/24, nsfb $a6/64', got '$got'"

# Next to the interfaces, when DETAILS is on.
got=$(nsfind -l -n -u -o INTERFACES,DETAILS "$net" 2>/dev/null)
grep -qF "nsfa(veth) $a4/24" <<<"$got" || fail "INTERFACES lacks 'nsfa(veth) $a4/24': $got"
grep -qF "nsfb(veth) $a6/64" <<<"$got" || fail "INTERFACES lacks 'nsfb(veth) $a6/64': $got"
# ... and not without it (the default columns' cost does not grow).
nsfind -l -n -u -o INTERFACES "$net" 2>/dev/null | grep -qF "$a4" &&
    fail "addresses shown without DETAILS"

nsfind -J "$net" >"$SCRATCH/n.json" 2>"$SCRATCH/err" || fail "nsfind -J: $(cat "$SCRATCH/err")"
jq -e --arg a "$a4" --arg b "$a6" '.namespaces[0] |
    (.details.addresses | map({interface, family, address, prefixlen})) ==
	[{interface: "nsfa", family: "inet", address: $a, prefixlen: 24},
	 {interface: "nsfb", family: "inet6", address: $b, prefixlen: 64}] and
    ([.interfaces[] | select(.name == "nsfa") | .addresses] == [[$a + "/24"]]) and
    ([.interfaces[] | select(.name == "nsfb") | .addresses] == [[$b + "/64"]])' \
    "$SCRATCH/n.json" >/dev/null ||
    fail "-J: $(jq -c '.namespaces[0] | {details, interfaces}' "$SCRATCH/n.json")"
exit 0
