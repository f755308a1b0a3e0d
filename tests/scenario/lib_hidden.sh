# Shared by the t_hidden_* scenarios: remember our namespaces and
# processes, scan, check with jq, and run tests/helpers/nshold.
# Source it after lib.sh, once $W (the test's scratch dir) is set.
OURS="[]"	# inodes of our namespaces, shown when a check fails
PIDS="[]"	# our processes: only their fds count as holders here

# ours INO... / pids PID...: remember our namespaces / processes.
ours() { OURS=$(jq -nc --argjson a "$OURS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
pids() { PIDS=$(jq -nc --argjson a "$PIDS" '$a + ($ARGS.positional | map(tonumber))' --args "$@"); }
# unmount_later PATH: our mount on PATH goes when the test ends; lazily
# when busy (a running nsfind keeps files open through the mount).
unmount_later() {
	local q
	q=$(printf %q "$1")
	on_exit "umount $q || umount -l $q"
}
# settle CMD...: wait up to 30 s for a condition of our own setup (the
# machine may be busy with other tests and a benchmark).
settle() {
	local i
	for i in $(seq 300); do "$@" && return 0; sleep 0.1; done
	return 1
}
# scan [ARGS...]: nsfind -J ARGS into $W/out.json; it must succeed.
scan() {
	nsfind -J "$@" >"$W/out.json" 2>"$W/err" ||
	    fail "nsfind -J $* exited $?: $(cat "$W/err")"
}
# jq: ns($i) is the list of namespaces with inode $i (one, when all is
# well); held is a namespace's holders cut to the fields checked here,
# and to what is ours: other processes' fds (another nsfind running holds
# every namespace for a moment) and bind mounts in other mount namespaces
# (one made meanwhile copies our mounts) are left out.  The copies of one
# bind mount are one object in nsfind -J ("copies": [{mntns, chain}]):
# held lists each copy as a holder of its own, {kind, path, mntns, chain}.
JQDEFS='def ns($i): [.namespaces[] | select(.ns == $i)];
def held: [.holders[] | if .kind == "bind-mount" then (. as $h | .copies[] |
	{kind: "bind-mount", path: $h.path, mntns, chain}) else . end |
	select((.kind == "fd" or .kind == "socket" or
	.kind == "tun" | not) or (.pid as $p | $pids | index($p))) |
	select(.kind != "bind-mount" or
	(.mntns as $m | $ours + [$hostmnt] | index($m))) |
	{kind} + if .kind == "bind-mount" then {path, mntns, chain}
	elif .kind == "owner" or .kind == "parent" then {count, ns, type}
	elif .kind == "tun" then {pid, tid, fd, ifname}
	elif .kind == "fd" or .kind == "socket" then {pid, tid, fd} else {} end];'
# ok DESC FILTER [JQ ARGS...]: FILTER holds on the last scan.
ok() {
	local d=$1 f=$2
	shift 2
	jq -e --argjson pids "$PIDS" --argjson ours "$OURS" --argjson hostmnt \
	    "$(ns_ino $$ mnt)" "$@" "$JQDEFS $f" "$W/out.json" >/dev/null &&
	    return 0
	echo "--- what nsfind says about ours ($OURS):"
	jq -c --argjson o "$OURS" '.namespaces[] | select(.ns as $n | $o |
	    index($n)) | {ns, type, hidden, holders}' "$W/out.json"
	jq -c .notes "$W/out.json"
	fail "$d"
}
# hold NAME ARGS...: nshold ARGS in the background, its pid in HP and its
# lines in $W/NAME; killed when the test ends.  HOLD_WRAP prefixes it.
hold() {
	local out=$W/$1
	shift
	[ -x "$HELPERS/nshold" ] || skip "needs $HELPERS/nshold (make unit)"
	${HOLD_WRAP:-} "$HELPERS/nshold" "$@" >"$out" 2>"$out.err" &
	HP=$!
	on_exit "kill_tree $HP"
	pids "$HP"
	settle grep -sqx ready "$out" || fail "nshold $*: $(cat "$out.err")"
}
# field FILE TYPE N: field N of nshold's line for TYPE.
field() { awk -v t="$2" -v n="$3" '$1 == t { print $n; exit }' "$1"; }
