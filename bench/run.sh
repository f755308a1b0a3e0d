#!/bin/bash
# make bench: builds a synthetic namespace population (bench/populate.c)
# and, with it in place, times nsfind, the system's lsns and the floor
# (bench/floor.c: one stat per namespace link of every task, nothing else),
# in turns, and reports wall time, CPU time and peak memory (max RSS) of
# each.
#
# usage: bench/run.sh [BUILD] [--no-hidden]
#   BUILD        build directory holding nsfind (default: build); the bench
#                programs are compiled into BUILD/bench
#   --no-hidden  no nsfs fds and no bind mounts in the processes population
#
# Modes (BENCH_MODE, or make bench BENCH_MODE=...):
#   all        (default) processes, then sandboxes; about 5 minutes
#   processes  the population of plain processes, threads, namespaces, nsfs
#              fds and bind mounts: BENCH_PROCS (5000), BENCH_THREADS
#              (2000), BENCH_NS (300), BENCH_FDS (200), BENCH_MOUNTS (50)
#   sandboxes  a busy container host: BENCH_SANDBOXES (800) sandboxes, each
#              with its own mnt, net, uts, ipc, pid and cgroup namespaces,
#              a pid-1 shell and two sleeps, BENCH_SANDBOX_MOUNTS (20)
#              tmpfs mounts
#   scale      how wall, CPU and peak memory grow: one population after the
#              other, BENCH_SCALE_SANDBOXES ("100 200 400 800 1600 2000")
#              sandboxes, then BENCH_SCALE_PROCS ("1000 2000 5000 10000
#              20000") plain processes (no threads, no namespaces); nsfind,
#              lsns and the floor, median of BENCH_SCALE_RUNS (5) runs
#              each, then a table and a linearity check.  Sizes that would
#              start after BENCH_SCALE_BUDGET (1200 s) are skipped.
# Timing: BENCH_RUNS (9, timed runs after one warm-up), BENCH_BUDGET (100
# s: past it, no rounds beyond the seventh).
#
# Needs root; as anyone else it says so and exits 0.  Everything it makes
# is undone on exit, Ctrl-C included; pid_max and threads-max, if raised,
# are restored.
set -eu

cd "$(dirname "$0")/.."
BUILD=build
hidden=1
for a in "$@"; do
	case $a in
	--no-hidden) hidden=0 ;;
	-*) echo "usage: bench/run.sh [BUILD] [--no-hidden]" >&2; exit 2 ;;
	*) BUILD=$a ;;
	esac
done

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (it builds namespaces and bind mounts); skipped"
	exit 0
fi

mode=${BENCH_MODE:-all}
procs=${BENCH_PROCS:-5000}
threads=${BENCH_THREADS:-2000}
nsgoal=${BENCH_NS:-300}
fds=${BENCH_FDS:-200}
mounts=${BENCH_MOUNTS:-50}
sandboxes=${BENCH_SANDBOXES:-800}
sb_mounts=${BENCH_SANDBOX_MOUNTS:-20}
runs=${BENCH_RUNS:-9}
budget=${BENCH_BUDGET:-100}
scale_sb=${BENCH_SCALE_SANDBOXES:-100 200 400 800 1600 2000}
scale_procs=${BENCH_SCALE_PROCS:-1000 2000 5000 10000 20000}
scale_runs=${BENCH_SCALE_RUNS:-5}
scale_budget=${BENCH_SCALE_BUDGET:-1200}
if [ "$hidden" -eq 0 ]; then fds=0 mounts=0; fi
case $mode in
all|processes|sandboxes|scale) ;;
*) echo "bench: BENCH_MODE is all, processes, sandboxes or scale" >&2
   exit 2 ;;
esac

out=$BUILD/bench
nsfind=$BUILD/nsfind
tmp=
pop_pid=
ctl=
restore=()

