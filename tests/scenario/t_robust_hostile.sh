#!/bin/bash
# Names made to break parsers and terminals, in every place a host byte
# reaches nsfind's output: a command line, a bind-mount path, an interface
# name and a cgroup (unit) name, each with a terminal escape, C1 and bidi
# controls, a newline, a backslash, a quote and bytes that are not UTF-8.
# Every view must stay valid: JSON parses as strict UTF-8, text has no raw
# control or bidi character, escapes are applied once (\x1b, not \x5cx1b),
# and Prometheus output passes promtool when it is installed.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd python3
need_cmd ip
scratch
W=$SCRATCH
# The hostile string: ESC ] title BEL, C1 CSI, U+202E, newline, \, ", \xff\xfe.
BAD=$'x\e]0;owned\a\xc2\x9b2J\xe2\x80\xaeevil\nline\\q"\xff\xfe'
# A name fit for an interface: no '/', ':' or whitespace, at most 15 bytes.
IFBAD=$'i\e[2J\xc2\x9b\xe2\x80\xae\xff\\"'

# A process with that command line, in a uts namespace of its own (a row).
unshare --uts bash -c 'exec -a "$0" sleep 1000' "$BAD" &
PP=$!
on_exit "kill_tree $PP"
# In its own uts namespace, and exec'd (so its command line is ours).
ready() {
	[ "$(readlink /proc/$PP/ns/uts)" != "$(readlink /proc/$$/ns/uts)" ] &&
	    grep -qx sleep /proc/$PP/comm
}
wait_for ready || wait_for ready || fail "the process did not get its namespace"
# A bind mount on a path with it.
mkdir -p "$W/$BAD" || fail "mkdir"
touch "$W/$BAD/pin"
unshare --ipc="$W/$BAD/pin" true || fail "unshare --ipc onto the hostile path"
on_exit "umount -l $(printf %q "$W/$BAD/pin")"
# An interface with a hostile name, in a netns of ours.
NS=${TAG}h
ip netns add "$NS" || fail "ip netns add"
on_exit "ip netns del $NS"
ip -n "$NS" link add "$IFBAD" type veth peer name "${TAG}p" ||
    fail "ip link add a hostile name"
# A cgroup named like a systemd unit with an escaped \xff, and our process in it.
CG=
for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
	if [ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ]; then
		CG="$d/${TAG}"'-\xff\x2dq.service'
		break
	fi
done
if [ -n "$CG" ] && mkdir "$CG" 2>/dev/null; then
	on_exit "rmdir $(printf %q "$CG")"
	echo "$PP" >"$CG/cgroup.procs" || fail "cannot move into $CG"
	# Back to where we came from before the cgroup is removed.
	on_exit "echo $PP > $(dirname "$CG")/cgroup.procs"
fi

. "$(dirname "$0")/lib_validate.sh"
every_view "$W"
# The escapes are there, once: the terminal escape of the command line, in
# the table as util-linux escapes, and in -r with its blanks as \x20 too.
grep -qF 'x\x1b]0;owned\x07\xc2\x9b2J\xe2\x80\xaeevil\x0aline\x5cq"\xff\xfe 1000' "$W/table" ||
    fail "the command line is not escaped as util-linux does: $(grep -a owned "$W/table")"
grep -qF 'x\x1b]0;owned\x07\xc2\x9b2J\xe2\x80\xaeevil\x0aline\x5cq"\xff\xfe\x201000' "$W/raw" ||
    fail "-r does not escape the command line once: $(grep -a owned "$W/raw")"
# Nothing here has a literal backslash before an x: any \x5cx is an escape
# escaped twice.
for f in table raw procs links table.err; do
	! grep -aq 'x5cx' "$W/$f" || fail "$f escapes twice: $(grep -a 'x5cx' "$W/$f" | head -2)"
done
# JSON keeps the text, and the raw bytes of what is not UTF-8 beside it.
python3 - "$W/json" "$BAD" <<'PY' || fail "JSON lost the bytes of the command line"
import json, sys, base64
doc = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))
want = sys.argv[2].encode('utf-8', 'surrogateescape') + b' 1000'
hits = [ns for ns in doc['namespaces'] if ns.get('command_b64')]
assert any(base64.b64decode(ns['command_b64']) == want for ns in hits), hits
assert any(ns['command'].encode('utf-8', 'surrogateescape') == want for ns in hits)
PY
exit 0
