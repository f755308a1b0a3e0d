#!/bin/bash
# --watch: the holders of a hidden network namespace change.  It is held
# by an fd of nshold; a bind mount of it on a path with a newline and a
# backslash (in a mount namespace of the test's own) is added, then
# removed (only the fd is left again), then nshold exits and the
# namespace vanishes.  Each change is one "holders" line within two
# intervals; in text the path is escaped per
# escape.h (\x0a, \x5c: one line per event), in JSON it comes raw.
# The JSON watcher uses the mountinfo fallback (NSFIND_NO_FANOTIFY).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd unshare
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_watch.sh"

[ -x "$HELPERS/nshold" ] || skip "needs $HELPERS/nshold (make unit)"
"$HELPERS/nshold" fd net >"$W/hold" 2>"$W/hold.err" &
H=$!
on_exit "kill_tree $H"
settle grep -sqx ready "$W/hold" || fail "nshold fd net: $(cat "$W/hold.err")"
n=$(awk '$1 == "net" { print $2 }' "$W/hold")
fd=$(awk '$1 == "net" { print $3 }' "$W/hold")
odd=$W/$'a\nb\\c'
touch "$odd" || fail "touch"
# Bind mounts are made in a mount namespace of our own: in the host's, a
# mount namespace another test makes meanwhile would copy them.
unshare --mount --propagation private sleep 1000 &
M=$!
on_exit "kill_tree $M"
wait_exec "$M" sleep || fail "unshare --mount sleep did not start"
m=$(ns_ino "$M" mnt)
esc="$W/a\\x0ab\\x5cc in mnt:[$m]"

watch_start txt -t net
# This one polls mountinfo as on kernels before 6.15 (no fanotify mount events).
NSFIND_NO_FANOTIFY=1 watch_start js -J -t net
watch_ready

# A bind mount of it on an odd path: now two holders.
nsenter -t "$M" -m mount --bind "/proc/$H/fd/$fd" "$odd" || fail "mount --bind"
# has TEXT...: a text "holders" line for $n that holds every TEXT.
has() {
	local l t
	while IFS= read -r l; do
		for t in "$@"; do [[ $l == *"$t"* ]] || continue 2; done
		return 0
	done < <(since txt | grep -E "^[^ ]+ holders net $n ")
	return 1
}
# Another nsfind running meanwhile (other tests) may add its own short
# "holders" lines: wait for the one that says what we did.
await has "fd($H:$fd nshold)" "bind-mount($esc)" ||
    { dump txt "$n"; fail "no 'holders' line for netns $n with fd($H:$fd nshold) and bind-mount($esc)"; }
jhas() {
	jq -c --argjson n "$n" --arg p "$odd" --argjson h "$H" --argjson fd "$fd" \
	    --argjson m "$m" 'select(.event == "holders" and .ns.ns == $n and
	    .ns.hidden and ([.ns.holders[] | select(.kind == "bind-mount" and
	    .path == $p and .mntns == $m)] | length == 1) and ([.ns.holders[] |
	    select(.kind == "fd" and .pid == $h and .fd == $fd)] | length == 1))' \
	    2>/dev/null < <(since js) | grep -q .
}
await jhas || { dump js "$n"; fail "-J: no 'holders' event for netns $n with our fd and bind mount"; }

# The bind mount goes: the fd alone keeps it again.
unmount_in "$M" "$odd" || fail "umount"
only_fd() {
	since txt | grep -E "^[^ ]+ holders net $n " | tail -n1 | grep -F "fd($H:$fd nshold)" |
	    grep -qvF "bind-mount("
}
await only_fd || { dump txt "$n"; fail "no 'holders' line for netns $n with our fd alone"; }

kill_tree "$H"
await_gone tev txt vanished net "$n" || { dump txt "$n"; fail "no 'vanished' line for netns $n"; }
await_gone jev js vanished "$n" || { dump js "$n"; fail "-J: no 'vanished' for netns $n"; }
tev txt hidden net "$n" && fail "a namespace hidden all along reported 'hidden'"

watch_stop txt
watch_stop js
grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (watching|appeared|vanished|hidden|unhidden|holders) ' \
    "$W/txt" && fail "text lines not in the form TIME EVENT ..."
jq -c . "$W/js" >/dev/null || fail "-J lines do not parse"
exit 0
