#!/bin/bash
# Hidden, combined: a network namespace made in a new user namespace and
# then held only by a socket of a process outside both.  The netns has the
# socket holder; the user ns, referenced only by the netns it owns, has
# the owner holder.
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

hold h socket user
n=$(field "$W/h" net 2) fd=$(field "$W/h" net 3) u=$(field "$W/h" user 2)
ours "$n" "$u"

# One scan: --hidden must list them, with all they say.
scan --hidden
no_copy && skip "nsfind cannot copy sockets here: no pidfd_getfd (under valgrind?)"
ok "netns listed once, hidden, owned by the user ns" \
    'ns($n) | length == 1 and .[0].hidden and .[0].ons == $u' \
    --argjson n "$n" --argjson u "$u"
ok "netns held by the socket" \
    '(ns($n)[0] | held) == [{kind: "socket", pid: $p, tid: null, fd: $fd}]' \
    --argjson n "$n" --argjson p "$HP" --argjson fd "$fd"
ok "user ns listed once, hidden" \
    'ns($u) | length == 1 and .[0].type == "user" and .[0].hidden' --argjson u "$u"
ok "user ns held only as owner of the netns" \
    '(ns($u)[0] | held) == [{kind: "owner", count: 1, ns: $n, type: "net"}]' \
    --argjson n "$n" --argjson u "$u"

exit 0
