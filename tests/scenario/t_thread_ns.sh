#!/bin/bash
# A uts namespace whose only member is a non-leader thread (lsns never looks
# there): it is listed with no process, held by that thread, and shown by -P
# as the thread's line.  A thread is a task, so by nsfind(8)'s definition
# ("hidden: no task, process or thread, is in it") it is not hidden, and
# --hidden leaves it out.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq

build_c thr <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The second thread leaves for a new uts namespace, says its tid, waits. */
static void *
run(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUTS) != 0) {
		perror("unshare");
		_exit(1);
	}
	printf("%ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	for (;;)
		pause();
}

int
main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, run, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
EOF

"$SCRATCH/thr" >"$SCRATCH/tid" &
pid=$!
on_exit "kill_tree $pid"
wait_for grep -q . "$SCRATCH/tid" || fail "the helper thread did not start"
tid=$(cat "$SCRATCH/tid")
uts=$(stat -L -c %i "/proc/$pid/task/$tid/ns/uts") || fail "cannot read the thread's uts ns"
[ "$uts" != "$(ns_ino "$pid" uts)" ] || fail "the thread did not leave the process's uts ns"

nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J failed: $(cat "$SCRATCH/err")"
n=$(jq --argjson i "$uts" '[.namespaces[] | select(.ns == $i)] | length' "$SCRATCH/all.json")
[ "$n" -eq 1 ] || fail "uts ns $uts listed $n times, want once"
o=$(jq -c --argjson i "$uts" '.namespaces[] | select(.ns == $i)' "$SCRATCH/all.json")
check() { jq -e "$1" <<<"$o" >/dev/null || fail "uts ns $uts: want $1, got $o"; }
check '.type == "uts"'
check '.nprocs == 0 and .nthreads >= 1'
check "[.holders[] | select(.kind == \"thread\" and .tid == $tid and .pid == $pid)] | length == 1"
check '[.holders[] | select(.kind == "process")] | length == 0'
check '.initial == false'

# The process view: the thread's own line, marked as a thread of its process.
nsfind -P -n >"$SCRATCH/procs" 2>"$SCRATCH/err" || fail "nsfind -P failed: $(cat "$SCRATCH/err")"
line=$(awk -v t="$tid" '$1 == t' "$SCRATCH/procs")
[ "$(grep -c . <<<"$line")" -eq 1 ] || fail "nsfind -P: want one line for TID $tid, got: $line"
grep -qF "uts:[$uts]" <<<"$line" || fail "nsfind -P: TID $tid line lacks uts:[$uts]: $line"
grep -qF "(thread of $pid)" <<<"$line" || fail "nsfind -P: TID $tid line lacks '(thread of $pid)': $line"
! awk -v p="$pid" '$1 == p' "$SCRATCH/procs" | grep -qF "uts:[$uts]" ||
    fail "nsfind -P shows uts:[$uts] for the process $pid, which is not in it"

# A task is in it: not hidden (nsfind(8), HIDDEN and --hidden).
check '.hidden == false'
nsfind --hidden -J >"$SCRATCH/hidden.json" 2>"$SCRATCH/err" || fail "nsfind --hidden failed: $(cat "$SCRATCH/err")"
jq -e --argjson i "$uts" 'any(.namespaces[]; .ns == $i) | not' "$SCRATCH/hidden.json" >/dev/null ||
    fail "nsfind --hidden -J lists the thread's uts ns $uts, which a task is in"
jq -e 'all(.namespaces[]; .hidden == true)' "$SCRATCH/hidden.json" >/dev/null ||
    fail "nsfind --hidden -J lists namespaces that are not hidden"
exit 0
