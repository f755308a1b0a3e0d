#!/bin/bash
# Property test: random bytes as command lines, mount paths, interface and
# cgroup names, through every view, each output checked by the validators
# of lib_validate.sh (strict UTF-8 JSON, no raw control or bidi character
# in text, promtool).  FUZZ_ROUNDS rounds (3), FUZZ_SEED to replay one.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd python3
need_cmd ip
scratch
W=$SCRATCH
. "$(dirname "$0")/lib_validate.sh"
ROUNDS=${FUZZ_ROUNDS:-3}
SEED=${FUZZ_SEED:-$RANDOM}
echo "seed $SEED"
NS=${TAG}z
ip netns add "$NS" || fail "ip netns add"
on_exit "ip netns del $NS"
CG2=
for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
	[ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && { CG2=$d; break; }
done

# rnd KIND N: N random names of KIND (arg, path, ifname, cgroup), as files
# $W/rnd.KIND.I holding the raw bytes.
rnd() {
	python3 - "$1" "$2" "$SEED" "$W" <<'PY'
import random, sys
kind, n, seed, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
r = random.Random(f"{seed}-{kind}")
pool = [b for b in range(1, 256) if b != ord('/')]
special = [b'\x1b[2J', b'\x1b]0;x\x07', b'\xc2\x9b', b'\xe2\x80\xae', b'\xff',
           b'\xed\xa0\x80', b'\n', b'\\', b'"', b'\xe2\x81\xa6', b'\x7f']
for i in range(n):
    out = b''
    while len(out) < (12 if kind == 'ifname' else 40):
        out += r.choice(special) if r.random() < 0.3 else bytes([r.choice(pool)])
    if kind == 'ifname':
        out = bytes(b for b in out if b not in b' \t\n\r\x0b\x0c:/')[:15] or b'x'
        if out in (b'.', b'..'):
            out = b'x' + out
    if kind == 'cgroup':
        out = out.replace(b'\n', b'') or b'x'
    if kind == 'path':
        out = out.replace(b'\n', b'n')   # the mount table escapes it; fine too
    open(f"{w}/rnd.{kind}.{i}", 'wb').write(out)
PY
}
for round in $(seq "$ROUNDS"); do
	SEED=$((SEED + 1))
	rnd arg 1; rnd path 1; rnd ifname 1; rnd cgroup 1
	arg=$(cat "$W/rnd.arg.0"; echo .); arg=${arg%.}
	arg=${arg//$'\0'/}
	p=$(cat "$W/rnd.path.0"; echo .); p=${p%.}
	ifn=$(cat "$W/rnd.ifname.0"; echo .); ifn=${ifn%.}
	cg=$(cat "$W/rnd.cgroup.0"; echo .); cg=${cg%.}
	unshare --uts bash -c 'exec -a "$0" sleep 1000' "$arg" &
	PP=$!
	on_exit "kill_tree $PP"
	wait_exec "$PP" sleep || wait_exec "$PP" sleep || fail "round $round: no sleep"
	mkdir -p "$W/m$round" && touch "$W/m$round/$p" 2>/dev/null &&
	    unshare --ipc="$W/m$round/$p" true &&
	    on_exit "umount -l $(printf %q "$W/m$round/$p")"
	ip -n "$NS" link add "$ifn" type veth peer name "p$round" 2>/dev/null
	if [ -n "$CG2" ] && mkdir "$CG2/$TAG$round$cg" 2>/dev/null; then
		on_exit "rmdir $(printf %q "$CG2/$TAG$round$cg")"
		echo "$PP" >"$CG2/$TAG$round$cg/cgroup.procs" 2>/dev/null &&
		    on_exit "echo $PP > $CG2/cgroup.procs"
	fi
	mkdir -p "$W/r$round"
	every_view "$W/r$round"
	kill_tree "$PP"
done
exit 0
