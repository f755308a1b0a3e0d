# Shared helpers for the real-engine scenarios (tests/scenario/t_engine_*.sh).
# Source it after lib.sh:
#   . "$(dirname "$0")/../helpers/ct_engine.sh"
#
# Each scenario starts a real engine offline (images made here from
# busybox-static, no registry), runs nsfind and compares what it says
# with what the engine's own CLI reports.  Everything it makes is named
# with $TAG and undone by on_exit, also when the test fails; daemons it
# starts get their own state directories and sockets under $SCRATCH and
# are stopped by pid.

# Debian's docker 20.10 client, not a newer one earlier in PATH.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

CE_FAILS=0
# ce_bad MSG...: records a failure and goes on, so one run says it all.
ce_bad() { echo "FAIL: $*" >&2; CE_FAILS=$((CE_FAILS + 1)); }
# ce_done: the verdict.
ce_done() { [ "$CE_FAILS" -eq 0 ] || fail "$CE_FAILS check(s) failed, see above"; }

# ce_busybox DIR: a minimal root filesystem of busybox-static in DIR.
ce_busybox() {
	local d=$1 a
	[ -x /bin/busybox ] || skip "needs busybox-static (/bin/busybox)"
	mkdir -p "$d"/{bin,sbin,etc,proc,sys,dev,tmp,run,var,root} || fail "mkdir $d"
	cp /bin/busybox "$d/bin/busybox" || fail "cp busybox"
	for a in sh sleep cat ls ps hostname init mount; do ln -sf busybox "$d/bin/$a"; done
	echo "root:x:0:0:root:/root:/bin/sh" >"$d/etc/passwd"
	echo "root:x:0:" >"$d/etc/group"
	: >"$d/etc/os-release"
}

# ce_tarball FILE: the busybox root filesystem as a tar for `import`.
ce_tarball() {
	scratch
	ce_busybox "$SCRATCH/bbroot"
	tar -C "$SCRATCH/bbroot" -cf "$1" . || fail "tar"
}

# Bind mounts are not what these tests check, and scanning every mount
# namespace is the slow part of a run on a busy machine.
CE_QUICK=(--no-mounts)

# ce_json FILE ARGS...: nsfind ARGS -J into FILE, failing on an error.
ce_json() {
	local out=$1
	shift
	nsfind "${CE_QUICK[@]}" "$@" -J >"$out" 2>"$out.err" || fail "nsfind $* -J failed: $(quiet_stderr "$out.err")"
	jq -e . "$out" >/dev/null || fail "nsfind $* -J printed invalid JSON"
}

# ce_table FILE ARGS...: nsfind ARGS -o NS,TYPE,PID,CONTAINER into FILE.
ce_table() {
	local out=$1
	shift
	nsfind "${CE_QUICK[@]}" -o NS,TYPE,PID,CONTAINER "$@" >"$out" 2>"$out.err" ||
	    fail "nsfind $* failed: $(quiet_stderr "$out.err")"
}

# ce_ns_container FILE PID TYPE: the container object nsfind gave the
# namespace TYPE of PID, compact.
ce_ns_container() {
	local ino
	ino=$(ns_ino "$2" "$3") || { echo missing; return; }
	jq -c --argjson ino "$ino" "$JQ_TREE"' [tree | select(.ns == $ino) | .container] | first' "$1"
}

# ce_field FILE PID TYPE KEY: one key of that container object.
ce_field() {
	local ino
	ino=$(ns_ino "$2" "$3") || { echo missing; return; }
	jq -r --argjson ino "$ino" --arg k "$4" "$JQ_TREE"' [tree | select(.ns == $ino) | .container[$k]] | first' "$1"
}

# ce_expect WHAT GOT WANT: one comparison.
ce_expect() { [ "$2" = "$3" ] || ce_bad "$1: got '$2', want '$3'"; }

# ce_selected FILE: the namespaces in an nsfind -J output, sorted, one line.
ce_selected() { jq -r "$JQ_TREE"' tree | .ns' "$1" | sort -n | tr '\n' ' '; }

# ce_nsset PID TYPES...: the inodes of those namespaces of PID, sorted, one line.
ce_nsset() {
	local p=$1 t
	shift
	for t in "$@"; do ns_ino "$p" "$t"; done | sort -n -u | tr '\n' ' '
}

# ce_wait_sock PATH PID: waits up to 20 s for a daemon's socket; fails
# early when the daemon died.
ce_wait_sock() {
	local i
	for i in $(seq 200); do
		[ -S "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# ce_stop PID: stops a daemon this test started, and waits for it (10 s,
# then KILL).
ce_stop() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for i in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	kill_tree "$1"
}

# Engines make cgroups at the top of the hierarchies ("/docker",
# "/libpod_parent", "/<containerd namespace>", "/<runc id>"), which the
# t_container_* tests fake too: one at a time, machine-wide (other
# worktrees run them too), under the lock they take.  The lock is held by
# a helper process, so that the daemons and shims a test starts do not
# inherit it and keep it after the test.
need_cmd flock
scratch
CE_LOCKF=/run/lock/nsfind-container-tests.lock
mkdir -p /run/lock && : >>"$CE_LOCKF" || fail "cannot make $CE_LOCKF"
flock -w 90 "$CE_LOCKF" sh -c 'echo locked >"$0"; exec sleep 3600' "$SCRATCH/.locked" \
    </dev/null >/dev/null 2>&1 &
CE_LOCKPID=$!
on_exit "kill_tree $CE_LOCKPID"
until [ -s "$SCRATCH/.locked" ]; do
	kill -0 "$CE_LOCKPID" 2>/dev/null ||
	    skip "another run's container scenario held the lock for 90 s"
	sleep 0.1
done

# ce_cgroups PATH...: cgroups an engine will make ("docker",
# "libpod_parent/<pod id>"); those missing in a hierarchy now are removed
# at exit, deepest first, once empty.  Engines leave them behind.
CE_CGS=()
ce_cgroups() {
	local p h
	for p in "$@"; do
		for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
			[ "$(stat -f -c %T "$h" 2>/dev/null)" = tmpfs ] && continue
			[ -e "$h$p" ] || CE_CGS+=("$h$p")
		done
	done
}
ce_rmcgs() {
	local i
	for ((i = ${#CE_CGS[@]} - 1; i >= 0; i--)); do
		[ -d "${CE_CGS[i]}" ] || continue
		find "${CE_CGS[i]}" -depth -type d -exec rmdir {} + 2>/dev/null ||
		    echo "cannot remove cgroup ${CE_CGS[i]}" >&2
	done
}
on_exit ce_rmcgs
