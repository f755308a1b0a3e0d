#!/bin/bash
# Holders that do not read as a namespace: an open_tree(OPEN_TREE_CLONE)
# fd of a namespace bind mount reads "/" in /proc/PID/fd yet holds the
# namespace; a recursive clone of a directory holds every nsfs mount below
# it in a detached tree that no mount namespace shows.  After the original
# mounts are gone, nsfind must still find both and name the fd.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
scratch
W=$SCRATCH
. "$(dirname "$0")/lib_holders.sh"
clone_held
uts1=$CLONE_NS fd1=$FD1
tree_held
ipc2=$TREE_NS fd2=$FD2

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
