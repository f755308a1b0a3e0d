#!/bin/bash
# Hidden: a user namespace whose only reference is a network namespace it
# owns (the netns bind-mounted on a file of ours, no process in either) is
# listed, hidden, with the holder "owner" naming that netns; the netns
# names it as its owner.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

# util-linux cannot persist a netns made with --user (its bind mount is
# refused), so bind-mount it ourselves while the process is still there.
nf=$W/netns
touch "$nf" || fail "touch"
unshare --user --map-root-user --net sleep 1000 &
sp=$!
on_exit "kill_tree $sp"
moved() { [ "$(ns_ino "$sp" user)" != "$(ns_ino $$ user)" ] && [ "$(cat /proc/$sp/comm)" = sleep ]; }
settle moved || fail "unshare --user --net did not start"
u=$(ns_ino "$sp" user) n=$(ns_ino "$sp" net)
unmount_later "$nf"
mount --bind "/proc/$sp/ns/net" "$nf" || fail "bind the netns"
kill_tree "$sp"
[ ! -e "/proc/$sp" ] || fail "the process stayed"
ours "$u" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
ok "netns listed once, hidden, owned by the user ns" \
    'ns($n) | length == 1 and .[0].hidden and .[0].ons == $u' \
    --argjson n "$n" --argjson u "$u"
ok "user ns listed once, hidden" \
    'ns($u) | length == 1 and .[0].type == "user" and .[0].hidden' --argjson u "$u"
ok "user ns held only as owner of the netns" \
    '(ns($u)[0] | held) == [{kind: "owner", count: 1, ns: $n, type: "net"}]' \
    --argjson n "$n" --argjson u "$u"

exit 0
