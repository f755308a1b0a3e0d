#!/bin/bash
# The ancestry rule: a process whose cgroup names no engine is attributed
# through an ancestor that is a container shim.  The shim is ct_pause run as
# "containerd-shim-runc-v2 -namespace moby -id <id> -address ..." (through a
# symlink of that name, and through exec -a, which leaves comm "ct_pause"),
# and it starts the container's process in new namespaces:
#   moby, symlink    docker/<id>, named from a fake config.v2.json under
#                    --state-root, "source": "ancestry"
#   moby, exec -a    docker/<id>, no config: no name
#   k8s.io           kubernetes/<id>
#   a grandchild     (shim -> sh -> process) still docker/<id>
# and how the rule ranks against the cgroup, in both layouts: a systemd unit
# on the child's cgroup path gives way to the shim ("a unit is kept unless
# something says more"), a container on the path wins over the shim.
# Checked in -J (every namespace of the process) and in -P -J.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
[ -x "$HELPERS/ct_pause" ] || skip "no $HELPERS/ct_pause: run make unit"
scratch
ct_layouts
root=$SCRATCH/root
mkdir -p "$root" "$SCRATCH/bin" || fail "mkdir under $SCRATCH"
shim=$SCRATCH/bin/containerd-shim-runc-v2
ln -s "$HELPERS/ct_pause" "$shim" || fail "ln -s $shim"

ct_start ctl unshare --uts sleep 1000

declare -A pid want
# payload NAME SHIM-PID: the shim's child (after its exec) is case NAME.
payload() {
	local c
	c=$(first_child "$2") || fail "$1: the shim started no child"
	wait_for grep -qx sleep "/proc/$c/comm" || fail "$1: the shim's child did not exec sleep"
	pid[$1]=$c
}
addr=(-address /run/containerd/containerd.sock -publish-binary /usr/bin/containerd)

id=$(ct_hex64)
ct_docker_config "$root" "$id" "nsft-anc-$$"
ct_start s "$shim" -namespace moby -id "$id" "${addr[@]}" --- unshare --uts --ipc --net sleep 1000
payload moby-symlink "$s"
want[moby-symlink]=$(ct_want docker "$id" "nsft-anc-$$" - - - ancestry)

id=$(ct_hex64)
ct_start s bash -c 'exec -a containerd-shim-runc-v2 "$0" "$@"' "$HELPERS/ct_pause" \
    -namespace moby -id "$id" "${addr[@]}" --- unshare --uts --ipc --net sleep 1000
payload moby-exec-a "$s"
want[moby-exec-a]=$(ct_want docker "$id" - - - - ancestry)

id=$(ct_hex64)
ct_start s "$shim" -namespace k8s.io -id "$id" "${addr[@]}" --- unshare --uts --ipc --net sleep 1000
payload k8s "$s"
want[k8s]=$(ct_want kubernetes "$id" - - - - ancestry)

id=$(ct_hex64)
ct_start s "$shim" -namespace moby -id "$id" "${addr[@]}" --- \
    sh -c 'unshare --uts --ipc --net sleep 1000 & wait'
sh_pid=$(first_child "$s") || fail "grandchild: the shim started no sh"
payload grandchild "$sh_pid"
want[grandchild]=$(ct_want docker "$id" - - - - ancestry)

for l in $CT_LAYOUTS; do
	# A unit on the path gives way to the shim.
	id=$(ct_hex64)
	ct_mkcg "$l" "/system.slice/nsft-$$.service"
	ct_start s "$shim" -namespace moby -id "$id" "${addr[@]}" --- unshare --uts --ipc --net sleep 1000
	payload "$l-unit" "$s"
	ct_move "${pid[$l-unit]}" "$l" "/system.slice/nsft-$$.service"
	want[$l-unit]=$(ct_want docker "$id" - - - - ancestry)

	# A container on the path outranks the shim.
	id=$(ct_hex64) other=$(ct_hex64)
	ct_mkcg "$l" "/docker/$other"
	ct_start s "$shim" -namespace moby -id "$id" "${addr[@]}" --- unshare --uts --ipc --net sleep 1000
	payload "$l-cgroup" "$s"
	ct_move "${pid[$l-cgroup]}" "$l" "/docker/$other"
	want[$l-cgroup]=$(ct_want docker "$other" - - - - cgroup)
done

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
ct_done
