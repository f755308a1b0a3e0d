#!/bin/bash
# A namespace bind-mounted below a FUSE filesystem whose server stopped
# answering: any lookup through it blocks.  nsfind must finish within its
# --timeout, still list the namespace (by inode, from the mount table),
# and say in a note which mount did not answer.  A covered mount beside it
# gets a note of its own, with its own cause.
#
# All of it lives in a private mount namespace of a process of ours, so
# that nothing else on the machine walks into the hung filesystem.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
[ -e /dev/fuse ] || skip "needs /dev/fuse"
[ -x "$HELPERS/hangfs" ] || skip "needs $HELPERS/hangfs (make unit, libfuse3-dev)"
scratch
W=$SCRATCH
mkdir -p "$W/fuse" "$W/cov"
# The server is told the path on stdin once the namespace is set up;
# hangfs stays in the foreground as the namespace's only long-lived task.
cat >"$W/setup.sh" <<'SH'
set -e
W=$1 HANGFS=$2
mount --make-rprivate /
"$HANGFS" "$W/fuse" &
for i in $(seq 100); do [ -e "$W/fuse/d/f" ] && break; sleep 0.05; done
unshare --net="$W/fuse/d/f" true
touch "$W/cov/a" "$W/cov/b"
unshare --uts="$W/cov/a" true
unshare --uts="$W/cov/b" true
mount --bind "$W/cov/b" "$W/cov/a"
stat -L -c %i "$W/fuse/d/f" >"$W/net.ino"
stat -c %i "$W/cov/b" >"$W/b.ino"
echo ready >"$W/ready"
wait
SH
unshare -m bash "$W/setup.sh" "$W" "$HELPERS/hangfs" >"$W/setup.log" 2>&1 &
SP=$!
on_exit "kill_tree $SP"
wait_for test -s "$W/ready" || fail "setup: $(cat "$W/setup.log")"
FP=$(pgrep -P "$SP" -x hangfs) || fail "no hangfs process"
# Continue the server before ending it, so that nothing stays blocked.
on_exit "kill -CONT $FP"
mntns=$(ns_ino "$FP" mnt)
ino=$(cat "$W/net.ino")
bino=$(cat "$W/b.ino")
kill -STOP "$FP"

# Bounded: --timeout 1 for the walks; 60 s is far past any bound.
timeout 60 "$NSFIND_BIN" -J --timeout 1 >"$W/out.json" 2>"$W/err"
rc=$?
[ "$rc" -ne 124 ] || fail "nsfind hung on the stopped FUSE server"
[ "$rc" -eq 3 ] || fail "nsfind exited $rc, want 3 (incomplete): $(cat "$W/err")"
jq -e --argjson i "$ino" --argjson m "$mntns" '.namespaces[] | select(.ns == $i)
    | .holders[] | select(.kind == "bind-mount" and .mntns == $m)' \
    "$W/out.json" >/dev/null ||
    fail "the netns below the hung mount is not listed with its mount: $(cat "$W/err")"
grep -q "did not answer in time.*$W/fuse/d/f in mnt:\[$mntns\]" "$W/err" ||
    fail "no note names the mount that hung: $(cat "$W/err")"
grep -q "covered namespace bind mount.*$W/cov/a in mnt:\[$mntns\] (covered by uts:\[$bino\])" "$W/err" ||
    fail "no note of its own for the covered mount: $(cat "$W/err")"
# A second run is not held up by the first's abandoned walk.
timeout 60 "$NSFIND_BIN" -J --timeout 1 >/dev/null 2>&1
[ $? -ne 124 ] || fail "the second nsfind hung"
exit 0
