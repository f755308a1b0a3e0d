#!/bin/bash
# The initial namespaces when /proc/1/ns cannot be read: nsfind runs without
# CAP_SYS_PTRACE, which PID 1 holds, so the kernel refuses PID 1 (as it does
# to root whenever PID 1 holds a capability root lacks).  All eight initial
# namespaces are still listed and marked initial, with the inodes kthreadd
# shows, and nsfind says, in the JSON and on stderr, what it could not see.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd capsh
need_cmd jq
scratch
export NSFIND_BIN NSFIND_WRAP

types="cgroup ipc mnt net pid time user uts"
declare -A fixed=([ipc]=4026531839 [uts]=4026531838 [user]=4026531837
    [pid]=4026531836 [cgroup]=4026531835 [time]=4026531834 [net]=4026531833
    [mnt]=4026531832)

[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] || skip "PID 2 is not kthreadd (in a container?)"
declare -A kino
for t in $types; do
	kino[$t]=$(stat -L -c %i /proc/2/ns/$t 2>/dev/null) ||
	    skip "this test cannot read /proc/2/ns/$t to know the initial $t ns"
done

drop="capsh --drop=cap_sys_ptrace --"
if $drop -c 'readlink /proc/1/ns/net' >/dev/null 2>&1; then
	skip "/proc/1/ns/net is still readable without CAP_SYS_PTRACE (PID 1 lacks it?)"
fi
# Without CAP_SYS_PTRACE kthreadd may be refused too; then only the kernel's
# fixed inodes can say which namespaces are the initial ones.
k2=yes
$drop -c 'readlink /proc/2/ns/net' >/dev/null 2>&1 || k2=no

$drop -c 'exec $NSFIND_WRAP "$NSFIND_BIN" -J' >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
[ "$rc" -eq 0 ] || fail "nsfind -J without CAP_SYS_PTRACE exited $rc: $(cat "$SCRATCH/err")"
jq -e . "$SCRATCH/out" >/dev/null || fail "output is not JSON"

for t in $types; do
	if [ "${kino[$t]}" != "${fixed[$t]}" ] && [ $k2 = no ]; then
		echo "note: $t has no fixed initial inode on this kernel and kthreadd is unreadable: not checked"
		continue
	fi
	got=$(jq -c --arg t "$t" '[.namespaces[] | select(.type == $t and .initial) | .ns]' "$SCRATCH/out")
	[ "$got" = "[${kino[$t]}]" ] ||
	    fail "initial $t ns: nsfind marks $got initial, kthreadd is in ${kino[$t]}"
done
# Nothing else is marked initial.
all=$(for t in $types; do echo "${kino[$t]}"; done | jq -sc .)
got=$(jq -c --argjson k "$all" '[.namespaces[] | select(.initial and (.ns as $i | $k | index($i) | not)) | .ns]' "$SCRATCH/out")
[ "$got" = "[]" ] || fail "namespaces $got are marked initial but kthreadd is not in them"

# The refusal is said, naming PID 1, in the JSON and on stderr.
note=$(jq -r '.notes[] | select(test("could not inspect"))' "$SCRATCH/out")
[ "$(grep -c . <<<"$note")" -eq 1 ] || fail "want one 'could not inspect' note, got: $(jq -c .notes "$SCRATCH/out")"
grep -Eq 'pid 1([^0-9]|$)' <<<"$note" || fail "the note does not name PID 1: $note"
grep -qxF "nsfind: note: $note" "$SCRATCH/err" || fail "the note is not on stderr: $(cat "$SCRATCH/err")"
exit 0
