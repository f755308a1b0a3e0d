#!/bin/bash
# --watch: the holders of a hidden network namespace change.  It is held
# by an fd of nshold; a bind mount of it on a path with a newline and a
# backslash is added, then removed (only the fd is left again), then
# nshold exits and the namespace vanishes.  Each change is one
# "holders" line within two intervals; in text the path is escaped per
# escape.h (\x0a, \x5c: one line per event), in JSON it comes raw.
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
esc="$W/a\\x0ab\\x5cc"
touch "$odd" || fail "touch"

watch_start txt -t net
watch_start js -J -t net

# A bind mount of it on an odd path: now two holders.
mount --bind "/proc/$H/fd/$fd" "$odd" || fail "mount --bind"
on_exit "umount $(printf %q "$odd") || umount -l $(printf %q "$odd")"
await tev txt holders net "$n" || { dump txt; fail "no 'holders' line for netns $n"; }
line=$(tline txt holders net "$n")
case $line in
*"fd($H:$fd nshold)"*"bind-mount($esc)"* | *"bind-mount($esc)"*"fd($H:$fd nshold)"*) ;;
*) fail "holders line wants fd($H:$fd nshold) and bind-mount($esc): $line" ;;
esac
await jev js holders "$n" || { dump js; fail "-J: no 'holders' for netns $n"; }
jline js holders "$n" | jq -e --arg p "$odd" --argjson h "$H" --argjson fd "$fd" \
    '.ns.hidden and ([.ns.holders[] | select(.kind == "bind-mount" and .path == $p)] | length == 1)
     and ([.ns.holders[] | select(.kind == "fd" and .pid == $h and .fd == $fd)] | length == 1)' \
    >/dev/null || fail "-J holders event: $(jline js holders "$n")"

# The bind mount goes: the fd alone keeps it again.
umount "$odd" || fail "umount"
await tev txt holders net "$n" 2 || { dump txt; fail "no second 'holders' line for netns $n"; }
line=$(tline txt holders net "$n")
case $line in
*"fd($H:$fd nshold)"*) ;;
*) fail "second holders line lacks fd($H:$fd nshold): $line" ;;
esac
case $line in *bind-mount*) fail "bind-mount still in: $line" ;; esac

kill_tree "$H"
await tev txt vanished net "$n" || { dump txt; fail "no 'vanished' line for netns $n"; }
await jev js vanished "$n" || { dump js; fail "-J: no 'vanished' for netns $n"; }
tev txt hidden net "$n" && fail "a namespace hidden all along reported 'hidden'"

watch_stop txt INT
watch_stop js
grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (watching|appeared|vanished|hidden|unhidden|holders) ' \
    "$W/txt" && fail "text lines not in the form TIME EVENT ..."
jq -c . "$W/js" >/dev/null || fail "-J lines do not parse"
exit 0
