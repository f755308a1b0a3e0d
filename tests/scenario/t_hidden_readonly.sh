#!/bin/bash
# Hidden, read-only: nsfind looks and changes nothing.  With hidden
# namespaces of every kind of holder in place (a mount ns held by an fd
# with a netns mounted inside, a netns held by an fd and one bind-mounted
# here joined by a veth, a socket-held netns in a user ns held as owner,
# a tun-held netns, a netns mounted in a private mount ns with a process),
# runs of nsfind leave identical: our mount table's entries for them, the
# mount tables inside the private mount namespaces, the netns ids every
# one of them gives the others (and ours gives them: none), the links in
# them, the holding processes (alive, same fds, same namespaces), and
# nobody is left inside a hidden namespace.  Two runs agree.
#
# Netns ids: the kernel hands one out (peernet2id_alloc) whenever a link
# dump names a veth's peer netns that has none yet, so a scan that dumps
# the links of a netns can change the ids.  It must not.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
OURS="[]"	# inodes of our namespaces, shown when a check fails
PIDS="[]"	# our processes: only their fds count as holders here

# ours INO... / pids PID...: remember our namespaces / processes.
ours() { OURS=$(jq -nc --argjson a "$OURS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
pids() { PIDS=$(jq -nc --argjson a "$PIDS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
# unmount_later PATH: our mount on PATH goes when the test ends; lazily
# when busy (a running nsfind keeps files open through the mount).
unmount_later() {
	local q
	q=$(printf %q "$1")
	on_exit "umount $q || umount -l $q"
}
# settle CMD...: wait up to 30 s for a condition of our own setup (the
# machine may be busy with other tests and a benchmark).
settle() {
	local i
	for i in $(seq 300); do "$@" && return 0; sleep 0.1; done
	return 1
}
# scan [ARGS...]: nsfind -J ARGS into $W/out.json; it must succeed.
scan() {
	nsfind -J "$@" >"$W/out.json" 2>"$W/err" ||
	    fail "nsfind -J $* exited $?: $(cat "$W/err")"
}
# jq: ns($i) is the list of namespaces with inode $i (one, when all is
# well); held is a namespace's holders cut to the fields checked here,
# and to what is ours: other processes' fds (another nsfind running holds
# every namespace for a moment) and bind mounts in other mount namespaces
# (one made meanwhile copies our mounts) are left out.
JQDEFS='def ns($i): [.namespaces[] | select(.ns == $i)];
def held: [.holders[] | select((.kind == "fd" or .kind == "socket" or
	.kind == "tun" | not) or (.pid as $p | $pids | index($p))) |
	select(.kind != "bind-mount" or
	(.mntns as $m | $ours + [$hostmnt] | index($m))) |
	{kind} + if .kind == "bind-mount" then {path, mntns, chain}
	elif .kind == "owner" or .kind == "parent" then {count, ns, type}
	elif .kind == "tun" then {pid, tid, fd, ifname}
	elif .kind == "fd" or .kind == "socket" then {pid, tid, fd} else {} end];'
# ok DESC FILTER [JQ ARGS...]: FILTER holds on the last scan.
ok() {
	local d=$1 f=$2
	shift 2
	jq -e --argjson pids "$PIDS" --argjson ours "$OURS" --argjson hostmnt \
	    "$(ns_ino $$ mnt)" "$@" "$JQDEFS $f" "$W/out.json" >/dev/null &&
	    return 0
	echo "--- what nsfind says about ours ($OURS):"
	jq -c --argjson o "$OURS" '.namespaces[] | select(.ns as $n | $o |
	    index($n)) | {ns, type, hidden, holders}' "$W/out.json"
	jq -c .notes "$W/out.json"
	fail "$d"
}
# hold NAME ARGS...: nshold ARGS in the background, its pid in HP and its
# lines in $W/NAME; killed when the test ends.  HOLD_WRAP prefixes it.
hold() {
	local out=$W/$1
	shift
	[ -x "$HELPERS/nshold" ] || skip "needs $HELPERS/nshold (make unit)"
	${HOLD_WRAP:-} "$HELPERS/nshold" "$@" >"$out" 2>"$out.err" &
	HP=$!
	on_exit "kill_tree $HP"
	pids "$HP"
	settle grep -sqx ready "$out" || fail "nshold $*: $(cat "$out.err")"
}
# field FILE TYPE N: field N of nshold's line for TYPE.
field() { awk -v t="$2" -v n="$3" '$1 == t { print $n; exit }' "$1"; }
# no_copy: nsfind said it cannot copy sockets and tun devices, so cannot
# see what they hold (the kernel lacks pidfd_getfd, or valgrind does).
no_copy() {
	jq -e 'any(.notes[]; test("pidfd_getfd.*missing|lacks pidfd_getfd"))' \
	    "$W/out.json" >/dev/null
}

need_cmd ip
need_cmd nsenter
nsid() { "$HELPERS/nshold" nsid "$1" || echo "nsid $1 failed"; }

touch "$W/inner" "$W/n1" "$W/priv" || fail "touch"
hold h1 mnt "unshare --net=$W/inner true && stat -c %i $W/inner >$W/inner.ino"
hp1=$HP m=$(field "$W/h1" mnt 2) mfd=$(field "$W/h1" mnt 3) n3=$(cat "$W/inner.ino")
hold h2 fd net
hp2=$HP n2=$(field "$W/h2" net 2) n2p=/proc/$HP/fd/$(field "$W/h2" net 3)
unmount_later "$W/n1"
unshare --net="$W/n1" true || fail "unshare --net=$W/n1"
n1=$(stat -c %i "$W/n1")
# A veth made from inside N1 to N2.  The kernel gives a netns an id for
# another lazily, when it first has to name it: N1 has one for N2, N2
# none for N1 until something dumps N2's links.  (With one end in our
# netns the same would happen to our ids, but any `ip link` run here by
# anyone would name it too: a hidden pair is ours alone.)
nsenter --net="$W/n1" ip link add nsftv0 type veth peer name nsftv1 \
    netns "$n2p" || fail "veth N1-N2"
hold h3 socket user
hp3=$HP n4=$(field "$W/h3" net 2) u4=$(field "$W/h3" user 2)
hps="$hp1 $hp2 $hp3" n6=
if [ -c /dev/net/tun ]; then
	hold h4 tun nsft0
	hps="$hps $HP" n6=$(field "$W/h4" net 2)
fi
unshare --mount --propagation private \
    sh -c "unshare --net=$W/priv true && exec sleep 1000" &
sp=$!
on_exit "kill_tree $sp"
settle grep -qF " $W/priv " "/proc/$sp/mountinfo" || fail "private mount"
is_sleep() { [ "$(cat "/proc/$sp/comm")" = sleep ]; }
settle is_sleep || fail "sleep"
n5=$(stat -c %i "/proc/$sp/root$W/priv")
hidden="$m $n1 $n2 $n3 $n4 $u4 $n5 $n6"
ours $hidden "$(ns_ino "$sp" mnt)"

# Everything about them that a scan could change.
snap() {
	local p f i a
	# Root, mount point and type only, once each: others may copy our
	# mounts meanwhile (a recursive bind of /tmp), at the same places.
	echo "== our mount table, for ours"
	a=(-e " $W/")
	for i in $hidden; do a+=(-e ":[$i]"); done
	grep -F "${a[@]}" /proc/self/mountinfo | awk '{ print $4, $5, $(NF - 2) }' |
	    sort -u
	echo "== mount tables of the private mount namespaces"
	nsenter --mount="/proc/$hp1/fd/$mfd" cat /proc/self/mountinfo
	cat "/proc/$sp/mountinfo"
	echo "== netns ids: ours for them, theirs"
	for p in "$W/n1" "$n2p" "/proc/$sp/root$W/priv"; do nsid "$p"; done
	nsenter --net="$W/n1" ip netns list-id
	nsenter --net="$n2p" ip netns list-id
	# No link dump here: dumping a veth whose peer is elsewhere makes the
	# kernel give that netns an id (peernet2id_alloc), a change.
	echo "== holding processes"
	for p in $hps $sp; do
		echo "-- $p $(tr '\0' ' ' <"/proc/$p/cmdline")"
		grep -E '^(State|PPid|Threads):' "/proc/$p/status"
		for f in /proc/$p/fd/* /proc/$p/ns/*; do
			echo "${f#/proc/$p/} $(readlink "$f")"
		done
	done
}
# Tasks in any hidden namespace of ours: there must be none.  One find,
# not a readlink per task: a benchmark may have thousands of them.
inside() {
	local i a=(-false)
	for i in $hidden; do a+=(-o -lname "*:\[$i\]"); done
	find /proc/[0-9]*/task/[0-9]*/ns -maxdepth 1 -type l \( "${a[@]}" \) \
	    -printf '%p %l\n' 2>/dev/null
}
nobody_inside() { [ -z "$(inside)" ]; }

snap >"$W/before" 2>&1
[ -z "$(nsenter --net="$n2p" ip netns list-id)" ] ||
    fail "N2 has an id for N1 before our scans: something else dumped its links (another nsfind -J?)"
nobody_inside || fail "a task is in a hidden namespace before: $(inside)"
nsfind --hidden -T >/dev/null 2>&1 || fail "nsfind --hidden -T exited $?"
scan
cp "$W/out.json" "$W/first.json"
scan
snap >"$W/after" 2>&1
diff -u "$W/before" "$W/after" >&2
changed=$?
ids2=$(nsenter --net="$n2p" ip netns list-id)
[ -z "$ids2" ] || fail "N2 got an id for N1 ($ids2): a link dump named it"
[ $changed -eq 0 ] || fail "a scan changed something (diff above)"
settle nobody_inside || fail "left inside a hidden namespace: $(inside)"

# Without pidfd_getfd (valgrind), what sockets and tun devices hold is
# not seen: the socket's netns and its owner, the tun's netns.
seen=$hidden
no_copy && seen="$m $n1 $n2 $n3 $n5"
for i in $seen; do
	ok "$i listed once, hidden" 'ns($i) | length == 1 and .[0].hidden' --argjson i "$i"
done
mine() {
	jq --argjson ours "$OURS" --argjson pids "$PIDS" --argjson hostmnt \
	    "$(ns_ino $$ mnt)" "$JQDEFS [.namespaces[] | select(.ns as \$n |
	    \$ours | index(\$n)) | {ns, type, hidden, held: held}]" "$1"
}
mine "$W/first.json" >"$W/first.mine" && mine "$W/out.json" >"$W/last.mine" ||
    fail "jq"
diff -u "$W/first.mine" "$W/last.mine" >&2 || fail "two scans disagree about ours"
exit 0
