#!/bin/bash
# --why names the container behind a root and the engine's own way to stop
# it: a process of a docker container (by its cgroup, named from a fake
# config.v2.json under --state-root) is released with "stop container
# NAME (docker): docker stop NAME"; an fd held by a process of that
# container with "close fd N of PID (COMM), or stop container ..."; a
# process in a systemd unit with no engine with "kill PID (in unit UNIT)".
# Text and JSON (where the root also carries its "container").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
scratch
ct_layouts
l=${CT_LAYOUTS%% *}
root=$SCRATCH/root
W=$SCRATCH
. "$(dirname "$0")/lib_hidden.sh"

declare -A pid
id=$(ct_hex64) name=nsft-web-$$
ct_docker_config "$root" "$id" "$name"
ct_case web "$l" "/docker/$id"
n_web=$(ns_ino "${pid[web]}" uts)
# An fd on a namespace of its own, in a process of the same container.
hold h fd uts
n_fd=$(field "$W/h" uts 2) fd=$(field "$W/h" uts 3)
ct_move "$HP" "$l" "/docker/$id"
unit=nsft-why-$$.service
ct_case unit "$l" "/system.slice/$unit"
n_unit=$(ns_ino "${pid[unit]}" uts)

ct_run "$SCRATCH/out" --why --state-root "$root" "${CT_FIRST[@]}" "$n_web" "$n_fd" "$n_unit"
stop="stop container $name (docker): docker stop $name"
stop_re="stop container $name \\(docker\\): docker stop $name"
T='(├─|└─|\|-|`-) '
for want in \
    "^${T}process ${pid[web]} \(sleep 1000\) \[$name \(docker\)\]; release: $stop_re\$" \
    "^${T}fd $fd of process $HP \(.*nshold fd uts\) \[$name \(docker\)\]; release: close fd $fd of $HP \(nshold\), or $stop_re\$" \
    "^${T}process ${pid[unit]} \(sleep 1000\) \[$unit\]; release: kill ${pid[unit]} \(in unit $unit\)\$"; do
	grep -Eq -- "$want" "$SCRATCH/out" || { cat "$SCRATCH/out"; fail "no line matching: $want"; }
done

ct_run "$SCRATCH/out.json" --why -J --state-root "$root" "${CT_QUICK[@]}" "$n_web" "$n_fd" "$n_unit"
# rel NS KIND PID RELEASE CONTAINER-FILTER: NS's holder of KIND naming PID
# (another nsfind running may hold NS by an fd for a moment) says RELEASE
# and carries a container that CONTAINER-FILTER accepts.
rel() {
	jq -e --argjson n "$1" --arg k "$2" --argjson p "$3" --arg r "$4" ".namespaces[] |
	    select(.ns == \$n) | [.holders[] | select(.kind == \$k and .pid == \$p)] | length == 1 and
	    (.[0] | .release == \$r and (.container | $5))" "$SCRATCH/out.json" >/dev/null && return 0
	jq -c --argjson n "$1" '.namespaces[] | select(.ns == $n)' "$SCRATCH/out.json"
	fail "JSON: $2 root of $1"
}
rel "$n_web" process "${pid[web]}" "$stop" ".engine == \"docker\" and .name == \"$name\" and .id == \"$id\""
rel "$n_fd" fd "$HP" "close fd $fd of $HP (nshold), or $stop" ".engine == \"docker\" and .name == \"$name\""
rel "$n_unit" process "${pid[unit]}" "kill ${pid[unit]} (in unit $unit)" ".engine == null and .unit == \"$unit\""
exit 0
