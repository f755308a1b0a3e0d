# Shared by the t_watch_* scenarios: run `nsfind --watch --interval 1` in
# the background and wait for the lines it must print.  Source it after
# lib.sh, once $W (the test's scratch dir) is set.
#
# The deadline for an event is two intervals after the change, plus twice
# the scan time the watcher's first line reports (a scan under valgrind is
# slow), plus a second of slack for a machine busy with other tests: a
# functional deadline ("it wakes up and says so"), not a speed assertion.
WATCH_DL=30	# tenths of a second; watch_start raises it by the scan time

# watch_start NAME ARGS...: nsfind --watch --interval 1 ARGS, stdout in
# $W/NAME, stderr in $W/NAME.err, pid in WATCH_PID[NAME].  Killed
# (SIGKILL) at the end if a test left it running.  watch_ready waits for
# the first line of each.
declare -A WATCH_PID
watch_start() {
	local name=$1
	shift
	$NSFIND_WRAP "$NSFIND_BIN" --watch --interval 1 "$@" >"$W/$name" 2>"$W/$name.err" &
	WATCH_PID[$name]=$!
	on_exit "kill -KILL ${WATCH_PID[$name]}"
}
watch_ready() {
	local name secs tenths
	for name in "${!WATCH_PID[@]}"; do
		settle grep -q . "$W/$name" ||
		    fail "nsfind --watch ($name) printed no first line: $(cat "$W/$name.err")"
		secs=$(head -n1 "$W/$name" | grep -oE '("scan_seconds":|took )[0-9.]+' |
		    grep -oE '[0-9.]+$') || fail "no scan time in: $(head -n1 "$W/$name")"
		tenths=$(awk -v s="$secs" 'BEGIN { printf "%d", 20 * s + 1 }')
		[ $((30 + tenths)) -le "$WATCH_DL" ] || WATCH_DL=$((30 + tenths))
	done
}

# settle CMD...: wait up to 30 s for a condition of our own setup.
settle() {
	local i
	for i in $(seq 300); do "$@" && return 0; sleep 0.1; done
	return 1
}

# await CMD...: CMD becomes true within the event deadline.
await() {
	local i
	for i in $(seq "$WATCH_DL"); do "$@" && return 0; sleep 0.1; done
	"$@"
}

# await_gone CMD...: the same for "vanished", whose clock starts when the
# kernel frees the namespace, not when the test lets go of it: any other
# nsfind (other tests run it all the time) holds every namespace by an
# fd for the length of its scan, which on a loaded host takes seconds.
# The deadline is that of settle, plus the event deadline.
await_gone() {
	local i
	for i in $(seq $((300 + WATCH_DL))); do "$@" && return 0; sleep 0.1; done
	"$@"
}

# watch_mark: the checks below look only at lines printed from now on.
# Call it before making a namespace: its inode number may have been
# another namespace's, gone meanwhile, with events of its own.
declare -A WATCH_FROM
watch_mark() {
	local name
	for name in "${!WATCH_PID[@]}"; do
		WATCH_FROM[$name]=$(($(grep -c '' "$W/$name") + 1))
	done
}
# since NAME: NAME's lines from the mark on.
since() { tail -n +"${WATCH_FROM[$1]:-1}" "$W/$1"; }

# jev NAME EVENT INO [N]: NAME's JSON lines hold (at least N, default 1)
# EVENT events for namespace INO.
jev() {
	local got
	got=$(since "$1" | jq -c --arg e "$2" --argjson n "$3" \
	    'select(.event == $e and .ns.ns == $n)' 2>/dev/null | grep -c .)
	[ "${got:-0}" -ge "${4:-1}" ]
}

# jline NAME EVENT INO: the last such JSON line.
jline() {
	since "$1" | jq -c --arg e "$2" --argjson n "$3" \
	    'select(.event == $e and .ns.ns == $n)' | tail -n1
}

# tev NAME EVENT TYPE INO [N]: NAME's text lines hold such an event.
tev() {
	local got
	got=$(since "$1" | grep -cE "^[0-9TZ:-]+ $2 $3 $4( |\$)")
	[ "${got:-0}" -ge "${5:-1}" ]
}

# tline NAME EVENT TYPE INO: the last such text line.
tline() { since "$1" | grep -E "^[0-9TZ:-]+ $2 $3 $4( |\$)" | tail -n1; }

# watch_stop NAME [SIGNAL]: ends the watcher (SIGTERM) and checks it
# exits 0 with nothing on stderr but notes.
watch_stop() {
	local name=$1 sig=${2:-TERM} pid=${WATCH_PID[$1]} rc
	kill -"$sig" "$pid" || fail "watcher $name already gone"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "nsfind --watch ($name) exited $rc on SIG$sig: $(cat "$W/$name.err")"
	quiet_stderr "$W/$name.err" | grep -v '^nsfind: note: ' | grep . &&
	    fail "nsfind --watch ($name) said more than notes on stderr"
	return 0
}

# unmount_in PID PATH: unmount PATH in PID's mount namespace.  A scan of
# nsfind (ours, or another test's) opens bind mounts for a moment, which
# can make umount fail with EBUSY: retry, then detach it lazily.
unmount_in() {
	local i
	for i in $(seq 20); do
		nsenter -t "$1" -m umount "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	nsenter -t "$1" -m umount -l "$2"
}

# dump NAME INO: what a watcher printed about INO, for a failure message.
dump() {
	echo "--- $1 ($(grep -c '' "$W/$1") lines), first line and those on $2:"
	head -n1 "$W/$1"
	grep -F -- "$2" "$W/$1" | cut -c1-600
}
