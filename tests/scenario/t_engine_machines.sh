#!/bin/bash
# Real system containers, from a busybox tree made here:
#   lxc     lxc-create -t busybox in an lxcpath of our own, no network
#           (lxc.net.0.type = empty), lxc-start -d: engine lxc, name the
#           container, source cgroup (lxc.payload.NAME); its pid is the
#           one `lxc-info -p` prints; --container NAME selects it
#   nspawn  systemd-nspawn -D TREE -M NAME: engine systemd-nspawn, name
#           the machine, source ancestry (its supervisor); --container
#           NAME selects it.  No systemd is PID 1 here, so the machine is
#           not registered (--register=no --keep-unit) and `machinectl`
#           cannot list it: nsfind does not need it to.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_engine.sh"
need_root
need_cmd jq
scratch

# check LABEL WHAT PID ENGINE NAME SOURCE: every namespace of PID that is
# not the test's own has that container, and --container WHAT lists them.
check() {
	local t want=() got
	for t in mnt uts ipc pid net cgroup user time; do
		[ "$(ns_ino "$3" $t)" = "$(ns_ino $$ $t)" ] && continue
		want+=("$t")
		got=$(ce_ns_container "$SCRATCH/all.json" "$3" $t | jq -c '[.engine, .name, .source]')
		ce_expect "$1 $t" "$got" "[\"$4\",\"$5\",\"$6\"]"
	done
	[ "${#want[@]}" -gt 0 ] || ce_bad "$1: pid $3 is in no namespace of its own"
	ce_json "$SCRATCH/sel.json" --container "$2"
	ce_expect "$1: --container $2" \
	    "$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')" \
	    "$(ce_nsset "$3" "${want[@]}")"
}

lxc_name=${TAG}lxc lxc_pid=
if command -v lxc-create >/dev/null && [ -e /usr/share/lxc/templates/lxc-busybox ]; then
	lp=$SCRATCH/lxc
	mkdir -p "$lp"
	echo "lxc.net.0.type = empty" >"$SCRATCH/lxc.conf"
	ce_cgroups lxc.pivot "lxc.payload.$lxc_name" "lxc.monitor.$lxc_name"
	on_exit "lxc-destroy -P $lp -n $lxc_name -f"
	lxc-create -P "$lp" -n "$lxc_name" -f "$SCRATCH/lxc.conf" -t busybox >"$SCRATCH/lxc-create.log" 2>&1 ||
	    fail "lxc-create: $(tail -n 3 "$SCRATCH/lxc-create.log")"
	on_exit "lxc-stop -P $lp -n $lxc_name -k"
	if lxc-start -P "$lp" -n "$lxc_name" -d -o "$SCRATCH/lxc-start.log" -l ERROR &&
	    wait_for lxc-wait -P "$lp" -n "$lxc_name" -s RUNNING -t 1; then
		lxc_pid=$(lxc-info -P "$lp" -n "$lxc_name" -pH)
		echo "lxc-info: $lxc_name pid $lxc_pid"
	else
		echo "note: lxc-start failed here, LXC not checked: $(tail -n 2 "$SCRATCH/lxc-start.log")"
	fi
else
	echo "note: no lxc or its busybox template: LXC not checked"
fi

nsp_name=${TAG}nsp nsp_pid=
if command -v systemd-nspawn >/dev/null; then
	ce_busybox "$SCRATCH/tree"
	mkdir -p "$SCRATCH/tree/usr/lib" && : >"$SCRATCH/tree/usr/lib/os-release"
	systemd-nspawn --register=no --keep-unit -q -D "$SCRATCH/tree" -M "$nsp_name" \
	    /bin/sleep 600 >"$SCRATCH/nspawn.log" 2>&1 &
	nsp=$!
	on_exit "kill_tree $nsp"
	if wait_for sh -c "pgrep -x sleep -P $nsp >/dev/null"; then
		nsp_pid=$(pgrep -x sleep -P "$nsp")
		echo "systemd-nspawn: $nsp_name supervisor $nsp, payload $nsp_pid"
	else
		echo "note: systemd-nspawn did not start here, not checked: $(tail -n 2 "$SCRATCH/nspawn.log")"
	fi
fi
[ -n "$lxc_pid$nsp_pid" ] || skip "neither LXC nor systemd-nspawn could start a container here"

ce_json "$SCRATCH/all.json"
[ -z "$lxc_pid" ] || check lxc "$lxc_name" "$lxc_pid" lxc "$lxc_name" cgroup
[ -z "$nsp_pid" ] || check nspawn "$nsp_name" "$nsp_pid" systemd-nspawn "$nsp_name" ancestry
echo "--- nsfind -J: this test's namespaces (ns type pid container)"
jq -r "$JQ_TREE"' tree | select(.container.name? // "" | startswith("'"$TAG"'")) |
    "\(.ns) \(.type) \(.pid) \(.container.name) (\(.container.engine))"' "$SCRATCH/all.json"
ce_done
