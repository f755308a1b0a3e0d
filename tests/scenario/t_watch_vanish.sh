#!/bin/bash
# --watch: a process in new uts and ipc namespaces appears, with its pid
# and command; when it exits both namespaces vanish (nothing else holds
# them).  Each line within two intervals.  In text, one line per event;
# with -J -t uts, the uts namespace only, as -J writes it.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_watch.sh"

watch_start all
watch_start uts -J -t uts
watch_ready

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
await jev uts appeared "$u" || { dump uts "$u"; fail "-J -t uts: no 'appeared' for uts $u"; }
jline uts appeared "$u" | jq -e --argjson p "$P" \
    '.ns.type == "uts" and .ns.hidden == false and .ns.pid == $p and
     .ns.command == "sleep 1000" and .ns.nprocs == 1' >/dev/null ||
    fail "appeared event: $(jline uts appeared "$u")"

kill_tree "$P"
await_gone tev all vanished uts "$u" || { dump all "$u"; fail "no 'vanished' for uts $u"; }
await_gone tev all vanished ipc "$i" || { dump all "$i"; fail "no 'vanished' for ipc $i"; }
await_gone jev uts vanished "$u" || { dump uts "$u"; fail "-J -t uts: no 'vanished' for uts $u"; }
# No "hidden" for them, unless another nsfind (other tests) held them by
# an fd at the moment the process left.
if tev all hidden uts "$u"; then
	tline all hidden uts "$u" | grep -qE " hidden uts $u fd\([0-9]+:[0-9]+[^)]*\)(, fd\([0-9]+:[0-9]+[^)]*\))*$" ||
	    fail "uts $u reported hidden, held by more than fds: $(tline all hidden uts "$u")"
fi
watch_stop all
watch_stop uts
jq -e -s '[.[1:][] | .ns.type] | all(. == "uts")' "$W/uts" >/dev/null ||
    fail "-t uts printed another type"
exit 0
