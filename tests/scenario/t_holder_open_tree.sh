#!/bin/bash
# Holders that do not read as a namespace: an open_tree(OPEN_TREE_CLONE)
# fd of a namespace bind mount reads "/" in /proc/PID/fd yet holds the
# namespace; a recursive clone of a directory holds every nsfs mount below
# it in a detached tree that no mount namespace shows.  After the original
# mounts are gone, nsfind must still find both and name the fd.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -x "$HELPERS/treehold" ] || skip "needs $HELPERS/treehold (make unit)"
scratch
W=$SCRATCH
touch "$W/f"
unshare --uts="$W/f" true || fail "unshare --uts"
on_exit "umount -l $W/f"
uts1=$(stat -c %i "$W/f")
"$HELPERS/treehold" "$W/f" >"$W/t1" 2>"$W/t1.err" &
T1=$!
on_exit "kill_tree $T1"
wait_for grep -qx ready "$W/t1" || fail "treehold: $(cat "$W/t1.err")"
fd1=$(head -1 "$W/t1")
[ "$(readlink "/proc/$T1/fd/$fd1")" = / ] || fail "the clone does not read as /"
umount -l "$W/f" || fail "umount $W/f"

mkdir "$W/d"
mount -t tmpfs -o size=64k "${TAG}" "$W/d" || fail "mount tmpfs"
on_exit "umount -l $W/d"
mkdir "$W/d/sub"
touch "$W/d/sub/x"
unshare --ipc="$W/d/sub/x" true || fail "unshare --ipc"
on_exit "umount -l $W/d/sub/x"
ipc2=$(stat -c %i "$W/d/sub/x")
"$HELPERS/treehold" "$W/d" recursive >"$W/t2" 2>"$W/t2.err" &
T2=$!
on_exit "kill_tree $T2"
wait_for grep -qx ready "$W/t2" || fail "treehold: $(cat "$W/t2.err")"
fd2=$(head -1 "$W/t2")
umount -l "$W/d/sub/x" && umount -l "$W/d" || fail "umount the originals"

nsfind -J >"$W/out.json" 2>"$W/err" || [ $? -eq 3 ] || fail "nsfind: $(cat "$W/err")"
jq -e --argjson n "$uts1" --argjson p "$T1" --argjson f "$fd1" '
    .namespaces[] | select(.ns == $n and .type == "uts" and .hidden) |
    select(any(.holders[]; .kind == "fd" and .pid == $p and .fd == $f))' \
    "$W/out.json" >/dev/null ||
    fail "the open_tree fd: $(jq -c --argjson n "$uts1" '.namespaces[] | select(.ns == $n)' "$W/out.json")"
# The tree is walked through a copy of the fd (pidfd_getfd): without it
# (an old kernel, or valgrind, which lacks it) nsfind says so instead.
if jq -e 'any(.notes[]; test("pidfd_open or pidfd_getfd is missing"))' "$W/out.json" >/dev/null; then
	echo "note: nsfind cannot copy fds here (no pidfd_getfd): the detached tree is not walked"
	exit 0
fi
jq -e --argjson n "$ipc2" --argjson p "$T2" --argjson f "$fd2" '
    .namespaces[] | select(.ns == $n and .type == "ipc" and .hidden) |
    select(any(.holders[]; .kind == "bind-mount" and .detached_tree and
	.path == "/sub/x" and .pid == $p and .fd == $f))' \
    "$W/out.json" >/dev/null ||
    fail "the detached tree: $(jq -c --argjson n "$ipc2" '.namespaces[] | select(.ns == $n)' "$W/out.json")"
nsfind -o NS,HOLDERS -u 2>/dev/null | grep -E "^ *$ipc2 .*bind-mount\(/sub/x in a detached tree of fd $fd2 of $T2\)" >/dev/null ||
    fail "table: $(nsfind -o NS,HOLDERS -u 2>/dev/null | grep "$ipc2")"
exit 0
