# Holders that do not read as a namespace, built the same way for the
# tests that check them (t_holder_*) and --why on them (t_why_kinds).
# Source after lib.sh, once $W (the test's scratch dir) is set.

# zombie_pidns: a pid namespace whose only task is a zombie.  Sets ZP (its
# parent, which never reaps it), Z (the zombie) and ZNS (the namespace).
zombie_pidns() {
	[ -x "$HELPERS/zombie_ns" ] || skip "needs $HELPERS/zombie_ns (make unit)"
	"$HELPERS/zombie_ns" >"$W/z" 2>"$W/z.err" &
	ZP=$!
	on_exit "kill_tree $ZP"
	wait_for grep -qx ready "$W/z" || fail "zombie_ns: $(cat "$W/z.err")"
	Z=$(head -1 "$W/z")
	wait_for grep -q '^State:.*Z' "/proc/$Z/status" || fail "$Z is no zombie"
	ZNS=$(ns_ino "$Z" pid)
}

# clone_held: a uts namespace bind-mounted on $W/f, then held only by an
# open_tree(2) clone of that mount, which reads "/" in /proc/PID/fd.  Sets
# T1 (the holder), FD1 (its fd) and CLONE_NS.
clone_held() {
	[ -x "$HELPERS/treehold" ] || skip "needs $HELPERS/treehold (make unit)"
	touch "$W/f"
	unshare --uts="$W/f" true || fail "unshare --uts"
	on_exit "umount -l $W/f"
	CLONE_NS=$(stat -c %i "$W/f")
	"$HELPERS/treehold" "$W/f" >"$W/t1" 2>"$W/t1.err" &
	T1=$!
	on_exit "kill_tree $T1"
	wait_for grep -qx ready "$W/t1" || fail "treehold: $(cat "$W/t1.err")"
	FD1=$(head -1 "$W/t1")
	[ "$(readlink "/proc/$T1/fd/$FD1")" = / ] || fail "the clone does not read as /"
	umount -l "$W/f" || fail "umount $W/f"
}

# tree_held: an ipc namespace bind-mounted on /sub/x of a tmpfs at $W/d,
# then held only by a recursive open_tree(2) clone of $W/d (a detached
# tree).  Sets T2 (the holder), FD2 (its fd) and TREE_NS.
tree_held() {
	[ -x "$HELPERS/treehold" ] || skip "needs $HELPERS/treehold (make unit)"
	mkdir "$W/d"
	mount -t tmpfs -o size=64k "$TAG" "$W/d" || fail "mount tmpfs"
	on_exit "umount -l $W/d"
	mkdir "$W/d/sub"
	touch "$W/d/sub/x"
	unshare --ipc="$W/d/sub/x" true || fail "unshare --ipc"
	on_exit "umount -l $W/d/sub/x"
	TREE_NS=$(stat -c %i "$W/d/sub/x")
	"$HELPERS/treehold" "$W/d" recursive >"$W/t2" 2>"$W/t2.err" &
	T2=$!
	on_exit "kill_tree $T2"
	wait_for grep -qx ready "$W/t2" || fail "treehold: $(cat "$W/t2.err")"
	FD2=$(head -1 "$W/t2")
	umount -l "$W/d/sub/x" && umount -l "$W/d" || fail "umount the originals"
}
