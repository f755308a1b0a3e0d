#!/bin/bash
# Hidden: a network namespace bind-mounted only inside a private mount
# namespace that has a process (the mount cannot be seen from ours) is
# found through that process, with a bind-mount holder whose mntns is the
# process's mount namespace.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

f=$W/netns
touch "$f" || fail "touch"
unshare --mount --propagation private \
    sh -c "unshare --net='$f' true && exec sleep 1000" &
sp=$!
on_exit "kill_tree $sp"
mounted() { [ "$(cat /proc/$sp/comm)" = sleep ] && grep -qF " $f " /proc/$sp/mountinfo; }
settle mounted || fail "the private mount did not appear"
grep -qF " $f " /proc/self/mountinfo && fail "the mount is visible from here"
m=$(ns_ino "$sp" mnt)
n=$(stat -c %i "/proc/$sp/root$f") || fail "stat through /proc/$sp/root"
[ "$m" != "$(ns_ino $$ mnt)" ] || fail "no new mount namespace"
ours "$n" "$m"

scan
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "bind-mount holder in the private mount ns" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m,
	chain: "\($p) in mnt:[\($m)]"}]' \
    --argjson n "$n" --arg p "$f" --argjson m "$m"
ok "the mount ns is listed, not hidden" \
    'ns($m) | length == 1 and .[0].type == "mnt" and (.[0].hidden | not)' \
    --argjson m "$m"

scan --hidden
ok "--hidden lists the netns" 'ns($n) | length == 1' --argjson n "$n"
ok "--hidden leaves out the mount ns" 'ns($m) | length == 0' --argjson m "$m"
exit 0
