#!/bin/bash
# Hidden: a network namespace bind-mounted inside a mount namespace that
# has no process, the mount namespace itself kept by a bind mount on a
# file of ours (`unshare --mount=FILE`).  Both are listed and hidden; the
# netns's holder is a bind mount in that mount namespace, and its chain
# leads from our file to the inner path.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

# A mount namespace file may only be bind-mounted where the mount does not
# propagate (the kernel refuses to copy it to peers): a private mount.
mkdir "$W/priv" || fail "mkdir"
mount --bind "$W/priv" "$W/priv" || fail "bind $W/priv"
unmount_later "$W/priv"
mount --make-private "$W/priv" || fail "make-private"
mf=$W/priv/mntns nf=$W/netns
touch "$mf" "$nf" || fail "touch"
unmount_later "$mf"
unshare --mount="$mf" --propagation private \
    sh -c "unshare --net='$nf' true && stat -c %i '$nf' >'$W/netino'" ||
    fail "unshare --mount=$mf"
m=$(stat -c %i "$mf") n=$(cat "$W/netino")
[ -n "$n" ] && [ "$n" != "$(stat -c %i "$nf")" ] || fail "inner mount leaked out"
ours "$m" "$n"

# One scan: --hidden must list them, with all they say.
scan --hidden
ok "mount ns listed once, hidden" \
    'ns($m) | length == 1 and .[0].type == "mnt" and .[0].hidden' --argjson m "$m"
ok "mount ns held by our bind mount" \
    '(ns($m)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $h, chain: $p}]' \
    --argjson m "$m" --arg p "$mf" --argjson h "$(ns_ino $$ mnt)"
ok "netns listed once, hidden" \
    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' --argjson n "$n"
ok "netns held by a bind mount in the hidden mount ns, chained from ours" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m,
	chain: "\($mf) » \($p)"}]' \
    --argjson n "$n" --arg p "$nf" --argjson m "$m" --arg mf "$mf"

exit 0
