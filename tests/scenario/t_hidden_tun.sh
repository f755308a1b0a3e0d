#!/bin/bash
# Hidden: a network namespace held only by an open tun device attached in
# it, in a process that lives in our netns, is listed, hidden, with the
# holder "tun" naming that process, fd and interface.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"
# no_copy: nsfind said it cannot copy sockets and tun devices, so cannot
# see what they hold (the kernel lacks pidfd_getfd, or valgrind does).
no_copy() {
	jq -e 'any(.notes[]; test("pidfd_getfd.*missing|lacks pidfd_getfd"))' \
	    "$W/out.json" >/dev/null
}

# Loading the tun module, when it is one, is left as is: other users of
# the machine may start relying on it at once.
[ -c /dev/net/tun ] || modprobe tun >/dev/null 2>&1
[ -c /dev/net/tun ] || skip "no /dev/net/tun (tun module missing)"

ifname=nsft$$
ifname=${ifname:0:15}
hold h tun "$ifname"
n=$(field "$W/h" net 2) fd=$(field "$W/h" net 3)
[ "$(readlink "/proc/$HP/fd/$fd")" = /dev/net/tun ] || fail "fd $fd is no tun"
ours "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
no_copy && skip "nsfind cannot copy sockets here: no pidfd_getfd (under valgrind?)"
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "netns held by the tun device" \
    '(ns($n)[0] | held) == [{kind: "tun", pid: $p, tid: null, fd: $fd, ifname: $i}]' \
    --argjson n "$n" --argjson p "$HP" --argjson fd "$fd" --arg i "$ifname"

exit 0
