#!/bin/bash
# make bench: builds a synthetic namespace population (bench/populate.c)
# and, with it in place, times nsfind, the system's lsns and the floor
# (bench/floor.c: one stat per namespace link of every task, nothing else).
#
# usage: bench/run.sh [BUILD] [--no-hidden]
#   BUILD        build directory holding nsfind (default: build); the bench
#                programs are compiled into BUILD/bench
#   --no-hidden  no nsfs fds and no bind mounts in the population
# Environment: BENCH_PROCS (5000), BENCH_THREADS (2000), BENCH_NS (300),
# BENCH_FDS (200), BENCH_MOUNTS (50), BENCH_RUNS (9, timed runs after one
# warm-up), BENCH_BUDGET (100 s: past it, no rounds beyond the seventh).
#
# Needs root; as anyone else it says so and exits 0.  Everything it makes
# is undone on exit, Ctrl-C included.
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

procs=${BENCH_PROCS:-5000}
threads=${BENCH_THREADS:-2000}
nsgoal=${BENCH_NS:-300}
fds=${BENCH_FDS:-200}
mounts=${BENCH_MOUNTS:-50}
runs=${BENCH_RUNS:-9}
budget=${BENCH_BUDGET:-100}
if [ "$hidden" -eq 0 ]; then fds=0 mounts=0; fi

out=$BUILD/bench
nsfind=$BUILD/nsfind
tmp=
pop_pid=
ctl=
restore=()

# Undoes everything, in reverse: populate (which kills and reaps its whole
# process group; its mount namespace dies with it), sysctls, temp files.
cleanup() {
	local i r
	set +e
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
	for r in "${restore[@]}"; do eval "$r"; done
	restore=()
	[ -z "$tmp" ] || rm -rf "$tmp"
	tmp=
}
trap cleanup EXIT
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

echo "== nsfind bench"
mkdir -p "$out"
for p in floor populate timeit; do
	cc -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread \
	    -o "$out/$p" "bench/$p.c"
done
tmp=$(mktemp -d /tmp/nsfind-bench.XXXXXX)

before_tasks=$(tasks)
before_procs=$(procs_now)
# What populate would leave in the host if its own mount namespace leaked:
# its tmpfs or its bind mounts.  (Others' mounts come and go meanwhile.)
ours_mounted() {
	awk '$5 ~ "^/tmp/ns[0-9]+$" || / - tmpfs nsfind-bench / { n++ }
	    END { print n + 0 }' /proc/self/mountinfo
}
before_netns=$(ip netns list 2>/dev/null | wc -l)
need=$((before_tasks + procs + threads + 2000))
echo "limits:"
need_sysctl pid_max "$need"
need_sysctl threads-max "$need"
if [ "$(ulimit -u)" != unlimited ] && [ "$(ulimit -u)" -lt "$need" ]; then
	ulimit -u "$need" 2>/dev/null || ulimit -u unlimited
fi
echo "  ulimit -u = $(ulimit -u) (this script only)"

echo "building: $procs processes, $threads threads, ~$nsgoal namespaces," \
    "$fds nsfs fds, $mounts bind mounts"
mkfifo "$tmp/ctl"
"$out/populate" -p "$procs" -t "$threads" -n "$nsgoal" -f "$fds" \
    -m "$mounts" <"$tmp/ctl" >"$tmp/pop.out" 2>"$tmp/pop.err" &
pop_pid=$!
exec {ctl}>"$tmp/ctl"
t0=$SECONDS
until grep -qx ready "$tmp/pop.out"; do
	if ! kill -0 "$pop_pid" 2>/dev/null ||
	    [ $((SECONDS - t0)) -gt 150 ]; then
		echo "bench: populate failed:" >&2
		cat "$tmp/pop.err" >&2
		exit 1
	fi
	sleep 0.2
done
echo "built in $((SECONDS - t0)) s"
report=$(grep '^populate ' "$tmp/pop.out")
group=$(sed -n 's/.* group=\([0-9]*\).*/\1/p' <<<"$report")

# in_group: "processes tasks" in populate's process group, plus populate.
in_group() {
	ps -e -o pgid=,nlwp= | awk -v g="$group" \
	    '$1 == g { p++; t += $2 } END { print p + 1, t + 1 }'
}
read -r g_procs g_tasks < <(in_group)

during_tasks=$(tasks)
during_procs=$(procs_now)
read -r _ f_procs _ f_tasks _ f_links _ f_ns <<<"$("$out/floor" -u)"

# All commands are timed by one timeit, in turns, so that a change in load
# (other work on this machine) weighs on every one of them alike.
names=(floor)
cmds=("$out/floor")
if [ -x "$nsfind" ]; then
	names+=(nsfind "nsfind -J")
	cmds+=(:: "$nsfind" :: "$nsfind" -J)
fi
names+=(lsns "lsns -J")
cmds+=(:: lsns :: lsns -J)
echo "timing ${names[*]}: in turns, median of $runs runs after 1 warm-up," \
    "output to /dev/null"
