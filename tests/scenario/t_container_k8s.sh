#!/bin/bash
# Kubernetes and CRI-O containers by their cgroup, in both layouts (the v2
# path, and the named systemd hierarchy of hybrid hosts):
#   systemd driver  /kubepods.slice/kubepods-<qos>.slice/
#                   kubepods-<qos>-pod<uid with _>.slice/cri-containerd-<id>.scope
#                   for burstable and besteffort, and Guaranteed's
#                   /kubepods.slice/kubepods-pod<uid with _>.slice/...
#   cgroupfs driver /kubepods/burstable/pod<uid>/<id>, /kubepods/pod<uid>/<id>
#   CRI-O           .../kubepods-besteffort-pod<uid>.slice/crio-<id>.scope (a
#                   pod) and its monitor's crio-conmon-<id>.scope next to
#                   it, and on its own /system.slice/crio-<id>.scope and
#                   /system.slice/crio-conmon-<id>.scope
# Pod and namespace names come from a fake <root>/var/log/pods/<ns>_<pod>_<uid>
# tree, container names from <root>/var/log/containers/<pod>_<ns>_<ctr>-<id>.log
# (given by --state-root); a pod without logs keeps its uid; CRI-O on its own
# takes the kubelet's "k8s_<ctr>_<pod>_<ns>_<uid>_<n>" name from
# containers/storage's containers.json.  A pod inside a docker container
# (a kind node) is a pod.  --container <pod name> selects exactly its
# namespaces.  Checked in -J and in -P -J, and the -P table's labels.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch
ct_layouts
root=$SCRATCH/root
mkdir -p "$root/var/log/pods" "$root/var/log/containers" \
    "$root/var/lib/containers/storage/overlay-containers" || fail "mkdir under $root"

ct_start ctl unshare --uts sleep 1000

declare -A pid want
ns="nsft-ns-$$"
# pod_logs UID POD CTR ID: the kubelet's log tree for one container.
pod_logs() {
	mkdir -p "$root/var/log/pods/${ns}_$2_$1/$3" || fail "mkdir pod logs"
	: >"$root/var/log/pods/${ns}_$2_$1/$3/0.log"
	ln -s "/var/log/pods/${ns}_$2_$1/$3/0.log" \
	    "$root/var/log/containers/$2_${ns}_$3-$4.log" || fail "ln container log"
}
# case_ NAME LAYOUT CGROUP-PATH WANT: a container process.
case_() {
	ct_case "$1" "$2" "$3"
	want[$1]=$4
}
# kube NAME LAYOUT PATH-BEFORE-ID UID ID [-]: a pod's container; "-" for
# a pod the kubelet left no logs of.
kube() {
	local pod="nsft-$1-$$" w
	if [ "${6:-}" = - ]; then
		w=$(ct_want kubernetes "$5" - "$4" - - cgroup)
	else
		pod_logs "$4" "$pod" app "$5"
		w=$(ct_want kubernetes "$5" app "$pod" "$ns" - cgroup)
	fi
	case_ "$1" "$2" "$3" "$w"
}

