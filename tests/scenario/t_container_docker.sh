#!/bin/bash
# Docker containers by their cgroup, in both layouts (the v2 path, and the
# named systemd hierarchy of hybrid hosts): cgroupfs "/docker/<id>" and the
# systemd driver's "/system.slice/docker-<id>.scope", with names from a fake
# <root>/var/lib/docker/containers/<id>/config.v2.json given by --state-root
# (and none when there is no config).  Then, on one of them: the table's
# CONTAINER cell, --container NAME and --container <12 of id> select exactly
# its namespaces (a second process of it included, a container named
# "web-1-sd" not), an id prefix under 4 characters and an unknown name
# select nothing (exit 1, one line on stderr, nothing on stdout), -P
# --container shows only its rows, and -P groups its rows together, in the
# table and in JSON, with the container in each JSON task.  Also, in both
# layouts: systemd units inside a container, containerd's "moby" namespace,
# docker with --cgroup-parent (its config says docker), containerd on its
# own; on hybrid hosts a v2 line at a unit with the named systemd line at
# /docker/<id>; configs with nested "Name"s and escapes; and no name from a
# name with a control character, a FIFO, or a link out of the state root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd nsenter
need_cmd jq
scratch
ct_layouts
root=$SCRATCH/root
mkdir -p "$root" || fail "mkdir $root"

ct_start ctl unshare --uts sleep 1000

declare -A pid want
# case_ NAME LAYOUT CGROUP-PATH WANT: a process in new namespaces there.
case_() {
	ct_case "$1" "$2" "$3"
	want[$1]=$4
}
# dk NAME LAYOUT CGROUP-PATH ID CONFIG-NAME|-: a docker container.
dk() {
	[ "$5" = - ] || ct_docker_config "$root" "$4" "$5"
	case_ "$1" "$2" "$3" "$(ct_want docker "$4" "$5" - - - cgroup)"
}

for l in $CT_LAYOUTS; do
	id=$(ct_hex64)
	if [ "$l" = v2 ]; then
		web=$id
		dk "$l-cgroupfs" "$l" "/docker/$id" "$id" web-1
		# Started between the two processes of web-1, for -P's order.
		other=$(ct_hex64)
		dk "$l-between" "$l" "/docker/$other" "$other" "nsft-other-$$"
		# A second process of web-1, in its namespaces.
		ct_start second nsenter -t "${pid[$l-cgroupfs]}" --uts --ipc --net sleep 1000
		ct_move "$second" "$l" "/docker/$id"
	else
		dk "$l-cgroupfs" "$l" "/docker/$id" "$id" web-1-sd
	fi
	id=$(ct_hex64)
	if [ "$l" = v2 ]; then
		dk "$l-systemd-driver" "$l" "/system.slice/docker-$id.scope" "$id" "nsft-sys-$$"
	else
		dk "$l-systemd-driver" "$l" "/system.slice/docker-$id.scope" "$id" -
	fi
	# systemd inside the container: its units do not undo the container.
	id=$(ct_hex64)
	dk "$l-inner-unit" "$l" "/system.slice/docker-$id.scope/system.slice/nsft-in-$$.service" \
	    "$id" "nsft-in-$$"
	# containerd's namespace "moby" is docker's.
	id=$(ct_hex64)
	dk "$l-moby" "$l" "/moby/$id" "$id" "nsft-moby-$$"
	# docker --cgroup-parent=/nsft-ci-<n> looks like containerd's own
	# layout; docker's config for the id says it is docker.
	id=$(ct_hex64)
	dk "$l-cgroup-parent" "$l" "/nsft-ci-$$/$id" "$id" "nsft-ci-$$"
	# containerd on its own, in a namespace of its own.
	id=$(ct_hex64)
	case_ "$l-containerd" "$l" "/nsft-ctr-$$/$id" "$(ct_want containerd "$id" - - - - cgroup)"
done
if [ -z "${web:-}" ]; then
	# No v2 hierarchy: web-1 and its neighbours live in the systemd layout.
	id=$(ct_hex64) web=$id
	dk web "systemd" "/docker/$id" "$id" web-1
	other=$(ct_hex64)
	dk between "systemd" "/docker/$other" "$other" "nsft-other-$$"
	ct_start second nsenter -t "${pid[web]}" --uts --ipc --net sleep 1000
	ct_move "$second" systemd "/docker/$web"
