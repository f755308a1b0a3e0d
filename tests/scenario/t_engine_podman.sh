#!/bin/bash
# Real podman: a pod (infra container + app), a container in the pod and a
# container alone, all from a busybox image imported here.  nsfind must
# agree with `podman inspect` / `podman pod inspect`:
#   - JSON pod is the pod's name, pod_id its id, engine podman, id and
#     name the container's; the table says "NAME (podman, pod POD)"
#   - --container POD (name), --container <12 of pod id>, --container APP
#     and --container <12 of app id> work; --container APP lists the pod's
#     net, uts and ipc namespaces (the infra's, shared with APP) and says
#     so in "shared_with"
# Machine quirks handled here: crun refuses the hybrid cgroup layout (runc
# is used), podman's default ulimits (nofile, nproc above our hard limit)
# are refused by runc (set low in a containers.conf of our own), no
# systemd (cgroupfs manager, file events logger), no registry (import).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_engine.sh"
need_root
need_cmd podman
need_cmd runc
need_cmd jq
scratch

cat >"$SCRATCH/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
export CONTAINERS_CONF=$SCRATCH/containers.conf
pm() { timeout 60 podman "$@"; }

img=localhost/$TAG:bb pod=${TAG}p1 app=${TAG}app1 solo=${TAG}solo
ce_tarball "$SCRATCH/bb.tar"
# The pause image podman builds for pods is removed only if we made it.
pause_before=$(pm images -q --filter reference=localhost/podman-pause 2>/dev/null)
on_exit "[ -n '$pause_before' ] || podman images -q --filter reference=localhost/podman-pause | xargs -r podman rmi -f"
on_exit "podman rmi -f $img"
pm import -q "$SCRATCH/bb.tar" "$img" >/dev/null || skip "podman import failed here"
on_exit "podman pod rm -f -t 0 $pod"
ce_cgroups libpod_parent libpod_parent/conmon
pm pod create --network none --name "$pod" >/dev/null || fail "podman pod create"
ce_cgroups "libpod_parent/$(pm pod inspect -f '{{.Id}}' "$pod")"
on_exit "podman rm -f -t 0 $app $solo"
pm run -d --pod "$pod" --name "$app" "$img" sleep 600 >/dev/null ||
    skip "podman cannot start a container here: $(pm run --rm "$img" true 2>&1 | tail -1)"
pm run -d --network none --name "$solo" "$img" sleep 600 >/dev/null || fail "podman run $solo"
ce_cgroups "libpod_parent/libpod-$(pm inspect -f '{{.Id}}' "$solo")"

# What podman itself says.
pod_id=$(pm pod inspect -f '{{.Id}}' "$pod")
infra_id=$(pm pod inspect -f '{{.InfraContainerID}}' "$pod")
infra_name=$(pm inspect -f '{{.Name}}' "$infra_id")
infra_pid=$(pm inspect -f '{{.State.Pid}}' "$infra_id")
app_id=$(pm inspect -f '{{.Id}}' "$app")
app_pid=$(pm inspect -f '{{.State.Pid}}' "$app")
solo_id=$(pm inspect -f '{{.Id}}' "$solo")
solo_pid=$(pm inspect -f '{{.State.Pid}}' "$solo")
pod_short=${pod_id:0:12}	# as `podman pod ps` prints it
[ -n "$app_pid" ] && [ "$app_pid" -gt 0 ] || fail "no pid for $app"
echo "pod $pod $pod_short infra $infra_name pid $infra_pid; app $app pid $app_pid; solo pid $solo_pid"

# -J: every namespace of each container, by engine, id, name, pod, pod_id.
ce_json "$SCRATCH/all.json"
for t in mnt pid; do
	ce_expect "app $t engine" "$(ce_field "$SCRATCH/all.json" "$app_pid" $t engine)" podman
	ce_expect "app $t id" "$(ce_field "$SCRATCH/all.json" "$app_pid" $t id)" "$app_id"
	ce_expect "app $t name" "$(ce_field "$SCRATCH/all.json" "$app_pid" $t name)" "$app"
	ce_expect "app $t pod" "$(ce_field "$SCRATCH/all.json" "$app_pid" $t pod)" "$pod"
	ce_expect "app $t pod_id" "$(ce_field "$SCRATCH/all.json" "$app_pid" $t pod_id)" "$pod_id"
	ce_expect "solo $t name" "$(ce_field "$SCRATCH/all.json" "$solo_pid" $t name)" "$solo"
	ce_expect "solo $t pod" "$(ce_field "$SCRATCH/all.json" "$solo_pid" $t pod)" null
done
for t in net uts ipc; do
	ce_expect "pod $t is the infra's" "$(ns_ino "$app_pid" $t)" "$(ns_ino "$infra_pid" $t)"
	ce_expect "pod $t name" "$(ce_field "$SCRATCH/all.json" "$infra_pid" $t name)" "$infra_name"
	ce_expect "pod $t pod" "$(ce_field "$SCRATCH/all.json" "$infra_pid" $t pod)" "$pod"
	ce_expect "pod $t source" "$(ce_field "$SCRATCH/all.json" "$infra_pid" $t source)" cgroup
done

# The table: "NAME (podman, pod POD)".
ce_table "$SCRATCH/table.txt"
grep -qE "^ *$(ns_ino "$app_pid" mnt) +mnt +$app_pid +$app \(podman, pod $pod\)\$" "$SCRATCH/table.txt" ||
    ce_bad "table: no '$app (podman, pod $pod)' row: $(grep "$(ns_ino "$app_pid" mnt)" "$SCRATCH/table.txt")"

# --container: pod name, pod id as `podman pod ps` prints it, app name, app id.
pod_all=$(ce_nsset "$infra_pid" mnt pid net uts ipc)
pod_all=$(echo $pod_all $(ce_nsset "$app_pid" mnt pid) | tr ' ' '\n' | sort -n -u | tr '\n' ' ')
app_all=$(ce_nsset "$app_pid" mnt pid net uts ipc)
for what in "$pod" "$pod_short"; do
	ce_json "$SCRATCH/sel.json" --container "$what"
	got=$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')
	ce_expect "--container $what" "$got" "$pod_all"
done
for what in "$app" "${app_id:0:12}"; do
	ce_json "$SCRATCH/sel.json" --container "$what"
	got=$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')
	ce_expect "--container $what" "$got" "$app_all"
	for t in net uts ipc; do
		ce_expect "--container $what: $t shared_with" \
		    "$(ce_field "$SCRATCH/sel.json" "$app_pid" $t shared_with | jq -c '[.[].name]')" "[\"$app\"]"
	done
done
# Host namespaces the app is in too are labelled "host".
ce_expect "--container $app: user ns" "$(ce_field "$SCRATCH/sel.json" "$app_pid" user engine)" host
ce_table "$SCRATCH/sel.txt" --container "$app"
grep -qE "^ *$(ns_ino "$app_pid" net) +net +$infra_pid +$infra_name \(podman, pod $pod\); shared with $app \(podman, pod $pod\)\$" "$SCRATCH/sel.txt" ||
    ce_bad "--container $app table: no shared net row: $(cat "$SCRATCH/sel.txt")"
echo "--- nsfind -o NS,TYPE,PID,CONTAINER --container $app"
cat "$SCRATCH/sel.txt"
echo "--- nsfind -J --container ${app_id:0:12} (its net namespace)"
jq --argjson ino "$(ns_ino "$app_pid" net)" "$JQ_TREE"' [tree | select(.ns == $ino) | {ns, type, container}] | first' "$SCRATCH/sel.json"
ce_done
