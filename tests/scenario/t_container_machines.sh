#!/bin/bash
# Podman, LXC, systemd-nspawn and plain systemd units by their cgroup, in
# both layouts (the v2 path, and the named systemd hierarchy of hybrid hosts):
#   podman          /machine.slice/libpod-<id>.scope, named from a fake
#                   containers/storage containers.json under --state-root (and
#                   unnamed without an entry); a pod's
#                   /machine.slice/machine-libpod_pod_<podid>.slice/libpod-<id>.scope
#   lxc             /lxc.payload.<name>, the monitor's /lxc.monitor.<name>,
#                   legacy /lxc/<name>; rootless podman under
#                   user@1000.service
#   systemd-nspawn  /machine.slice/machine-my\x2dbox\x2d<n>.scope: the
#                   unescaped name "my-box-<n>"; and as a service,
#                   /machine.slice/systemd-nspawn@<name>.service/payload
#   units           /system.slice/nsft-<n>.service: no engine, the unit; the
#                   last unit on the path wins (a scope in user@0.service)
#   flatpak, snap   app-flatpak-<app id>-<n>.scope, snap.<snap>.<app>.service,
#                   snap.<snap>.<app>-<uuid>.scope
# Checked in -J (every namespace of the process) and in -P -J; --container
# with the unit and with the machine's name select exactly their namespaces.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch
ct_layouts
root=$SCRATCH/root
mkdir -p "$root/var/lib/containers/storage/overlay-containers" || fail "mkdir under $root"

ct_start ctl unshare --uts sleep 1000

declare -A pid want
# case_ NAME LAYOUT CGROUP-PATH WANT: a process in new namespaces there.
case_() {
	ct_case "$1" "$2" "$3"
	want[$1]=$4
}

storage='[]'
for l in $CT_LAYOUTS; do
	id=$(ct_hex64)
	storage=$(jq -c --arg id "$id" --arg n "nsft-pm-$l-$$" \
	    '. + [{id: $id, names: [$n, "alias"], image: "x", layer: "y"}]' <<<"$storage")
	case_ "$l-podman" "$l" "/machine.slice/libpod-$id.scope" \
	    "$(ct_want podman "$id" "nsft-pm-$l-$$" - - - cgroup)"
	id=$(ct_hex64)
	case_ "$l-podman-unnamed" "$l" "/machine.slice/libpod-$id.scope" \
	    "$(ct_want podman "$id" - - - - cgroup)"
	id=$(ct_hex64) podid=$(ct_hex64)
	case_ "$l-podman-pod" "$l" "/machine.slice/machine-libpod_pod_$podid.slice/libpod-$id.scope" \
	    "$(ct_want podman "$id" - "$podid" - - cgroup)"

	id=$(ct_hex64)
	case_ "$l-podman-rootless" "$l" \
	    "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-$id.scope" \
	    "$(ct_want podman "$id" - - - - cgroup)"

	case_ "$l-lxc" "$l" "/lxc.payload.nsft-lxc-$$" "$(ct_want lxc - "nsft-lxc-$$" - - - cgroup)"
	case_ "$l-lxc-monitor" "$l" "/lxc.monitor.nsft-lxc-$$" "$(ct_want lxc - "nsft-lxc-$$" - - - cgroup)"
	case_ "$l-lxc-legacy" "$l" "/lxc/nsft-old-$$" "$(ct_want lxc - "nsft-old-$$" - - - cgroup)"

	case_ "$l-nspawn" "$l" "/machine.slice/machine-my\\x2dbox\\x2d$$.scope" \
	    "$(ct_want systemd-nspawn - "my-box-$$" - - - cgroup)"
	case_ "$l-nspawn-service" "$l" "/machine.slice/systemd-nspawn@nsft\\x2dsvc$$.service/payload" \
	    "$(ct_want systemd-nspawn - "nsft-svc$$" - - - cgroup)"

	case_ "$l-flatpak" "$l" \
	    "/user.slice/user-0.slice/user@0.service/app.slice/app-flatpak-org.nsft.Test$$-4242.scope" \
	    "$(ct_want flatpak - "org.nsft.Test$$" - - - cgroup)"
	case_ "$l-snap-daemon" "$l" "/system.slice/snap.nsft$$.daemon.service" \
	    "$(ct_want snap daemon "nsft$$" - - - cgroup)"
	case_ "$l-snap-app" "$l" \
	    "/user.slice/user-0.slice/user@0.service/app.slice/snap.nsft$$.tool-$(ct_uid).scope" \
	    "$(ct_want snap tool "nsft$$" - - - cgroup)"

	case_ "$l-unit" "$l" "/system.slice/nsft-$$.service" "$(ct_want - - - - - "nsft-$$.service" cgroup)"
	case_ "$l-unit-last" "$l" "/user.slice/user-0.slice/user@0.service/app.slice/nsft-app-$$.scope" \
	    "$(ct_want - - - - - "nsft-app-$$.scope" cgroup)"
done
echo "$storage" >"$root/var/lib/containers/storage/overlay-containers/containers.json"

ct_run "$SCRATCH/all.json" "${CT_FIRST[@]}" -J -t uts,ipc,net --state-root "$root"
ct_load "$SCRATCH/all.json"
ct_outside "$ctl"
for k in "${!pid[@]}"; do
	ct_check "${pid[$k]}" "uts ipc net" "$k" "${want[$k]}"
done

ct_run "$SCRATCH/procs.json" "${CT_QUICK[@]}" -P -J --state-root "$root"
ct_load_tasks "$SCRATCH/procs.json"
for k in "${!pid[@]}"; do
	ct_check_tasks "${pid[$k]}" "$k" "${want[$k]}"
done
# --container UNIT: the namespaces of the processes in that unit (one in
# each layout), and only those.
inos=()
for l in $CT_LAYOUTS; do
	for t in uts ipc net; do inos+=("$(ns_ino "${pid[$l-unit]}" "$t")"); done
done
CT_SELECT_OPTS=(--state-root "$root")
ct_select "$SCRATCH/unit.json" "nsft-$$.service" "${inos[@]}"
# --container NAME: the nspawn machine by its unescaped name.
inos=()
for l in $CT_LAYOUTS; do
	for t in uts ipc net; do inos+=("$(ns_ino "${pid[$l-nspawn]}" "$t")"); done
done
ct_select "$SCRATCH/machine.json" "my-box-$$" "${inos[@]}"
ct_done
