#!/bin/bash
# A time namespace that only a process's time_for_children points at (the
# process unshared CLONE_NEWTIME and neither forked nor exec'd, since exec
# would enter it): listed with no process, held by "children" through
# time_for_children.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -e /proc/self/ns/time_for_children ] || skip "kernel has no time namespaces"

build_c tfc <<'EOF'
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

int
main(void)
{
	if (unshare(CLONE_NEWTIME) != 0) {
		perror("unshare");
		return 1;
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
EOF

"$SCRATCH/tfc" >"$SCRATCH/ready" &
pid=$!
on_exit "kill_tree $pid"
wait_for grep -q ready "$SCRATCH/ready" || fail "the helper did not unshare its time namespace"
tns=$(ns_ino "$pid" time_for_children) || fail "cannot read time_for_children"
[ "$tns" != "$(ns_ino "$pid" time)" ] || fail "time_for_children is the process's own time ns"

nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J failed: $(cat "$SCRATCH/err")"
n=$(jq --argjson i "$tns" '[.namespaces[] | select(.ns == $i)] | length' "$SCRATCH/all.json")
[ "$n" -eq 1 ] || fail "time ns $tns listed $n times, want once"
o=$(jq -c --argjson i "$tns" '.namespaces[] | select(.ns == $i)' "$SCRATCH/all.json")
check() { jq -e "$1" <<<"$o" >/dev/null || fail "time ns $tns: want $1, got $o"; }
check '.type == "time"'
check '.nprocs == 0 and .nthreads == 0'
check '.hidden == true and .initial == false'
check "[.holders[] | select(.kind == \"children\" and .pid == $pid and .entry == \"time_for_children\")] | length == 1"
check '[.holders[] | select(.kind == "process" or .kind == "thread")] | length == 0'

# The process view shows it on the process's line, by its entry name.
nsfind -P -J >"$SCRATCH/procs.json" 2>"$SCRATCH/err" || fail "nsfind -P -J failed: $(cat "$SCRATCH/err")"
jq -e --argjson p "$pid" --argjson i "$tns" \
    '[.tasks[] | select(.pid == $p and .tid == $p and .entry == "time_for_children" and .ns == $i and .type == "time")] | length == 1' \
    "$SCRATCH/procs.json" >/dev/null ||
    fail "nsfind -P -J: no time_for_children:[$tns] task line for $pid: $(jq -c --argjson p "$pid" '[.tasks[] | select(.pid == $p)]' "$SCRATCH/procs.json")"
exit 0
