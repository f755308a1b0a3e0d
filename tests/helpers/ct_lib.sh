# Shared helpers for the container attribution scenarios
# (tests/scenario/t_container_*.sh).  Source it after lib.sh:
#   . "$(dirname "$0")/../helpers/ct_lib.sh"
#
# A scenario makes cgroups named the way an engine names them, in one or
# both of two layouts, puts a process of its own in new namespaces into
# each, runs nsfind once per view and checks what it says about those
# namespaces (by inode) and those processes:
#   v2       the path in the cgroup v2 hierarchy: "0::/<path>", the named
#            systemd line stays where the test runs
#   systemd  the path in the named v1 hierarchy "name=systemd" (hybrid
#            hosts): "N:name=systemd:/<path>", the v2 line stays
# Every cgroup directory the scenario makes is removed at exit, deepest
# first, after the processes in it are killed; directories that were
# already there are left alone.

# The scenarios make cgroups at the top of the hierarchies ("/docker",
# "/kubepods.slice"), which two runs at once would share, and each would
# leave to the other to remove.  So one at a time: an exclusive lock,
# held until the test exits (its children do not inherit it).
need_cmd flock
# The lock is machine-wide: other worktrees run these tests too.
CT_LOCKF=/run/lock/nsfind-container-tests.lock
mkdir -p /run/lock && : >>"$CT_LOCKF" || fail "cannot make $CT_LOCKF"
exec {CT_LOCK}<"$CT_LOCKF" || fail "cannot open $CT_LOCKF"
flock -w 90 "$CT_LOCK" || skip "another run's container scenario held the lock for 90 s"

# Where each layout's hierarchy is mounted; empty when it is missing.
CT_V2='' CT_SD=''
if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	CT_V2=/sys/fs/cgroup/unified
elif [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
	CT_V2=/sys/fs/cgroup
fi
if [ "$(stat -f -c %T /sys/fs/cgroup/systemd 2>/dev/null)" = cgroupfs ] &&
    grep -qs '^[0-9]*:name=systemd:' /proc/self/cgroup; then
	CT_SD=/sys/fs/cgroup/systemd
fi

# ct_layouts: the layouts this machine has, one word each; notes on stdout
# which one is skipped and why.  Skips the test when there is none.
ct_layouts() {
	CT_LAYOUTS=''
	if [ -n "$CT_V2" ]; then
		CT_LAYOUTS="v2"
	else
		echo "note: no cgroup v2 hierarchy: the v2 layout is not checked"
	fi
	if [ -n "$CT_SD" ]; then
		CT_LAYOUTS="${CT_LAYOUTS:+$CT_LAYOUTS }systemd"
	else
		echo "note: no named systemd hierarchy (not a hybrid host): the systemd layout is not checked"
	fi
	[ -n "$CT_LAYOUTS" ] || skip "no cgroup hierarchy to make cgroups in"
}

# ct_root LAYOUT: the mount point of LAYOUT's hierarchy.
ct_root() {
	case $1 in
	v2) echo "$CT_V2" ;;
	systemd) echo "$CT_SD" ;;
	*) fail "unknown layout $1" ;;
	esac
}

