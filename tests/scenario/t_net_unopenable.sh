#!/bin/bash
# Network view of a netns that nsfind knows only from a mount table: it is
# bind-mounted on $W/d/f in a private mount namespace (of a process of
# ours), and a tmpfs mounted on $W/d there hides the mount point, so the
# path no longer opens; nsfind has its inode, no fd.  Its interfaces
# cannot be listed, and they must not be taken for another namespace's:
# the namespace has only lo, and above all not the links of nsfind's own
# netns; `--links` must not show our veth pair a second time through it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"
need_cmd stat

N=$P-n A=$P-a B=$P-b I0=$SELF_NET
ours "$I0"
netns_add "$N"
IN=$NS_INO
root_veth "$A" "$B" netns "$N"

mkdir "$W/d" || fail "mkdir"
bg_in holder unshare -m --propagation private sh -c '
	: >"$1/d/f" && unshare --net="$1/d/f" true &&
	stat -L -c %i "$1/d/f" >"$1/ino.tmp" && mv "$1/ino.tmp" "$1/ino" &&
	mount -t tmpfs nsft-cover "$1/d" && echo ready >"$1/ready" &&
	exec sleep 100000' sh "$W"
HP=$BG
wait_for test -s "$W/ready" || fail "holder: $(cat "$W/holder.out")"
IX=$(cat "$W/ino")
ours "$IX"
grep -q " $W/d/f .* - nsfs " "/proc/$HP/mountinfo" || fail "no nsfs mount on $W/d/f"
[ ! -e "/proc/$HP/root$W/d/f" ] || fail "$W/d/f is not hidden by the tmpfs"

scan -t net
ok "$IX: listed once, hidden, held by the bind mount on $W/d/f" \
    'ns($ix) | length == 1 and (.[0] | .hidden and
    ([.holders[] | select(.kind == "bind-mount" and .path == $p)] | length == 1))' \
    --argjson ix "$IX" --arg p "$W/d/f"
ok "$IX: not given the interfaces of nsfind's own netns (it has only lo)" \
    'ns($ix)[0] | (.interfaces // []) | map(.name) - ["lo"] == []' --argjson ix "$IX"
ok "$A: listed once, in our netns only" \
    '[.namespaces[] | select(.interfaces[]? | .name == $a) | .ns] == [$i0]' \
    --argjson i0 "$I0" --arg a "$A"

scan --links
ok "--links: the pair $A <-> $B once, from our netns or $N only" \
    'lnk($a) | length == 1 and (.[0] | (.ns == $i0 and .peer_ns == $in) or
    (.ns == $in and .peer_ns == $i0))' \
    --argjson i0 "$I0" --argjson in "$IN" --arg a "$A"
exit 0