[ -x "$nsfind" ] ||
    echo "  nsfind is missing ($nsfind not built yet): not timed"
# In the foreground, so that Ctrl-C stops it at once.
read -r load_before _ </proc/loadavg
"$out/timeit" -n "$runs" -w 1 -b "$budget" -t 60 "${cmds[@]}" \
    >"$tmp/times" || true
read -r load_after _ </proc/loadavg
mapfile -t lines <"$tmp/times"
# Figures taken after the population went are worth nothing.
read -r g_after _ < <(in_group)
if ! kill -0 "$pop_pid" 2>/dev/null || [ "$g_after" -ne "$g_procs" ]; then
	echo "bench: the population changed while being timed" \
	    "($g_procs processes, then $g_after): no figures" >&2
	cat "$tmp/pop.err" >&2
	exit 1
fi
declare -A res cpu note
res[nsfind]= res["nsfind -J"]= cpu[nsfind]= cpu["nsfind -J"]=
note[nsfind]="missing: not built yet" note["nsfind -J"]="missing: not built yet"
for i in "${!names[@]}"; do
	n=${names[$i]}
	set -- ${lines[$i]:-fail timeit gave no result}
	if [ "$1" = ok ]; then
		res[$n]=$2 cpu[$n]=$6 note[$n]="min $3, max $4, $5 runs"
	else
		shift
		res[$n]= cpu[$n]= note[$n]="failed: $*"
	fi
done

# Show why a timed command failed, from one more run.
for c in nsfind "nsfind -J"; do
	case ${note[$c]} in failed*)
		echo "  $c failed; its stderr:"
		$nsfind ${c#nsfind} 2>&1 >/dev/null | tail -n 5 |
		    sed 's/^/    /'
	esac
done

echo "stopping the population"
exec {ctl}>&-
ctl=
for i in $(seq 600); do
	kill -0 "$pop_pid" 2>/dev/null || break
	sleep 0.1
done
wait "$pop_pid" || echo "bench: populate exited with status $?" >&2
pop_pid=
[ ! -s "$tmp/pop.err" ] || sed 's/^/  populate: /' "$tmp/pop.err"
after_tasks=$(tasks)
after_mounts=$(ours_mounted)
after_netns=$(ip netns list 2>/dev/null | wc -l)
read -r left _ < <(in_group)
left=$((left - 1))

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

ver=$(lsns --version | awk '{ print $NF }')
echo
echo "== results"
echo "population: ${report#populate }"
printf '  %-34s %6d processes, %d threads\n' \
    "populate built (itself included)" "$g_procs" $((g_tasks - g_procs))
printf '  %-34s %6d (%d before; others may be at work here too)\n' \
    "processes on the machine" "$during_procs" "$before_procs"
printf '  %-34s %6d (%d before)\n' "tasks (processes + threads)" \
    "$during_tasks" "$before_tasks"
printf '  %-34s %6d\n' "namespaces the floor saw" "$f_ns"
printf '  %-34s %6d processes, %d threads\n' "tasks the floor went through" \
    "$f_procs" "$f_tasks"
printf '  %-34s %6d (10 per /proc/PID and per /proc/PID/task/TID\n' \
    "ns links the floor stat'ed" "$f_links"
printf '  %-41s but for tasks that refuse even root)\n' ""
echo "  (namespaces held only by fds or bind mounts are not in a task:"
echo "   the floor and lsns $ver cannot see them; lsns also reads no threads)"
echo
printf '  %-12s %10s %10s\n' command "median ms" "(cpu ms)"
for c in floor nsfind "nsfind -J" lsns "lsns -J"; do
	printf '  %-12s %10s %10s  %s\n' "$c" "${res[$c]:-—}" \
	    "${cpu[$c]:+(${cpu[$c]})}" "${note[$c]}"
done
echo
printf '  %-22s %8s %8s   %s\n' ratio "wall" "(cpu)" "target (on wall time)"
row "nsfind / floor" nsfind floor "<=" 1.5
row "lsns / nsfind" lsns nsfind ">=" 3
row "nsfind -J / floor" "nsfind -J" floor "<=" 1.5
row "lsns -J / nsfind -J" "lsns -J" "nsfind -J" ">=" 3
echo "  load average (1 min) $load_before when timing began, $load_after" \
    "when it ended ($(nproc) CPUs)"
echo
# populate names no netns; others' tests may, so ip netns is only shown.
if [ "$left" -eq 0 ] && [ "$after_mounts" -eq 0 ]; then
	echo "cleanup: none of the population's processes left, none of its" \
	    "mounts in the host"
else
	echo "cleanup: WARNING $left of the population's processes left," \
	    "$after_mounts of its mounts in the host"
fi
echo "  tasks: $before_tasks before, $after_tasks after;" \
    "ip netns: $before_netns before, $after_netns after (others' work included)"
