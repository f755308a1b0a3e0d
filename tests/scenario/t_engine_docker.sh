#!/bin/bash
# Real docker (Debian's dockerd 20.10, started here on a socket, data
# root and exec root of its own, with no bridge and no iptables rules):
# a container dweb1 and a container dside started with
# `--network container:dweb1`, from a busybox image imported here.
# nsfind (reading docker's state under --state-root) must agree with
# `docker inspect`:
#   - engine docker, id and name per namespace, source cgroup
#   - --container dside lists its own namespaces and dweb1's net
#     namespace, whose shared_with names dside; the table says so
#   - --container <12 of dside's id> lists the same
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_engine.sh"
need_root
[ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || skip "needs docker.io (/usr/sbin/dockerd, /usr/bin/docker)"
need_cmd containerd
need_cmd jq
scratch

root=$SCRATCH/root sock=$SCRATCH/docker.sock
mkdir -p "$root/var/lib/docker" || fail "mkdir"
/usr/sbin/dockerd --data-root "$root/var/lib/docker" --exec-root "$SCRATCH/exec" \
    --pidfile "$SCRATCH/docker.pid" -H "unix://$sock" --iptables=false \
    --ip6tables=false --bridge=none --ip-masq=false --userland-proxy=false \
    >"$SCRATCH/dockerd.log" 2>&1 &
dpid=$!
on_exit "ce_stop $dpid"
ce_wait_sock "$sock" "$dpid" || skip "dockerd did not start here: $(tail -n 1 "$SCRATCH/dockerd.log")"
ce_cgroups docker
dk() { timeout 60 /usr/bin/docker -H "unix://$sock" "$@"; }

web=${TAG}dweb1 side=${TAG}dside img=$TAG:bb
ce_tarball "$SCRATCH/bb.tar"
dk import "$SCRATCH/bb.tar" "$img" >/dev/null || fail "docker import"
on_exit "/usr/bin/docker -H unix://$sock rm -f $web $side"
dk run -d --network none --name "$web" "$img" sleep 600 >/dev/null ||
    skip "docker cannot start a container here: $(tail -n 1 "$SCRATCH/dockerd.log")"
dk run -d --network "container:$web" --name "$side" "$img" sleep 600 >/dev/null || fail "docker run $side"

web_id=$(dk inspect -f '{{.Id}}' "$web") web_pid=$(dk inspect -f '{{.State.Pid}}' "$web")
side_id=$(dk inspect -f '{{.Id}}' "$side") side_pid=$(dk inspect -f '{{.State.Pid}}' "$side")
ce_cgroups "docker/$web_id" "docker/$side_id"
echo "$web $web_id pid $web_pid; $side $side_id pid $side_pid"
ce_expect "docker shares the net ns" "$(ns_ino "$side_pid" net)" "$(ns_ino "$web_pid" net)"

ce_json "$SCRATCH/all.json" --state-root "$root"
for t in mnt uts ipc pid; do
	ce_expect "$side $t" "$(ce_ns_container "$SCRATCH/all.json" "$side_pid" $t | jq -c '[.engine, .id, .name, .source]')" \
	    "[\"docker\",\"$side_id\",\"$side\",\"cgroup\"]"
done
ce_expect "$web net" "$(ce_ns_container "$SCRATCH/all.json" "$web_pid" net | jq -c '[.engine, .id, .name]')" \
    "[\"docker\",\"$web_id\",\"$web\"]"

want=$(ce_nsset "$side_pid" mnt uts ipc pid net)
for what in "$side" "${side_id:0:12}"; do
	ce_json "$SCRATCH/sel.json" --container "$what" --state-root "$root"
	got=$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')
	ce_expect "--container $what" "$got" "$want"
	ce_expect "--container $what: net shared_with" \
	    "$(ce_field "$SCRATCH/sel.json" "$side_pid" net shared_with | jq -c '[.[] | [.engine, .name]]')" "[[\"docker\",\"$side\"]]"
done
ce_table "$SCRATCH/sel.txt" --container "$side" --state-root "$root"
grep -qE "^ *$(ns_ino "$web_pid" net) +net +$web_pid +$web \(docker\); shared with $side \(docker\)\$" "$SCRATCH/sel.txt" ||
    ce_bad "--container $side table: no shared net row: $(cat "$SCRATCH/sel.txt")"
echo "--- nsfind -o NS,TYPE,PID,CONTAINER --container $side"
cat "$SCRATCH/sel.txt"
ce_done