fi
l=${CT_LAYOUTS##* }

# Hybrid hosts with docker's cgroupfs driver: the v2 line stays at a unit,
# the named systemd line says /docker/<id>; the container wins.
if [ -n "$CT_V2" ] && [ -n "$CT_SD" ]; then
	id=$(ct_hex64)
	dk hybrid systemd "/docker/$id" "$id" "nsft-hybrid-$$"
	ct_mkcg v2 "/system.slice/nsft-dockerd-$$.service"
	ct_move "${pid[hybrid]}" v2 "/system.slice/nsft-dockerd-$$.service"
fi

# Configs as docker writes them: "Name" at the top level, after members
# that have a "Name" of their own, with JSON escapes; a name with a control
# character is no name; a FIFO in the place of the file is not waited for.
id=$(ct_hex64)
mkdir -p "$root/var/lib/docker/containers/$id" || fail "mkdir config dir"
printf '{"Config":{"Name":"/nested","Labels":{"Name":"/label"}},"Names":["/x"],"Name":"/nsft\\u002dtop-%s","Driver":"overlay2"}\n' "$$" \
    >"$root/var/lib/docker/containers/$id/config.v2.json"
[ "$(jq -r .Name "$root/var/lib/docker/containers/$id/config.v2.json")" = "/nsft-top-$$" ] ||
    fail "bad config for the escapes case"
dk escapes "$l" "/docker/$id" "$id" -
want[escapes]=$(ct_want docker "$id" "nsft-top-$$" - - - cgroup)
id=$(ct_hex64)
mkdir -p "$root/var/lib/docker/containers/$id" || fail "mkdir config dir"
printf '{"Name":"/nsft\\u001b[31mred"}\n' >"$root/var/lib/docker/containers/$id/config.v2.json"
dk control-char "$l" "/docker/$id" "$id" -
id=$(ct_hex64)
mkdir -p "$root/var/lib/docker/containers/$id" || fail "mkdir config dir"
mkfifo "$root/var/lib/docker/containers/$id/config.v2.json" || fail "mkfifo"
dk fifo "$l" "/docker/$id" "$id" -

# A config.v2.json that is a link out of the state root is not read: the
# root is the root, also for ".." and absolute links.
mkdir -p "$SCRATCH/outside" || fail "mkdir outside"
jq -n '{Name: "/nsft-outside"}' >"$SCRATCH/outside/config.v2.json"
for how in absolute relative; do
	id=$(ct_hex64)
	mkdir -p "$root/var/lib/docker/containers/$id" || fail "mkdir config dir"
	if [ "$how" = absolute ]; then
		ln -s "$SCRATCH/outside/config.v2.json" "$root/var/lib/docker/containers/$id/config.v2.json"
	else
		ln -s ../../../../../../outside/config.v2.json "$root/var/lib/docker/containers/$id/config.v2.json"
	fi
	[ "$(jq -r .Name "$root/var/lib/docker/containers/$id/config.v2.json")" = /nsft-outside ] ||
	    fail "the $how link does not lead to the outside config"
	dk "link-$how" "$l" "/docker/$id" "$id" -
done

# Attribution of every namespace of every case.
ct_run "$SCRATCH/all.json" "${CT_FIRST[@]}" -J -t uts,ipc,net --state-root "$root"
ct_load "$SCRATCH/all.json"
ct_outside "$ctl"
for k in "${!pid[@]}"; do
	ct_check "${pid[$k]}" "uts ipc net" "$k" "${want[$k]}"
done
w1=$(ct_want docker "$web" web-1 - - - cgroup)
ct_check "$second" "uts ipc net" "second process of web-1" "$w1"

# The namespaces of web-1, one per line, sorted.
webpid=${pid[v2-cgroupfs]:-${pid[web]:-}}
mine=$(for t in ipc net uts; do ns_ino "$webpid" "$t"; done | sort)

# --container NAME, in the table: exactly web-1's namespaces, labelled.
ct_run "$SCRATCH/name.txt" "${CT_QUICK[@]}" -u -n -o NS,CONTAINER --container web-1 --state-root "$root"
# (its tasks are in host namespaces too, labelled "host": not counted)
sed -i '/^[0-9]* *host$/d' "$SCRATCH/name.txt"
got=$(awk '{ print $1 }' "$SCRATCH/name.txt" | sort)
[ "$got" = "$mine" ] || ct_bad "--container web-1 lists [$(echo $got)], want [$(echo $mine)]"
bad=$(grep -v -E '^[0-9]+ +web-1 \(docker\)$' "$SCRATCH/name.txt")
[ -z "$bad" ] || ct_bad "--container web-1: CONTAINER cell is not 'web-1 (docker)': $bad"

# --container <first 12 of id>, in JSON: the same set.
ct_run "$SCRATCH/id.json" "${CT_QUICK[@]}" -J --container "${web:0:12}" --state-root "$root"
ct_load "$SCRATCH/id.json"
got=$(printf '%s\n' "${!CT_NS[@]}" | sort)
[ "$got" = "$mine" ] || ct_bad "--container ${web:0:12} lists [$(echo $got)], want [$(echo $mine)]"
got=$(printf '%s\n' "${CT_NS[@]}" | sort -u)
[ "$got" = "$w1" ] || ct_bad "--container ${web:0:12}: containers $got, want $w1"

# Nothing matches: exit 1, one line on stderr, nothing on stdout.
for what in nope "${web:0:3}"; do
	nsfind -J "${CT_QUICK[@]}" --container "$what" --state-root "$root" >"$SCRATCH/none.out" 2>"$SCRATCH/none.err"
	rc=$?
	err=$(quiet_stderr "$SCRATCH/none.err")
	if [ "$rc" -ne 1 ] || [ -s "$SCRATCH/none.out" ] || [ "$(grep -c . <<<"$err")" -ne 1 ]; then
		ct_bad "--container $what: want exit 1, no output, one error line;" \
		    "got exit $rc, stdout $(wc -c <"$SCRATCH/none.out") bytes, stderr: $err"
	fi
done

# -P in JSON: each task of ours carries its container; web-1's rows are
# together although a task of another container is between them by pid.
ct_run "$SCRATCH/procs.json" "${CT_QUICK[@]}" -P -J --state-root "$root"
ct_load_tasks "$SCRATCH/procs.json"
for k in "${!pid[@]}"; do
	ct_check_tasks "${pid[$k]}" "$k" "${want[$k]}"
done
ct_check_tasks "$second" "second process of web-1" "$w1"
idx=$(jq -c --argjson a "$webpid" --argjson b "$second" \
    '[.tasks | to_entries[] | select(.value.pid == $a or .value.pid == $b) | .key]' "$SCRATCH/procs.json")
jq -e 'length == 6 and (.[-1] - .[0] == 5)' <<<"$idx" >/dev/null ||
    ct_bad "-P -J: rows of web-1 (pids $webpid $second) are not 6 together: at $idx"

# -P --container: the rows of web-1's two processes, and only those.
ct_run "$SCRATCH/procs-web.json" "${CT_QUICK[@]}" -P -J --container web-1 --state-root "$root"
got=$(jq -c '[.tasks[] | [.pid, .ns]] | sort' "$SCRATCH/procs-web.json")
exp=$(for p in "$webpid" "$second"; do for t in ipc net uts; do echo "[$p,$(ns_ino "$p" "$t")]"; done; done |
    jq -sc sort)
[ "$got" = "$exp" ] || ct_bad "-P --container web-1: rows $got, want $exp"

# -P as a table: the same rows, together, labelled.
ct_run "$SCRATCH/procs.txt" "${CT_QUICK[@]}" -P -u -n --state-root "$root"
lines=$(grep -n -F 'web-1 (docker)' "$SCRATCH/procs.txt" | cut -d: -f1 | tr '\n' ' ')
pids=$(grep -F 'web-1 (docker)' "$SCRATCH/procs.txt" | awk '{ print $1 }' | sort -u | tr '\n' ' ')
want_pids=$(printf '%s\n' "$webpid" "$second" | sort -u | tr '\n' ' ')
set -- $lines
if [ "$#" -ne 6 ] || [ $(($6 - $1)) -ne 5 ] || [ "$pids" != "$want_pids" ]; then
	ct_bad "-P: want 6 consecutive 'web-1 (docker)' rows of pids $want_pids; got lines $lines of pids $pids"
fi
ct_done