# Stops populate (which kills and reaps its whole process group; its
# mount namespace dies with it).
kill_population() {
	local i
	if [ -n "$ctl" ]; then exec {ctl}>&-; ctl=; fi
	if [ -n "$pop_pid" ]; then
		kill -TERM "$pop_pid" 2>/dev/null
		for i in $(seq 300); do
			kill -0 "$pop_pid" 2>/dev/null || break
			sleep 0.1
		done
		# Still there: its children die with it (PR_SET_PDEATHSIG).
		kill -KILL "$pop_pid" 2>/dev/null
		wait "$pop_pid" 2>/dev/null
		pop_pid=
	fi
}

# Undoes everything, in reverse: the population, sysctls, temp files.
cleanup() {
	local r
	set +e
	kill_population
	for r in "${restore[@]}"; do eval "$r"; done
	restore=()
	[ -z "$tmp" ] || rm -rf "$tmp"
	tmp=
}
trap cleanup EXIT
trap 'echo "bench: line $LINENO failed (status $?)" >&2' ERR
trap 'echo "bench: interrupted" >&2; exit 130' INT TERM HUP

tasks() { local a=(/proc/[0-9]*/task/[0-9]*); echo ${#a[@]}; }
procs_now() { local a=(/proc/[0-9]*); echo ${#a[@]}; }

# A sysctl too low for the population is raised for this run only.
need_sysctl() {
	local f=/proc/sys/kernel/$1 want=$2 have
	have=$(cat "$f")
	if [ "$have" -ge "$want" ]; then
		echo "  $1 = $have: enough (need $want)"
		return
	fi
	echo "  $1 = $have is below $want: raised for this run," \
	    "restored on exit"
	restore+=("echo $have > $f")
	echo "$want" >"$f"
}

# What populate would leave in the host if a mount namespace of its own
# leaked: its tmpfs or its bind mounts.  (Others' mounts come and go.)
ours_mounted() {
	awk '$5 ~ "^/tmp/ns[0-9]+$" || / - tmpfs nsfind-bench / { n++ }
	    END { print n + 0 }' /proc/self/mountinfo
}

# in_group: "processes tasks" in populate's process group, plus populate.
in_group() {
	ps -e -o pgid=,nlwp= | awk -v g="$group" \
	    '$1 == g { p++; t += $2 } END { print p + 1, t + 1 }'
}

# start_population ARGS: runs populate ARGS in the background and waits
# until it is built.  Sets report, group, g_procs, g_tasks, built_s.
start_population() {
	local t0
	rm -f "$tmp/ctl"
	mkfifo "$tmp/ctl"
	"$out/populate" "$@" <"$tmp/ctl" >"$tmp/pop.out" 2>"$tmp/pop.err" &
	pop_pid=$!
	exec {ctl}>"$tmp/ctl"
	t0=$SECONDS
	until grep -qx ready "$tmp/pop.out"; do
		if ! kill -0 "$pop_pid" 2>/dev/null ||
		    [ $((SECONDS - t0)) -gt 300 ]; then
			echo "bench: populate failed:" >&2
			cat "$tmp/pop.err" >&2
			exit 1
		fi
		sleep 0.2
	done
	built_s=$((SECONDS - t0))
	report=$(grep '^populate ' "$tmp/pop.out")
	group=$(sed -n 's/.* group=\([0-9]*\).*/\1/p' <<<"$report")
	read -r g_procs g_tasks < <(in_group)
}

# stop_population: closes populate's stdin, which ends it, and waits.
# Sets left (its processes still there) and after_mounts.
stop_population() {
	local i
	exec {ctl}>&-
	ctl=
	for i in $(seq 600); do
		kill -0 "$pop_pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pop_pid" || echo "bench: populate exited with status $?" >&2
	pop_pid=
	[ ! -s "$tmp/pop.err" ] || sed 's/^/  populate: /' "$tmp/pop.err"
	after_mounts=$(ours_mounted)
	read -r left _ < <(in_group)
	left=$((left - 1))
}

# time_commands RUNS BUDGET NAME...: times the named commands with one
# timeit, in turns, so that a change in load (other work on this machine)
# weighs on every one of them alike.  Sets res, cpu, rss (KiB), note and
# load_before, load_after.
declare -A res cpu rss note
time_commands() {
	local n=$1 b=$2 i c lines g_after
	local -a names=() cmds=()
	shift 2
	for c in "$@"; do
		case $c in
		floor) cmds+=(:: "$out/floor") ;;
		nsfind*)
			if [ ! -x "$nsfind" ]; then
				res[$c]= cpu[$c]= rss[$c]=
				note[$c]="missing: not built yet"
				continue
			fi
			cmds+=(:: "$nsfind" ${c#nsfind}) ;;
		lsns*) cmds+=(:: $c) ;;
		esac
		names+=("$c")
	done
	echo "timing ${names[*]}: in turns, median of $n runs after" \
	    "1 warm-up, output to /dev/null"
	# In the foreground, so that Ctrl-C stops it at once.
	read -r load_before _ </proc/loadavg
	"$out/timeit" -n "$n" -w 1 -b "$b" -t 300 "${cmds[@]:1}" \
	    >"$tmp/times" || true
	read -r load_after _ </proc/loadavg
	mapfile -t lines <"$tmp/times"
	# Figures taken after the population went are worth nothing.
	read -r g_after _ < <(in_group)
	if ! kill -0 "$pop_pid" 2>/dev/null || [ "$g_after" -ne "$g_procs" ]
	then
		echo "bench: the population changed while being timed" \
		    "($g_procs processes, then $g_after): no figures" >&2
		cat "$tmp/pop.err" >&2
		exit 1
	fi
	for i in "${!names[@]}"; do
		c=${names[$i]}
		set -- ${lines[$i]:-fail timeit gave no result}
		if [ "$1" = ok ]; then
			res[$c]=$2 cpu[$c]=$6 rss[$c]=$7
			note[$c]="min $3, max $4, $5 runs"
		else
			shift
			res[$c]= cpu[$c]= rss[$c]= note[$c]="failed: $*"
		fi
	done
	# Show why a timed nsfind failed, from one more run.
	for c in "${names[@]}"; do
		case $c:${note[$c]} in nsfind*:failed*)
			echo "  $c failed; its stderr:"
			$nsfind ${c#nsfind} 2>&1 >/dev/null | tail -n 5 |
			    sed 's/^/    /'
		esac
	done
}

# ratio A B: A/B to two places, or "—" if either is missing.
ratio() {
	if [ -n "$1" ] && [ -n "$2" ]; then
		awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
	else
		echo —
	fi
}
# verdict VALUE OP TARGET
verdict() {
	[ "$1" != — ] || { echo "not measured"; return; }
	if awk -v v="$1" -v t="$3" -v op="$2" \
	    'BEGIN { exit !(op == "<=" ? v <= t : v >= t) }'; then
		echo met
	else
		echo "NOT met"
	fi
}
# row LABEL A B OP TARGET: the wall-time ratio A/B against the target,
# and the CPU-time ratio beside it, steadier when others load the machine.
row() {
	local label=$1 a=$2 b=$3 op=$4 t=$5 v
	v=$(ratio "${res[$a]}" "${res[$b]}")
	printf '  %-22s %8s %8s   %s %-4s %s\n' "$label" "$v" \
	    "$(ratio "${cpu[$a]}" "${cpu[$b]}")" "$op" "$t" \
	    "$(verdict "$v" "$op" "$t")"
}
# mib KIB: KiB as MiB to one place, or "—".
mib() {
	if [ -n "$1" ]; then
		awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
	else
		echo —
	fi
}

# The figures of one population, timed: what was there, then each
# command's median wall and CPU time and peak RSS, then the ratios.
print_results() {
	local c
	echo
	echo "== results: $1"
	echo "population: ${report#populate }"
	printf '  %-34s %6d processes, %d threads (built in %d s)\n' \
	    "populate built (itself included)" "$g_procs" \
	    $((g_tasks - g_procs)) "$built_s"
	printf '  %-34s %6d (%d before; others may be at work here too)\n' \
	    "processes on the machine" "$during_procs" "$before_procs"
	printf '  %-34s %6d (%d before)\n' "tasks (processes + threads)" \
	    "$during_tasks" "$before_tasks"
	printf '  %-34s %6d\n' "namespaces the floor saw" "$f_ns"
	printf '  %-34s %6d processes, %d threads\n' \
	    "tasks the floor went through" "$f_procs" "$f_tasks"
	printf '  %-34s %6d (10 per /proc/PID and per /proc/PID/task/TID\n' \
	    "ns links the floor stat'ed" "$f_links"
	printf '  %-41s but for tasks that refuse even root)\n' ""
	[ -z "$sb_mounts_seen" ] ||
	    printf '  %-34s %6s\n' "mounts in one sandbox" "$sb_mounts_seen"
	echo "  (namespaces held only by fds or bind mounts are not in a task:"
	echo "   the floor and lsns $ver cannot see them; lsns also reads" \
	    "no threads)"
	echo
	printf '  %-12s %10s %10s %9s\n' command "median ms" "(cpu ms)" \
	    "max RSS"
	for c in floor nsfind "nsfind -J" lsns "lsns -J"; do
		printf '  %-12s %10s %10s %5s MiB  %s\n' "$c" "${res[$c]:-—}" \
		    "${cpu[$c]:+(${cpu[$c]})}" "$(mib "${rss[$c]}")" \
		    "${note[$c]}"
	done
	echo
	printf '  %-22s %8s %8s   %s\n' ratio "wall" "(cpu)" \
	    "target (on wall time)"
	row "nsfind / floor" nsfind floor "<=" 1.5
	row "lsns / nsfind" lsns nsfind ">=" 3
	row "nsfind -J / floor" "nsfind -J" floor "<=" 1.5
	row "lsns -J / nsfind -J" "lsns -J" "nsfind -J" ">=" 3
	echo "  load average (1 min) $load_before when timing began," \
	    "$load_after when it ended ($(nproc) CPUs)"
	echo "  max RSS: the peak resident set of the largest single" \
	    "process of a run (ru_maxrss), the largest of all runs"
}

# What the machine holds with the population in place.
survey() {
	local p
	during_tasks=$(tasks)
	during_procs=$(procs_now)
	read -r _ f_procs _ f_tasks _ f_links _ f_ns <<<"$("$out/floor" -u)"
	sb_mounts_seen=
	if [ "$1" = sandboxes ]; then
		# A sleep of one sandbox: its mount namespace.
		p=$(pgrep -g "$group" -n -x sleep || true)
		[ -z "$p" ] || sb_mounts_seen=$(wc -l <"/proc/$p/mountinfo")
	fi
}

check_cleanup() {
	if [ "$left" -eq 0 ] && [ "$after_mounts" -eq 0 ]; then
		echo "cleanup: none of the population's processes left, none" \
		    "of its mounts in the host"
	else
		echo "cleanup: WARNING $left of the population's processes" \
		    "left, $after_mounts of its mounts in the host"
	fi
}

# bench_one KIND: builds one population, times all five, reports.
bench_one() {
	local kind=$1
	if [ "$kind" = sandboxes ]; then
		echo "building: $sandboxes sandboxes, $sb_mounts tmpfs mounts" \
		    "each"
		start_population -p 0 -s "$sandboxes" -S "$sb_mounts"
	else
		echo "building: $procs processes, $threads threads," \
		    "~$nsgoal namespaces, $fds nsfs fds, $mounts bind mounts"
		start_population -p "$procs" -t "$threads" -n "$nsgoal" \
		    -f "$fds" -m "$mounts"
	fi
	echo "built in $built_s s"
	survey "$kind"
	time_commands "$runs" "$budget" floor nsfind "nsfind -J" lsns "lsns -J"
	echo "stopping the population"
	stop_population
	print_results "$kind"
	echo
	check_cleanup
}

# scale_point KIND SIZE: one row of the scaling table, appended to
# BUILD/bench/scale.KIND (kept, so that a run cut short still has its
# figures): size processes tasks then ms, cpu ms and KiB of nsfind, lsns
# and the floor, and the load.
scale_point() {
	local kind=$1 n=$2 c
	echo "-- $kind: $n"
	if [ "$kind" = sandboxes ]; then
		start_population -p 0 -s "$n" -S "$sb_mounts"
	else
		start_population -p "$n" -t 0 -n 0 -f 0 -m 0
	fi
	echo "built in $built_s s"
	during_tasks=$(tasks)
	during_procs=$(procs_now)
	time_commands "$scale_runs" "$budget" nsfind lsns floor
	stop_population
	[ "$left" -eq 0 ] && [ "$after_mounts" -eq 0 ] ||
	    echo "cleanup: WARNING $left processes, $after_mounts mounts left"
	for c in nsfind lsns floor; do
		[ -n "${res[$c]}" ] || { echo "  $c: ${note[$c]}"; return; }
	done
	echo "$n $during_procs $during_tasks ${res[nsfind]} ${cpu[nsfind]}" \
	    "${rss[nsfind]} ${res[lsns]} ${cpu[lsns]} ${rss[lsns]}" \
	    "${res[floor]} ${cpu[floor]} ${rss[floor]} $load_before" \
	    >>"$out/scale.$kind"
	echo "  nsfind ${res[nsfind]} ms (cpu ${cpu[nsfind]}," \
	    "$(mib "${rss[nsfind]}") MiB), lsns ${res[lsns]} ms (cpu" \
	    "${cpu[lsns]}, $(mib "${rss[lsns]}") MiB), floor ${res[floor]} ms;" \
	    "load $load_before"
}

# scale_table KIND UNIT: the table of one series and its linearity check.
# Two figures per cost: "growth", the cost per unit (per sandbox or per
# process) at the largest size over that at the smallest, about 1 or below
# (fixed costs weigh less as the size grows) when the cost is linear, near
# the size ratio when it is quadratic; and "bend", the marginal cost over
# the upper half of the sizes over that over the lower half, more sensitive
# but more at the mercy of noise at any one size.
scale_table() {
	local f=$out/scale.$1
	[ -s "$f" ] || { echo "  $1: no figures"; return; }
	echo
	echo "== scaling: $1 (median of $scale_runs; ms, MiB)"
	awk -v unit="$2" '
	function slope(col, a, b) {
		return (v[b, col] - v[a, col]) / (n[b] - n[a])
	}
	function check(label, col,  lo, hi, g, b, say) {
		lo = slope(col, 1, mid); hi = slope(col, mid, rows)
		g = (v[rows, col] / n[rows]) / (v[1, col] / n[1])
		b = lo > 0 ? hi / lo : 0
		say = g > 1.25 ? "GROWS FASTER than the population" : \
		    b > 1.5 ? "linear overall; bends up (noise?)" : "linear"
		printf "  %-14s %9.3f %9.3f %9.3f %6.2f %6s   %s\n", label,
		    v[1, col] / n[1], v[rows, col] / n[rows], hi, g,
		    (lo > 0 ? sprintf("%.2f", b) : "—"), say
	}
	{
		rows++; n[rows] = $1
		for (i = 1; i <= NF; i++) v[rows, i] = $i
	}
	END {
		printf "  %6s %6s %6s | %7s %7s %6s | %7s %7s %6s | %6s | %5s %5s\n",
		    unit, "procs", "tasks", "nsfind", "cpu", "RSS",
		    "lsns", "cpu", "RSS", "floor", "lsns/", "load"
		printf "  %6s %6s %6s | %7s %7s %6s | %7s %7s %6s | %6s | %5s\n",
		    "", "", "", "ms", "ms", "MiB", "ms", "ms", "MiB", "ms",
		    "nsfind"
		for (r = 1; r <= rows; r++)
			printf "  %6d %6d %6d | %7.0f %7.0f %6.1f | %7.0f %7.0f %6.1f | %6.0f | %5.2f %5s\n",
			    v[r, 1], v[r, 2], v[r, 3], v[r, 4], v[r, 5],
			    v[r, 6] / 1024, v[r, 7], v[r, 8], v[r, 9] / 1024,
			    v[r, 10], v[r, 7] / v[r, 4], v[r, 13]
		if (rows < 3) {
			print "  (linearity needs three sizes or more)"
			exit
		}
		mid = int((rows + 1) / 2)
		printf "\n  linearity, per %s: cost / size at %d and at %d, the marginal cost\n",
		    unit, n[1], n[rows]
		printf "  from %d to %d, growth (per-%s cost at %d over that at %d)\n",
		    n[mid], n[rows], unit, n[rows], n[1]
		printf "  and bend (marginal cost from %d to %d over that from %d to %d)\n",
		    n[mid], n[rows], n[1], n[mid]
		printf "  %-14s %9s %9s %9s %6s %6s\n", "", "at " n[1],
		    "at " n[rows], "marginal", "growth", "bend"
		check("nsfind wall ms", 4)
		check("nsfind cpu ms", 5)
		check("nsfind RSS KiB", 6)
		check("lsns wall ms", 7)
		check("lsns cpu ms", 8)
		check("lsns RSS KiB", 9)
		check("floor wall ms", 10)
	}' "$f"
}

echo "== nsfind bench ($mode)"
mkdir -p "$out"
for p in floor populate timeit; do
	cc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread \
	    -o "$out/$p" "bench/$p.c"
done
tmp=$(mktemp -d /tmp/nsfind-bench.XXXXXX)
ver=$(lsns --version | awk '{ print $NF }')

before_tasks=$(tasks)
before_procs=$(procs_now)
before_netns=$(ip netns list 2>/dev/null | wc -l)
# Tasks the largest population adds (a sandbox is three processes).
most=0
want() { [ "$1" -le "$most" ] || most=$1; }
case $mode in
all|processes) want $((procs + threads)) ;;&
all|sandboxes) want $((3 * sandboxes + 1)) ;;
scale)
	for n in $scale_sb; do want $((3 * n + 1)); done
	for n in $scale_procs; do want "$n"; done ;;