storage='[]'
for l in $CT_LAYOUTS; do
	for qos in burstable besteffort; do
		uid=$(ct_uid) id=$(ct_hex64)
		kube "$l-systemd-$qos" "$l" \
		    "/kubepods.slice/kubepods-$qos.slice/kubepods-$qos-pod${uid//-/_}.slice/cri-containerd-$id.scope" \
		    "$uid" "$id"
	done
	uid=$(ct_uid) id=$(ct_hex64)
	kube "$l-systemd-guaranteed" "$l" \
	    "/kubepods.slice/kubepods-pod${uid//-/_}.slice/cri-containerd-$id.scope" "$uid" "$id"
	uid=$(ct_uid) id=$(ct_hex64)
	kube "$l-cgroupfs-burstable" "$l" "/kubepods/burstable/pod$uid/$id" "$uid" "$id"
	uid=$(ct_uid) id=$(ct_hex64)
	kube "$l-cgroupfs-guaranteed-nologs" "$l" "/kubepods/pod$uid/$id" "$uid" "$id" -
	uid=$(ct_uid) id=$(ct_hex64)
	podslice="/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice"
	kube "$l-crio-pod" "$l" "$podslice/crio-$id.scope" "$uid" "$id"
	# Its conmon, in the same pod: the same container, as its monitor.
	ct_mkcg "$l" "$podslice/crio-conmon-$id.scope"
	ct_start "pid[$l-crio-pod-conmon]" unshare --uts sleep 1000
	ct_move "${pid[$l-crio-pod-conmon]}" "$l" "$podslice/crio-conmon-$id.scope"
	want[$l-crio-pod-conmon]=${want[$l-crio-pod]}

	# CRI-O with no kubepods tree above: named from containers.json.
	uid=$(ct_uid) id=$(ct_hex64)
	storage=$(jq -c --arg id "$id" --arg n "k8s_solo_nsft-solo-$l-$$_${ns}_${uid}_0" \
	    '. + [{id: $id, names: [$n], image: "x", layer: "y"}]' <<<"$storage")
	case_ "$l-crio-alone" "$l" "/system.slice/crio-$id.scope" \
	    "$(ct_want cri-o "$id" solo "nsft-solo-$l-$$" "$ns" - cgroup)"
	ct_mkcg "$l" "/system.slice/crio-conmon-$id.scope"
	ct_start "pid[$l-crio-conmon]" unshare --uts sleep 1000
	ct_move "${pid[$l-crio-conmon]}" "$l" "/system.slice/crio-conmon-$id.scope"
	want[$l-crio-conmon]=$(ct_want cri-o "$id" solo "nsft-solo-$l-$$" "$ns" - cgroup)

	# A kind node: a pod inside a docker container is a pod.
	uid=$(ct_uid) id=$(ct_hex64) node=$(ct_hex64)
	kube "$l-in-docker" "$l" "/docker/$node/kubepods/besteffort/pod$uid/$id" "$uid" "$id"
done
echo "$storage" >"$root/var/lib/containers/storage/overlay-containers/containers.json"

ct_run "$SCRATCH/all.json" "${CT_FIRST[@]}" -J -t uts,ipc,net --state-root "$root"
ct_load "$SCRATCH/all.json"
ct_outside "$ctl"
for k in "${!pid[@]}"; do
	case $k in
	*conmon) ct_check "${pid[$k]}" uts "$k" "${want[$k]}" ;;
	*) ct_check "${pid[$k]}" "uts ipc net" "$k" "${want[$k]}" ;;
	esac
done

ct_run "$SCRATCH/procs.json" "${CT_QUICK[@]}" -P -J --state-root "$root"
ct_load_tasks "$SCRATCH/procs.json"
for k in "${!pid[@]}"; do
	ct_check_tasks "${pid[$k]}" "$k" "${want[$k]}"
done

# --container POD: exactly the namespaces of that pod's container.
l=${CT_LAYOUTS%% *}
p=${pid[$l-systemd-burstable]}
CT_SELECT_OPTS=(--state-root "$root")
ct_select "$SCRATCH/pod.json" "nsft-$l-systemd-burstable-$$" \
    "$(ns_ino "$p" uts)" "$(ns_ino "$p" ipc)" "$(ns_ino "$p" net)"

# The table labels pods as Kubernetes users know them.
ct_run "$SCRATCH/procs.txt" "${CT_QUICK[@]}" -P -u -n --state-root "$root"
for k in "${!pid[@]}"; do
	case $k in
	*systemd-burstable) want_label="$ns/nsft-$k-$$/app (kubernetes)" ;;
	*crio-conmon) want_label="$ns/nsft-solo-${k%%-*}-$$/solo (cri-o monitor)" ;;
	*crio-pod-conmon) want_label="$ns/nsft-${k%-conmon}-$$/app (kubernetes monitor)" ;;
	*) continue ;;
	esac
	got=$(awk -v p="${pid[$k]}" '$1 == p' "$SCRATCH/procs.txt")
	grep -qF -- "$want_label" <<<"$got" || ct_bad "$k: -P row of ${pid[$k]} lacks '$want_label': $got"
done
ct_done
