#!/bin/bash
# Hidden: a network namespace bind-mounted inside a mount namespace that
# has no process and is kept only by an fd of a process of ours.  The
# mount namespace has the fd holder; the netns has a bind-mount holder in
# that mount namespace.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

nf=$W/netns
touch "$nf" || fail "touch"
hold h mnt "unshare --net='$nf' true && stat -c %i '$nf' >'$W/netino'"
m=$(field "$W/h" mnt 2) fd=$(field "$W/h" mnt 3) n=$(cat "$W/netino")
[ -n "$n" ] && [ "$n" != "$(stat -c %i "$nf")" ] || fail "inner mount leaked out"
ours "$m" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
ok "mount ns listed once, hidden" \
    'ns($m) | length == 1 and .[0].type == "mnt" and .[0].hidden' --argjson m "$m"
ok "mount ns held by the fd" \
    '(ns($m)[0] | held) == [{kind: "fd", pid: $p, tid: null, fd: $fd}]' \
    --argjson m "$m" --argjson p "$HP" --argjson fd "$fd"
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "netns held by a bind mount in the fd-held mount ns" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m,
	chain: "\($p) in mnt:[\($m)]"}]' \
    --argjson n "$n" --arg p "$nf" --argjson m "$m"

exit 0
