#!/bin/bash
# --watch -J: a network namespace with a process in it is also bind
# mounted (in a mount namespace of the test's own).  The process exits:
# "hidden", and the event names the bind mount that keeps it.  A process
# enters it: "unhidden".  That process exits: "hidden" again; the mount
# goes: "vanished".  Each event within two intervals.  A second watcher with
# --hidden sees the same changes (a namespace turning hidden and back is
# news there too), though the namespace was not hidden when it started.
# Every line is one JSON object; SIGTERM ends both with status 0.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd unshare
need_cmd nsenter
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_watch.sh"

unshare --net sleep 1000 &
P=$!
on_exit "kill_tree $P"
wait_exec "$P" sleep || fail "unshare --net sleep did not start"
n=$(ns_ino "$P" net)
# The bind mount is made in a mount namespace of our own: in the host's,
# a mount namespace another test makes meanwhile would copy it and keep
# the netns alive after our umount.
unshare --mount --propagation private sleep 1000 &
M=$!
on_exit "kill_tree $M"
wait_exec "$M" sleep || fail "unshare --mount sleep did not start"
m=$(ns_ino "$M" mnt)
touch "$W/nsf" || fail "touch"
nsenter -t "$M" -m mount --bind "/proc/$P/ns/net" "$W/nsf" || fail "mount --bind"

watch_start all -J -t net
watch_start hid -J -t net --hidden
watch_ready

kill_tree "$P"
await jev all hidden "$n" || { dump all "$n"; fail "no 'hidden' for netns $n"; }
jline all hidden "$n" | jq -e --arg p "$W/nsf" --argjson m "$m" \
    '.ns.hidden == true and .ns.nprocs == 0 and .ns.pid == null and
     ([.ns.holders[] | select(.kind == "bind-mount" and .path == $p and
      .mntns == $m)] | length) == 1 and
     (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))' \
    >/dev/null || fail "hidden event does not name the bind mount: $(jline all hidden "$n")"
await jev hid hidden "$n" || { dump hid "$n"; fail "--hidden: no 'hidden' for netns $n"; }

nsenter -t "$M" -m nsenter --net="$W/nsf" sleep 1000 &
Q=$!
on_exit "kill_tree $Q"
await jev all unhidden "$n" || { dump all "$n"; fail "no 'unhidden' for netns $n"; }
jline all unhidden "$n" | jq -e --argjson q "$Q" '.ns.hidden == false and .ns.pid == $q' \
    >/dev/null || fail "unhidden event: $(jline all unhidden "$n")"
await jev hid unhidden "$n" || { dump hid "$n"; fail "--hidden: no 'unhidden' for netns $n"; }

# Hidden again, then gone.  (With --hidden, a namespace that left the
# hidden set is no longer shown: its vanishing is news only once it is
# hidden again.)
kill_tree "$Q"
await jev all hidden "$n" 2 || { dump all "$n"; fail "no second 'hidden' for netns $n"; }
await jev hid hidden "$n" 2 || { dump hid "$n"; fail "--hidden: no second 'hidden' for netns $n"; }
unmount_in "$M" "$W/nsf" || fail "umount"
await_gone jev all vanished "$n" || { dump all "$n"; fail "no 'vanished' for netns $n"; }
await_gone jev hid vanished "$n" || { dump hid "$n"; fail "--hidden: no 'vanished' for netns $n"; }
watch_stop all
watch_stop hid
for f in all hid; do
	jq -c 'select((.event | IN("start", "appeared", "vanished", "hidden",
	    "unhidden", "holders")) | not)' "$W/$f" | grep -q . &&
	    fail "$f: an unknown event: $(cat "$W/$f")"
	jq -e -s 'length > 0 and .[0].event == "start" and
	    ([.[1:][] | .ns.type] | all(. == "net"))' "$W/$f" >/dev/null ||
	    fail "$f: not one JSON object per line, start first, -t net only"
	[ "$(grep -c . "$W/$f")" -eq "$(jq -c . "$W/$f" | grep -c .)" ] ||
	    fail "$f: a JSON object over more than one line"
done
exit 0