esac
need=$((before_tasks + most + 2000))
echo "limits:"
need_sysctl pid_max "$need"
need_sysctl threads-max "$need"
if [ "$(ulimit -u)" != unlimited ] && [ "$(ulimit -u)" -lt "$need" ]; then
	ulimit -u "$need" 2>/dev/null || ulimit -u unlimited
fi
echo "  ulimit -u = $(ulimit -u) (this script only)"
[ -x "$nsfind" ] ||
    echo "  nsfind is missing ($nsfind not built yet): not timed"

case $mode in
all|processes) bench_one processes ;;&
all) echo ;;&
all|sandboxes) bench_one sandboxes ;;
scale)
	t_scale=$SECONDS
	rm -f "$out/scale.sandboxes" "$out/scale.processes"
	for kind in sandboxes processes; do
		if [ "$kind" = sandboxes ]; then sizes=$scale_sb; else
			sizes=$scale_procs; fi
		for n in $sizes; do
			if [ $((SECONDS - t_scale)) -gt "$scale_budget" ]; then
				echo "-- $kind: $n skipped (past" \
				    "BENCH_SCALE_BUDGET=$scale_budget s)"
				continue
			fi
			scale_point "$kind" "$n"
		done
	done
	scale_table sandboxes sandbox
	scale_table processes proc
	echo
	echo "  load average: the 1-minute load when each size's timing began" \
	    "($(nproc) CPUs); others' work counts too"
	echo "  whole run: $((SECONDS - t_scale)) s" ;;
esac

after_tasks=$(tasks)
after_netns=$(ip netns list 2>/dev/null | wc -l)
# populate names no netns; others' tests may, so ip netns is only shown.
echo "  tasks: $before_tasks before, $after_tasks after;" \
    "ip netns: $before_netns before, $after_netns after (others' work included)"
