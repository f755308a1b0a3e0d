#!/bin/bash
# --watch (text): a process in new uts and ipc namespaces appears, with
# its pid and command; when it exits both namespaces vanish (nothing
# else holds them).  Each line within two intervals.  -t uts shows only
# the uts namespace.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_watch.sh"

watch_start all
watch_start uts -t uts

watch_mark
unshare --uts --ipc sleep 1000 &
P=$!
on_exit "kill_tree $P"
wait_exec "$P" sleep || fail "unshare did not start"
u=$(ns_ino "$P" uts) i=$(ns_ino "$P" ipc)
await tev all appeared uts "$u" || { dump all "$u"; fail "no 'appeared' for uts $u"; }
await tev all appeared ipc "$i" || { dump all "$i"; fail "no 'appeared' for ipc $i"; }
line=$(tline all appeared uts "$u")
# (Another nsfind running meanwhile may hold it by an fd too.)
case $line in
*" appeared uts $u process(1)"*"; pid $P: sleep 1000") ;;
*) fail "appeared line wants 'process(1)' and '; pid $P: sleep 1000' at the end: $line" ;;
esac
await tev uts appeared uts "$u" || { dump uts "$u"; fail "-t uts: no 'appeared' for uts $u"; }

kill_tree "$P"
await tev all vanished uts "$u" || { dump all "$u"; fail "no 'vanished' for uts $u"; }
await tev all vanished ipc "$i" || { dump all "$i"; fail "no 'vanished' for ipc $i"; }
await tev uts vanished uts "$u" || { dump uts "$u"; fail "-t uts: no 'vanished' for uts $u"; }
tev all hidden uts "$u" && fail "uts $u reported hidden: nothing held it"
watch_stop all
watch_stop uts
grep -qE '^[^ ]+ [a-z]+ (net|mnt|ipc|pid|user|cgroup|time) ' "$W/uts" &&
    fail "-t uts printed another type: $(cat "$W/uts")"
exit 0
