#!/bin/bash
# --dot draws every link, groups a container's namespaces, and escapes
# what comes from the host:
#   - a macvlan in namespace A whose lower device is in ours (the initial
#     one, or the one nsfind runs in): only A lists it, and it is drawn,
#     A -- ours, labelled with its name and kind;
#   - a veth pair between A and B, which both ends list: drawn once;
#   - a container (a mininet host): its uts and net namespaces are in one
#     cluster labelled "NAME (mininet)";
#   - a bind mount of A on a path with a quote, a backslash and a newline:
#     the label has them escaped (\", \\x5c, \\x0a), never raw;
#   - owner edges from the initial user namespace are folded into its
#     label ("owns N more");
#   - dot -Tsvg reads it all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_net.sh"
need_cmd dot

A=$P-a B=$P-b
netns_add "$A"
IA=$NS_INO
netns_add "$B"
IB=$NS_INO
# The lower device of the macvlan: one end of a veth pair of ours, here.
LOW=$(ifn "$P-lo") MV=$(ifn "$P-mv")
root_veth "$LOW" "$(ifn "$P-lp")"
ip link add link "$LOW" name "$MV" type macvlan 2>"$W/mverr" ||
    skip "this kernel cannot make a macvlan: $(cat "$W/mverr")"
ip link set "$MV" netns "$A" || fail "cannot move $MV into $A"
VA=$(ifn "$P-va") VB=$(ifn "$P-vb")
ip -n "$A" link add "$VA" type veth peer name "$VB" netns "$B" ||
    fail "veth $VA <-> $VB"

# A container, as mininet starts its hosts.
CNAME=$P-h1
unshare --uts --net bash -c 'sleep 1000; :' "mininet:$CNAME" </dev/null &
CT=$!
on_exit "kill_tree $CT"
wait_for grep -q . "/proc/$CT/task/$CT/children" || fail "container process did not start"
CUTS=$(ns_ino "$CT" uts) CNET=$(ns_ino "$CT" net)

# A host path a DOT label must not carry raw.
ODD="$W/q\"b\\n
l"
: >"$ODD" || fail "cannot create the odd path"
mount --bind "/run/netns/$A" "$ODD" || fail "bind mount on the odd path"
on_exit "umount -l '$W/q\"b\\n
l'"

nsfind --dot >"$W/g.dot" 2>"$W/err" || fail "nsfind --dot: $(cat "$W/err")"
dot -Tsvg "$W/g.dot" >"$W/g.svg" 2>"$W/dot.err" ||
    { cat "$W/g.dot"; fail "dot -Tsvg cannot read it: $(cat "$W/dot.err")"; }

# edges X Y: the edge lines between nodes X and Y, either way.
edges() { grep -E "^\"($1)\" -> \"($2)\" |^\"($2)\" -> \"($1)\" " "$W/g.dot"; }
e=$(edges "net_$IA" "net_$SELF_NET")
grep -q "label=\"$MV macvlan - $LOW\"" <<<"$e" ||
    { cat "$W/g.dot"; fail "no edge for macvlan $MV in $A into ours ($SELF_NET): [$e]"; }
e=$(edges "net_$IA" "net_$IB" | grep -c "$VA")
[ "$e" -eq 1 ] || { cat "$W/g.dot"; fail "veth $VA <-> $VB drawn $e times, want once"; }

# The cluster: from its label line to its closing brace.
awk -v want="label=\"$CNAME (mininet)\";" '
	/^subgraph "cluster_/ { inside = 0; n++ }
	index($0, want) { inside = 1; found++ }
	inside && /^}/ { inside = 0 }
	inside { print }
	END { if (found != 1) exit 1 }' "$W/g.dot" >"$W/cluster" ||
    { cat "$W/g.dot"; fail "no one cluster labelled $CNAME (mininet)"; }
for n in "uts_$CUTS" "net_$CNET"; do
	grep -q "^	\"$n\" " "$W/cluster" ||
	    { cat "$W/g.dot"; fail "$n is not in the cluster of $CNAME"; }
done

# The odd path: escaped, once, nothing raw (a raw newline would split the
# label, a raw quote end it).
grep -qF 'label="mount '"$W"'/q\"b\\x5cn\\x0al' "$W/g.dot" ||
    { grep mount "$W/g.dot"; fail "the odd mount path is not escaped in its label"; }
grep -q '^l' "$W/g.dot" && fail "a raw newline in a label"

# Ownership by the initial user namespace is folded into its label.
IU=$(stat -L -c %i /proc/self/ns/user)
grep -q "^\"user_$IU\" -> " "$W/g.dot" && fail "owner edges from the initial user ns are drawn"
grep -q "^\"user_$IU\" \[label=\"user\\\\n$IU\\\\n(initial)\\\\nowns [0-9]* more" "$W/g.dot" ||
    { grep "user_$IU" "$W/g.dot"; fail "the initial user ns does not say how many it owns"; }
exit 0
