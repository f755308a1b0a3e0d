#!/bin/bash
# --dot stays renderable on a big host: the bench population (bench/
# populate.c, smaller: 2,000 processes, ~300 namespaces, 200 nsfs fds, 50
# bind mounts) plus 100 containers (mininet hosts, each its own uts and
# net namespace).  `dot -Tsvg` of nsfind's graph must finish under a
# generous deadline (60 s; it takes well under a second on the project's
# 2-core machine), each container is one cluster, and no edge is drawn
# from the initial user namespace (those are folded into its label).
. "$(dirname "$0")/lib.sh"
need_root
need_cmd dot
need_cmd cc
scratch
W=$SCRATCH
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

cc -std=gnu11 -O2 -D_GNU_SOURCE -pthread -o "$W/populate" "$ROOT/bench/populate.c" ||
    fail "cannot build bench/populate.c"
mkfifo "$W/ctl" || fail "mkfifo"
"$W/populate" -p 2000 -t 200 -n 300 -f 200 -m 50 <"$W/ctl" >"$W/pop.out" 2>"$W/pop.err" &
POP=$!
exec {CTL}>"$W/ctl"
# populate ends (and takes its processes and mounts with it) on TERM.
on_exit "kill -TERM $POP; wait $POP"
wait_for grep -qx ready "$W/pop.out" || wait_for grep -qx ready "$W/pop.out" ||
    fail "populate did not get ready: $(cat "$W/pop.err")"

for i in $(seq 100); do
	unshare --uts --net bash -c 'sleep 1000; :' "mininet:$TAG-h$i" </dev/null &
	on_exit "kill_tree $!"
done
wait_for test "$(pgrep -cf "mininet:$TAG-h")" -ge 100 || fail "the containers did not start"
sleep 0.5	# their sleeps (the children) exec'd

nsfind --dot >"$W/g.dot" 2>"$W/err" || fail "nsfind --dot: $(cat "$W/err")"
nodes=$(grep -c '\[label=' "$W/g.dot")
edges=$(grep -c ' -> ' "$W/g.dot")
start=$(date +%s.%N)
timeout 60 dot -Tsvg "$W/g.dot" >"$W/g.svg" 2>"$W/dot.err" ||
    fail "dot -Tsvg of $nodes nodes, $edges edges did not finish in 60 s (or failed): $(head -c 300 "$W/dot.err")"
echo "dot -Tsvg: $nodes nodes, $edges edges in $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
grep -q '</svg>' "$W/g.svg" || fail "no SVG"
n=$(grep -c "^	label=\"$TAG-h[0-9]* (mininet)\";" "$W/g.dot")
[ "$n" -eq 100 ] || fail "$n clusters of our containers, want 100"
IU=$(stat -L -c %i /proc/self/ns/user)
grep -q "^\"user_$IU\" -> " "$W/g.dot" && fail "edges from the initial user ns are drawn"
exit 0
