#!/bin/bash
# --why for the holders that are not a member, an fd that reads as a
# namespace, or a mount in a mount namespace: a zombie (released by its
# parent, which must reap it), an open_tree(2) clone of a namespace bind
# mount (an fd that reads "/"), a namespace bind-mounted in a detached
# tree that an fd holds (close that fd), and a bind mount that another one
# covers on the same path (umount it once the cover is gone).  Text and
# JSON; the hints are checked, never run.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
scratch
W=$SCRATCH
. "$(dirname "$0")/lib_holders.sh"

# A pid namespace whose only task is a zombie; a uts namespace held only by
# an open_tree clone of its bind mount; an ipc namespace bind-mounted in a
# detached tree (a recursive clone).
zombie_pidns
n_zombie=$ZNS
clone_held
n_clone=$CLONE_NS fd1=$FD1
tree_held
n_tree=$TREE_NS fd2=$FD2

# A uts namespace bind-mounted on a file, and an ipc one mounted over it.
touch "$W/c"
unshare --uts="$W/c" true || fail "unshare --uts=$W/c"
on_exit "umount -l $W/c"
n_covered=$(stat -c %i "$W/c")
unshare --ipc="$W/c" true || fail "unshare --ipc=$W/c"
on_exit "umount -l $W/c"
n_cover=$(stat -c %i "$W/c")

args=("$n_zombie" "$n_clone" "$n_tree" "$n_covered")
# The detached tree is walked through a copy of its fd (pidfd_getfd):
# without it (an old kernel, or valgrind) nsfind says so and cannot see it.
tree=1
nsfind -J >"$W/all.json" 2>/dev/null
if jq -e 'any(.notes[]; test("pidfd_open or pidfd_getfd is missing"))' "$W/all.json" >/dev/null; then
	echo "note: no pidfd_getfd here: the detached tree is left out"
	tree=
	args=("$n_zombie" "$n_clone" "$n_covered")
fi
# nsfind exits 3 when it knows it missed something (a limit, a hang): the
# trees are still whole for what it found.
run() { nsfind "$@" 2>"$W/err" || [ $? -eq 3 ] || fail "nsfind $*: $(cat "$W/err")"; }
run --why "${args[@]}" >"$W/out"
T='(├─|└─|\|-|`-) '
has() {
	grep -Eq -- "$1" "$W/out" && return 0
	cat "$W/out"
	fail "$2: no line matching: $1"
}
has "^pid:\[$n_zombie\] \(hidden\)\$" "zombie: header"
has "^${T}zombie $Z, not reaped by its parent $ZP \(.*zombie_ns\); release: $ZP \(zombie_ns\) must reap it \(wait\(2\)\), or end it: kill $ZP( |\$)" \
    "zombie root"
has "^${T}fd $fd1 of process $T1 \(.*treehold $W/f\); release: close fd $fd1 of $T1 \(treehold\), or kill $T1( |\$)" \
    "open_tree clone root"
[ -z "$tree" ] || has "^${T}bind-mount /sub/x in a detached tree of fd $fd2 of process $T2 \(.*treehold $W/d recursive\); release: close fd $fd2 of $T2 \(treehold\), or kill $T2( |\$)" \
    "detached tree root"
has "^${T}bind-mount $W/c \(covered by ipc:\[$n_cover\]\); release: umount $W/c, once what covers it \(ipc:\[$n_cover\]\) is unmounted\$" \
    "covered bind mount root"

run --why -J "${args[@]}" >"$W/out.json"
# rel NS SELECT RELEASE: the one holder of NS that SELECT picks says
# RELEASE (and, after a kill, maybe the unit the process is in).
rel() {
	jq -e --argjson n "$1" --arg r "$3" ".namespaces[] | select(.ns == \$n) |
	    [.holders[] | select($2)] | length == 1 and (.[0] | (has(\"via\") | not) and
	    (.release | startswith(\$r) and (.[(\$r | length):] | . == \"\" or startswith(\" (in \"))))" \
	    "$W/out.json" >/dev/null && return 0
	jq -c --argjson n "$1" '.namespaces[] | select(.ns == $n)' "$W/out.json"
	fail "JSON: $2"
}
rel "$n_zombie" ".kind == \"zombie\" and .pid == $Z and .ppid == $ZP" \
    "$ZP (zombie_ns) must reap it (wait(2)), or end it: kill $ZP"
rel "$n_clone" ".kind == \"fd\" and .pid == $T1 and .fd == $fd1" \
    "close fd $fd1 of $T1 (treehold), or kill $T1"
[ -z "$tree" ] || rel "$n_tree" ".kind == \"bind-mount\" and .detached_tree and .pid == $T2 and .fd == $fd2 and .path == \"/sub/x\"" \
    "close fd $fd2 of $T2 (treehold), or kill $T2"
rel "$n_covered" ".kind == \"bind-mount\" and .covered and .path == \"$W/c\"" \
    "umount $W/c, once what covers it (ipc:[$n_cover]) is unmounted"
exit 0
