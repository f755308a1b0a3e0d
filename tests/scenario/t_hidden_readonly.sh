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
. "$(dirname "$0")/lib_hidden.sh"
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
