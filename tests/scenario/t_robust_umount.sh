#!/bin/bash
# nsfind holds no reference on anybody's mount beyond a single system
# call: while nsfind runs in a loop, a cleanup script's plain `umount` of a
# namespace bind mount (and `ip netns del`) never fails with "target is
# busy".  New mounts are made each round, so nsfind meets every one as a
# namespace it does not know yet, and looks it up by its path.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd ip
scratch
W=$SCRATCH
ROUNDS=${ROUNDS:-100}
mkdir -p "$W/m"
touch "$W/m/n"
# nsfind in a loop, in the background, until we stop it.
( while :; do "$NSFIND_BIN" -J --timeout 5 >/dev/null 2>&1; done ) &
LP=$!
on_exit "kill_tree $LP"
# holders PATH: who has it open right now (to tell whose reference it was).
# (Only nsfind processes are looked at: a full /proc walk is too slow.)
holders() {
	local p f
	for p in $(pgrep -x nsfind); do
		for f in /proc/$p/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = "$1" ] || continue
			echo "  held by nsfind $p: $(readlink /proc/$p/exe)"
		done
	done
}
busy=0
NS=${TAG}u
# Whatever a killed run leaves mounted goes (idempotent; runs before scratch's rm).
on_exit "umount -l '$W/m/n'; umount -l /run/netns/$NS; rm -f /run/netns/$NS"
for i in $(seq "$ROUNDS"); do
	unshare --uts="$W/m/n" true || fail "round $i: unshare --uts"
	if ! umount "$W/m/n" 2>"$W/err"; then
		busy=$((busy + 1))
		echo "round $i: umount: $(cat "$W/err")"
		holders "$W/m/n"
		umount -l "$W/m/n"
	fi
	ip netns add "$NS" || fail "round $i: ip netns add"
	if ! ip netns del "$NS" 2>"$W/err"; then
		busy=$((busy + 1))
		echo "round $i: ip netns del: $(cat "$W/err")"
		umount -l "/run/netns/$NS"; rm -f "/run/netns/$NS"
	fi
done
kill_tree "$LP"
[ "$busy" -eq 0 ] || fail "$busy of $((2 * ROUNDS)) unmounts failed while nsfind ran"

# And the reason, seen directly: nsfind never opens a mount it reports on,
# it only asks for a file handle of the path (one system call), and
# `ip netns` names come from the mount table.
if command -v strace >/dev/null; then
	unshare --uts="$W/m/n" true || fail "unshare --uts"
	on_exit "umount -l $W/m/n"
	ip netns add "$NS" || fail "ip netns add"
	on_exit "ip netns del $NS"
	strace -f -qq -e trace=open,openat,openat2,open_tree,name_to_handle_at \
	    -o "$W/trace" "$NSFIND_BIN" -J >/dev/null 2>&1
	# (Paths may be relative to a /proc/PID/root directory fd.)
	grep -E 'open(at2?|_tree)?\(.*"/?('"${W#/}/m/n"'|run/netns/'"$NS"')"' "$W/trace" &&
	    fail "nsfind opened a mount it reports on (above)"
	grep -q "name_to_handle_at(.*\"/\\?${W#/}/m/n\"" "$W/trace" ||
	    fail "nsfind did not look the new mount up by handle"
fi
exit 0
