#!/bin/bash
# Hidden: a network namespace held only by a socket created in it, in a
# process that lives in our netns, is listed, hidden, with the holder
# "socket" naming that process and fd.
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

hold h socket
n=$(field "$W/h" net 2) fd=$(field "$W/h" net 3)
case $(readlink "/proc/$HP/fd/$fd") in socket:*) ;; *) fail "fd $fd is no socket" ;; esac
ours "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
no_copy && skip "nsfind cannot copy sockets here: no pidfd_getfd (under valgrind?)"
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "netns held by the socket" \
    '(ns($n)[0] | held) == [{kind: "socket", pid: $p, tid: null, fd: $fd}]' \
    --argjson n "$n" --argjson p "$HP" --argjson fd "$fd"

exit 0
