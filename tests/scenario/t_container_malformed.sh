#!/bin/bash
# cgroup names that look like an engine's but are not: nothing may be
# attributed to an engine, in both layouts (the v2 path, and the named
# systemd hierarchy of hybrid hosts), although a docker config for every id
# used is there under --state-root to be found:
#   /docker/not-hex-<n>, /docker/<63 hex>, /docker/<65 hex>,
#   /docker/<64 upper-case hex>, /docker (the parent itself),
#   /dockerx/<id>, /docker/<id>.scope,
#   /system.slice/docker-<63 hex>.scope, /system.slice/docker-<id>.service,
#   /lxc.payload. (no name), /lxc.payload.<name with a tab>,
#   /machine.slice/machine-qemu\x2d1\x2d<n>.scope (a libvirt VM)
# Each process must be in no container or in a bare systemd unit; the ones
# with no unit on their path must be in none when the test's own process is
# in none.  Checked in -J and in -P -J.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch
ct_layouts
root=$SCRATCH/root
mkdir -p "$root" || fail "mkdir $root"

ct_start ctl unshare --uts sleep 1000

declare -A pid unitless
case_() {
	ct_case "$1" "$2" "$3"
	case $3 in *.scope | *.service) ;; *) unitless[$1]=1 ;; esac
}

id=$(ct_hex64)
for i in "$id" "${id:0:63}" "${id}0" "${id^^}"; do
	ct_docker_config "$root" "$i" "nsft-bad-$$"
done
tab=$(printf '\t')
for l in $CT_LAYOUTS; do
	case_ "$l-not-hex" "$l" "/docker/not-hex-$$"
	case_ "$l-short" "$l" "/docker/${id:0:63}"
	case_ "$l-long" "$l" "/docker/${id}0"
	case_ "$l-upper" "$l" "/docker/${id^^}"
	case_ "$l-parent" "$l" "/docker"
	case_ "$l-dockerx" "$l" "/dockerx/$id"
	case_ "$l-id-scope" "$l" "/docker/$id.scope"
	case_ "$l-scope-short" "$l" "/system.slice/docker-${id:0:63}.scope"
	case_ "$l-service" "$l" "/system.slice/docker-$id.service"
	case_ "$l-lxc-empty" "$l" "/lxc.payload."
	case_ "$l-lxc-tab" "$l" "/lxc.payload.nsft${tab}x$$"
	case_ "$l-qemu" "$l" "/machine.slice/machine-qemu\\x2d1\\x2dnsft$$.scope"
done

ct_run "$SCRATCH/all.json" "${CT_FIRST[@]}" -J -t uts,ipc,net --state-root "$root"
ct_load "$SCRATCH/all.json"
ct_outside "$ctl"
control=${CT_NS[$(ns_ino "$ctl" uts)]:-missing}
for k in "${!pid[@]}"; do
	ct_check_noengine "${pid[$k]}" "uts ipc net" "$k"
	# Nothing on the path: what the test's own process gets.
	[ -n "${unitless[$k]:-}" ] && [ "$control" = null ] &&
	    ct_check "${pid[$k]}" "uts ipc net" "$k" null
done

ct_run "$SCRATCH/procs.json" "${CT_QUICK[@]}" -P -J --state-root "$root"
ct_load_tasks "$SCRATCH/procs.json"
for k in "${!pid[@]}"; do
	case ${CT_TASKS[${pid[$k]}]:-no rows} in
	"no rows" | *'"engine":"'*) ct_bad "$k: -P -J rows of ${pid[$k]}: ${CT_TASKS[${pid[$k]}]:-none}" ;;
	esac
done
ct_done