# The cgroups made, in order.  They are removed after every other undo
# (on_exit runs the latest first, and this is registered before the test
# registers anything), so after the processes in them were killed, however
# late in the test a cgroup was made; deepest first, each once it is empty.
CT_CGROUPS=()
ct_rmcgs() {
	local i
	for ((i = ${#CT_CGROUPS[@]} - 1; i >= 0; i--)); do
		wait_for rmdir "${CT_CGROUPS[i]}" 2>/dev/null ||
		    echo "cannot remove cgroup ${CT_CGROUPS[i]}" >&2
	done
}
on_exit ct_rmcgs

# ct_mkcg LAYOUT PATH: makes cgroup PATH ("/docker/<id>") in LAYOUT's
# hierarchy, each missing component on the way; those it made are removed
# at exit.
ct_mkcg() {
	local d parts p
	d=$(ct_root "$1")
	IFS=/ read -r -a parts <<<"${2#/}"
	for p in "${parts[@]}"; do
		[ -n "$p" ] || continue
		d=$d/$p
		if mkdir "$d" 2>/dev/null; then
			CT_CGROUPS+=("$d")
		elif [ ! -d "$d" ]; then
			fail "cannot make cgroup $d"
		fi
	done
}

# ct_move PID LAYOUT PATH: moves a process of ours into the cgroup PATH of
# LAYOUT, made with ct_mkcg, and checks /proc/PID/cgroup says so.
ct_move() {
	local dir want
	dir=$(ct_root "$2")$3
	echo "$1" >"$dir/cgroup.procs" || fail "cannot move $1 into $dir"
	case $2 in
	v2) want="0::$3" ;;
	systemd) want=":name=systemd:$3" ;;
	esac
	grep -qF -- "$want" "/proc/$1/cgroup" ||
	    fail "/proc/$1/cgroup does not say $want: $(tr '\n' ' ' <"/proc/$1/cgroup")"
}

# ct_start VAR CMD...: starts CMD (which must exec a `sleep` or a ct_pause
# in the end, e.g. `unshare --uts --ipc --net sleep 1000`) in the
# background, kills it at exit, waits for the exec and sets VAR to its pid.
ct_start() {
	local _ct_var=$1 _ct_pid
	shift
	"$@" </dev/null >/dev/null 2>&1 {CT_LOCK}<&- &
	_ct_pid=$!
	on_exit "kill_tree $_ct_pid"
	wait_for ct_execd "$_ct_pid" || fail "$* did not start"
	printf -v "$_ct_var" %s "$_ct_pid"
}

# ct_case NAME LAYOUT CGROUP-PATH: a process in new uts, ipc and net
# namespaces, moved into the cgroup CGROUP-PATH of LAYOUT; its pid goes to
# pid[NAME] (an associative array the test declares).
ct_case() {
	ct_mkcg "$2" "$3"
	ct_start "pid[$1]" unshare --uts --ipc --net sleep 1000
	ct_move "${pid[$1]}" "$2" "$3"
}
ct_execd() {
	local comm
	comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
	case $comm in unshare | nsenter | bash) return 1 ;; esac
	return 0
}

# ct_hex64: a fresh 64-hex container id.  ct_uid: a fresh pod uid.
ct_hex64() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }
ct_uid() { cat /proc/sys/kernel/random/uuid; }

# ct_docker_config ROOT ID NAME: docker's config.v2.json for ID under ROOT.
ct_docker_config() {
	mkdir -p "$1/var/lib/docker/containers/$2" || fail "mkdir under $1"
	jq -n --arg id "$2" --arg n "/$3" \
	    '{ID: $id, Name: $n, State: {Running: true}, Config: {Hostname: ($id[0:12])}}' \
	    >"$1/var/lib/docker/containers/$2/config.v2.json" || fail "cannot write docker config"
}

# Attribution does not depend on the search of mount namespaces for bind
# mounts, which forks a child per mount namespace: under valgrind, with
# the hundreds of mount namespaces that other runs' nsfind processes hold
# by fd on a busy machine, that alone takes a minute or more per run.  So
# only a scenario's first run searches (CT_FIRST), and not under a wrapper;
# the others never do (CT_QUICK).
CT_QUICK=(--no-mounts)
CT_FIRST=()
[ -z "$NSFIND_WRAP" ] || CT_FIRST=(--no-mounts)

# ct_run FILE ARGS...: runs nsfind ARGS with stdout to FILE; fails the test
# when nsfind fails.
ct_run() {
	local out=$1
	shift
	nsfind "$@" >"$out" 2>"$out.err" ||
	    fail "nsfind $* failed: $(quiet_stderr "$out.err")"
}

# jq: a value as compact JSON with its object keys sorted, so that two
# containers compare as strings.
# The keys added for real engines (pod_id, ctr_namespace, shared_with) are
# checked by the t_engine_* tests; these layout tests compare the rest.
CT_JQ_SORTED='def sorted: if type == "object" then del(.pod_id, .ctr_namespace, .shared_with) | to_entries | sort_by(.key) | from_entries else . end;'

