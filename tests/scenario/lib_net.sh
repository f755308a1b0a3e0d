# Shared by the network scenario tests (t_net_*.sh).  Source it after lib.sh:
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/lib_net.sh"
#
# Everything a test names starts with $P ("nsft-PID") or lives in a namespace
# of its own; $W is its private directory.  Each helper registers its undo
# with on_exit, so that links, namespaces and processes go even on failure:
# a namespace is deleted after the processes in it are killed (on_exit runs
# in reverse order), and deleting a namespace deletes the veths in it.
need_root
need_cmd jq
need_cmd ip
need_cmd nsenter
need_cmd unshare
P="nsft-$$"
W=$(mktemp -d "/tmp/$P.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system '$W'"
OURS="[]"	# inodes of our namespaces, shown when a check fails
SELF_NET=$(ns_ino $$ net)	# our netns, and the one nsfind runs in
SELF_MNT=$(ns_ino $$ mnt)	# our mount ns (copies of our mounts elsewhere do not count)

# ours INO...: remember our namespaces.
ours() {
	OURS=$(jq -nc --argjson a "$OURS" '$a + ($ARGS.positional | map(tonumber))' --args "$@")
}

# ifn NAME: NAME, if it fits an interface name (15 bytes); else the test fails.
ifn() {
	[ "${#1}" -le 15 ] || fail "interface name too long: $1"
	echo "$1"
}

# netns_add NAME: `ip netns add NAME`, deleted at exit; NS_INO is its inode.
netns_add() {
	ip netns add "$1" || fail "ip netns add $1"
	on_exit "ip netns del '$1'"
	NS_INO=$(stat -L -c %i "/run/netns/$1") || fail "stat /run/netns/$1"
	ours "$NS_INO"
}

# netns_file FILE: a new netns bind-mounted on FILE (no process in it, not
# under /run/netns), unmounted at exit; NS_INO is its inode.
netns_file() {
	: >"$1" || fail "cannot create $1"
	on_exit "umount -l '$1'"	# lazily: a copy elsewhere may be busy
	unshare --net="$1" true || fail "unshare --net=$1"
	NS_INO=$(stat -L -c %i "$1") || fail "stat $1"
	ours "$NS_INO"
}

# bg_in NAME CMD...: CMD in the background, its pid in BG and its output in
# $W/NAME.out; killed (with its children) at exit.
bg_in() {
	local name=$1
	shift
	"$@" >"$W/$name.out" 2>&1 &
	BG=$!
	on_exit "kill_tree $BG"
}

# root_veth A B [PEER ARGS...]: a veth A (in our netns) <-> B, with B put
# where PEER ARGS say (e.g. netns NAME); A, and so the pair, is deleted at
# exit.  Only for names that start with $P.
root_veth() {
	local a=$1 b=$2
	shift 2
	case $a in "$P"-*) ;; *) fail "root_veth: $a is not ours" ;; esac
	ip link add "$(ifn "$a")" type veth peer name "$(ifn "$b")" "$@" ||
	    fail "ip link add $a type veth peer name $b $*"
	on_exit "ip link del '$a'"
}

# ipj NETNS-PATH IFNAME: what `ip -j link` says of IFNAME in that netns
# (ifindex, link_index, link_netnsid, operstate...), one JSON object;
# false if there is no such link.  Use as J=$(ipj ...) || fail ...
ipj() {
	nsenter --net="$1" ip -j link show dev "$2" | jq -ce '.[0]'
}

# scan [ARGS...]: nsfind -J ARGS into $W/out.json, its stderr into $W/err;
# it must succeed.  NSFIND_PRE (a command prefix) runs it e.g. under capsh.
scan() {
	${NSFIND_PRE:-} $NSFIND_WRAP "$NSFIND_BIN" -J "$@" >"$W/out.json" 2>"$W/err" ||
	    fail "nsfind -J $* exited $?: $(cat "$W/err")"
	jq -e . "$W/out.json" >/dev/null || fail "nsfind -J $*: not JSON"
}

# jq definitions for the output of the last scan:
#   ns($i)        the namespace objects with inode $i (one, when all is well)
#   ifc($i; $n)   interfaces named $n of namespace $i
#   unres($f; $id) unresolved namespaces seen from $f as netnsid $id
#   lnk($n)       --links rows whose interface or peer interface is $n
JQDEFS='def ns($i): [.namespaces[] | recurse(.children[]?) | select(.ns == $i)];
def ifc($i; $n): [ns($i)[] | .interfaces[]? | select(.name == $n)];
def unres($f; $id): [.namespaces[] | select(.unresolved == true and
	.seen_from == $f and .seen_as_netnsid == $id)];
def lnk($n): [.links[] | select(.interface == $n or .peer_interface == $n)];'

# show: what the last scan says about our namespaces, for a failed check.
show() {
	echo "--- what nsfind says about ours ($OURS):"
	jq -c --argjson o "$OURS" '(.namespaces[]? | select((.ns as $n | $o |
	    index($n)) or (.unresolved == true and (.seen_from as $s | $o |
	    index($s)))) | del(.nsfs, .holders)), (.links[]? | select((.ns as $n |
	    $o | index($n)) or (.peer_ns as $n | $n != null and ($o | index($n)))))' \
	    "$W/out.json" 2>&1 | cut -c1-2000
	echo "--- notes:"
	jq -c '.notes' "$W/out.json" 2>&1 | cut -c1-2000
}

# ok DESC FILTER [JQ ARGS...]: FILTER holds on the last scan.
ok() {
	local d=$1 f=$2
	shift 2
	jq -e "$@" "$JQDEFS $f" "$W/out.json" >/dev/null && return 0
	show
	fail "$d"
}

# table ARGS...: nsfind ARGS (a table) into $W/table; it must succeed.
table() {
	${NSFIND_PRE:-} $NSFIND_WRAP "$NSFIND_BIN" "$@" >"$W/table" 2>"$W/table.err" ||
	    fail "nsfind $* exited $?: $(cat "$W/table.err")"
}

# row NS: the line of the last table that starts with NS (raw output).
row() { awk -v n="$1" '$1 == n' "$W/table"; }

# has_line DESC FIXED-STRING...: some line of the last table holds every
# string; shows our lines of the table if not.
has_line() {
	local d=$1 s lines
	shift
	lines=$(cat "$W/table")
	for s in "$@"; do
		lines=$(printf '%s\n' "$lines" | grep -F -- "$s")
	done
	[ -n "$lines" ] && return 0
	echo "--- our lines of the table (wanted: $*):"
	grep -F -e "$P" $(jq -r '.[] | "-e \(.)"' <<<"$OURS") "$W/table" | cut -c1-400
	fail "$d"
}
