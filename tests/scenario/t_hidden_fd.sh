#!/bin/bash
# Hidden: a namespace of every type held only by an open fd on its nsfs
# file, in a process that is in none of them, is listed, hidden, with the
# holder "fd" naming that process and fd number.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

types="net uts ipc user mnt cgroup time pid"
[ -e /proc/self/ns/time ] || types=${types/time /}	# kernels before 5.6
hold h fd $types
for t in $types; do
	ours "$(field "$W/h" "$t" 2)"
	[ "$(field "$W/h" "$t" 2)" != "$(ns_ino $$ "$t")" ] || fail "$t: not a new one"
done

# One scan: --hidden must list them, with all they say.
scan --hidden
for t in $types; do
	n=$(field "$W/h" "$t" 2) fd=$(field "$W/h" "$t" 3)
	ok "$t $n listed once, hidden" \
	    'ns($n) | length == 1 and .[0].type == $t and .[0].hidden' \
	    --argjson n "$n" --arg t "$t"
	ok "$t $n held by fd $fd of $HP" \
	    '(ns($n)[0] | held) == [{kind: "fd", pid: $p, tid: null, fd: $fd}]' \
	    --argjson n "$n" --argjson p "$HP" --argjson fd "$fd"
done

exit 0
