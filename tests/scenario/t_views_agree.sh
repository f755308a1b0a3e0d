#!/bin/bash
# Every view lists the same namespaces (lsns shows different sets per mode):
# the table, the list, JSON, and both trees as table and JSON each show every
# namespace this test made, held in every way it knows (process, thread,
# time_for_children, parent/owner only), plus the initial ones, and none
# twice.  Namespaces made meanwhile by others may come and go between runs,
# so only ours and the initial ones are compared.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq

build_c holder <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

/* A thread alone in a new uts ns; the process keeps a time_for_children. */
static void *
run(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWUTS) != 0)
		_exit(1);
	printf("%ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	for (;;)
		pause();
}

int
main(void)
{
	pthread_t t;

	if (unshare(CLONE_NEWTIME) != 0 || pthread_create(&t, NULL, run, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
EOF

ours=()
"$SCRATCH/holder" >"$SCRATCH/tid" &
h=$!
on_exit "kill_tree $h"
wait_for grep -q . "$SCRATCH/tid" || fail "the helper did not start"
tid=$(cat "$SCRATCH/tid")
ours+=("$(stat -L -c %i /proc/$h/task/$tid/ns/uts)" "$(ns_ino $h time_for_children)")

# An outer user ns with no process (owner of a uts ns and of the inner user
# ns, which owns a net ns).
unshare --user --map-root-user --uts sh -c \
    "stat -L -c %i /proc/self/ns/user >'$SCRATCH/outer'; exec unshare --user --net sleep 1000" &
u=$!
on_exit "kill_tree $u"
wait_exec "$u" sleep || fail "the nested sleep did not start"
ours+=("$(cat "$SCRATCH/outer")")
for t in user uts net; do ours+=("$(ns_ino $u $t)"); done

# A pid ns and a mount ns; unshare holds the pid ns for its children too.
unshare --pid --mount --fork sleep 1000 &
p=$!
on_exit "kill_tree $p"
c=$(first_child "$p") || fail "unshare did not fork"
wait_exec "$c" sleep || fail "the pid-ns sleep did not start"
for t in pid mnt; do ours+=("$(ns_ino $c $t)"); done

if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	for t in cgroup ipc mnt net pid time user uts; do
		i=$(stat -L -c %i /proc/2/ns/$t 2>/dev/null) && ours+=("$i")
	done
else
	echo "note: PID 2 is not kthreadd: the initial namespaces are not compared"
fi
want=$(printf '%s\n' "${ours[@]}" | sort | uniq)
[ "$(grep -c . <<<"$want")" -eq "${#ours[@]}" ] ||
    fail "the namespaces made here are not distinct: ${ours[*]}"

# check NAME: the inodes on stdin, one a line, hold each of ours, none twice.
check() {
	local got dup missing
	got=$(sort)
	dup=$(uniq -d <<<"$got")
	[ -z "$dup" ] || fail "$1 lists namespaces more than once: $(echo $dup)"
	missing=$(comm -23 <(echo "$want") <(echo "$got"))
	[ -z "$missing" ] || fail "$1 misses namespaces: $(echo $missing)"
}
run() {
	nsfind "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" ||
	    fail "nsfind $* failed: $(quiet_stderr "$SCRATCH/err")"
}

run -r -n -o NS
check "the table (-r -n -o NS)" <"$SCRATCH/out"
run -n
awk '{print $1}' "$SCRATCH/out" | check "the default table"
run -l -r -n -o NS,TYPE
awk '{print $1}' "$SCRATCH/out" | check "the list (-l)"
run -J
jq -r '.namespaces[].ns' "$SCRATCH/out" | check "JSON (-J)"
run -J -o NS
jq -r '.namespaces[].ns' "$SCRATCH/out" | check "JSON (-J -o NS)"
for tr in owner parent; do
	run --tree=$tr -J
	jq -r "$JQ_TREE"' tree | .ns' "$SCRATCH/out" | check "the $tr tree in JSON"
	run --tree=$tr -r -n -o NS
	grep -o '[0-9]\+' "$SCRATCH/out" | check "the $tr tree table"
done

# --hidden keeps the same ones in every view: of ours, those no task is in
# (the time_for_children one and the outer user ns), not those a process or
# a thread is in.
hid=$(printf '%s\n' "${ours[1]}" "${ours[2]}" | sort)
for v in "" "--tree=owner" "--tree=parent"; do
	# shellcheck disable=SC2086
	run --hidden -J $v
	got=$(jq -r "$JQ_TREE"' tree | .ns' "$SCRATCH/out" | sort | comm -12 - <(echo "$want"))
	[ "$got" = "$hid" ] || fail "--hidden -J $v shows [$(echo $got)] of ours, want [$(echo $hid)]"
done
exit 0