# ct_load JSON: reads nsfind -J output JSON into CT_NS (namespace inode ->
# its "container", compact with sorted keys; "twice" when listed twice),
# leaving out the host's namespaces (engine "host").
# ct_load_tasks JSON: reads nsfind -P -J output into CT_TASKS (pid -> the
# distinct containers of its rows, as a JSON array).
ct_load() {
	local ino c
	unset CT_NS
	declare -gA CT_NS=()
	while read -r ino c; do
		if [ -n "${CT_NS[$ino]:-}" ]; then CT_NS[$ino]=twice; else CT_NS[$ino]=$c; fi
	done < <(jq -r "$JQ_TREE $CT_JQ_SORTED"' tree | select(.ns != null) |
	    select(.container.engine? != "host") |
	    "\(.ns) \(.container | sorted | tojson)"' "$1")
	[ "${#CT_NS[@]}" -gt 0 ] || fail "no namespace in $1"
}
ct_load_tasks() {
	local pid c
	unset CT_TASKS
	declare -gA CT_TASKS=()
	while read -r pid c; do
		CT_TASKS[$pid]=$c
	done < <(jq -r "$CT_JQ_SORTED"' .tasks | group_by(.pid)[] |
	    "\(.[0].pid) \([.[].container | sorted] | unique | tojson)"' "$1")
}

# ct_want ENGINE ID NAME POD K8SNS UNIT SOURCE: the container object nsfind
# should print, compact with sorted keys; "-" for null.
ct_want() {
	local k v out='' sep='{'
	local -a keys=(engine id k8s_namespace name pod source unit)
	local -A val=([engine]=$1 [id]=$2 [name]=$3 [pod]=$4 [k8s_namespace]=$5
	    [unit]=$6 [source]=$7)
	for k in "${keys[@]}"; do
		v=${val[$k]}
		if [ "$v" = - ]; then
			v=null
		else
			v=${v//\\/\\\\}
			v="\"${v//\"/\\\"}\""
		fi
		out="$out$sep\"$k\":$v"
		sep=,
	done
	echo "$out}"
}

# ct_check PID TYPES WHAT WANT: every namespace of PID of the given types
# ("uts ipc net") has the container WANT (from ct_want, or "null") in the
# output ct_load read.  WHAT names the case in a failure.
CT_FAILED=0
ct_check() {
	local t ino got
	for t in $2; do
		ino=$(ns_ino "$1" "$t") || fail "$3: no $t namespace for pid $1"
		got=${CT_NS[$ino]:-missing}
		if [ "$got" != "$4" ]; then
			echo "FAIL: $3: $t:[$ino] of pid $1: want container $4, got $got" >&2
			CT_FAILED=1
		fi
	done
}

# ct_check_tasks PID WHAT WANT: every -P -J row of PID (ct_load_tasks)
# carries the container WANT, and there is at least one such row.
ct_check_tasks() {
	local got=${CT_TASKS[$1]:-no rows}
	if [ "$got" != "[$3]" ]; then
		echo "FAIL: $2: -P -J rows of pid $1: want container [$3], got $got" >&2
		CT_FAILED=1
	fi
}

# ct_bad MESSAGE: records a failure and goes on, so that one run reports
# every case that is wrong.
ct_bad() {
	echo "FAIL: $*" >&2
	CT_FAILED=1
}

# ct_done: undoes everything now (processes, cgroups, files: lib.sh's undo
# list, emptied so that the exit trap has nothing left to do), so that a
# cgroup left behind fails the test too; then exits failing when any check
# failed and passing otherwise.
ct_done() {
	local d left=''
	_run_undo
	_undo=()
	for d in "${CT_CGROUPS[@]}"; do
		[ -d "$d" ] && left="$left $d"
	done
	[ -z "$left" ] || ct_bad "cgroups left behind:$left"
	[ "$CT_FAILED" -eq 0 ] || fail "see above"
	exit 0
}

# ct_outside PID: skips the test when PID, a process of ours that no
# scenario moved (ct_start VAR unshare --uts sleep 1000), is attributed to
# a container in the output ct_load read: the test itself runs inside one,
# and its own cgroup lines would outweigh what the scenario makes.
ct_outside() {
	local c=${CT_NS[$(ns_ino "$1" uts)]:-null}
	case $c in
	null | *'"engine":null'*) ;;
	*) skip "this test runs inside a container ($c): its own cgroup would decide" ;;
	esac
}

# ct_check_noengine PID TYPES WHAT: no namespace of PID of the given types
# is attributed to an engine (a bare systemd unit is fine), in the output
# ct_load read.
ct_check_noengine() {
	local t ino got
	for t in $2; do
		ino=$(ns_ino "$1" "$t") || fail "$3: no $t namespace for pid $1"
		got=${CT_NS[$ino]:-missing}
		case $got in
		null | *'"engine":null'*) ;;
		*) ct_bad "$3: $t:[$ino] of pid $1: want no engine, got $got" ;;
		esac
	done
}

# ct_select FILE WHAT INO...: nsfind -J --container WHAT (more options in
# CT_SELECT_OPTS) lists exactly the namespaces INO..., written to FILE,
# besides the host's that its tasks are in too (engine "host").
CT_SELECT_OPTS=()
ct_select() {
	local file=$1 what=$2 got want
	shift 2
	ct_run "$file" -J --container "$what" "${CT_QUICK[@]}" "${CT_SELECT_OPTS[@]}"
	got=$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$file" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || ct_bad "--container $what lists [$got], want [$want]"
}
