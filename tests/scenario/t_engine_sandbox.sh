#!/bin/bash
# Sandboxes with no cgroup or daemon of their own, run for real:
#   runc      `runc run -d` of a busybox bundle (bare runc, its own state
#             root): engine runc, id the container id (`runc list`),
#             source state
#   bwrap     `bwrap --unshare-all ... sleep`: engine bubblewrap, name the
#             command, id the outer bwrap's pid, source ancestry; with a
#             Flatpak instance directory for it: engine flatpak, name the
#             app id, source state
#   firejail  `firejail --name=N sleep`: engine firejail, id and name as
#             `firejail --list` prints them, source ancestry
#   unshare   `unshare --fork --pid --mount-proc sleep`: engine unshare,
#             id the unshare pid
#   host      the initial namespaces: engine host, source initial, and
#             --container host selects them
# Each is checked in -J and with --container.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_engine.sh"
need_root
need_cmd jq
need_cmd unshare
scratch

# check_ns LABEL PID TYPES JQ WANT: nsfind's container of PID's TYPES,
# through JQ, is WANT.
check_ns() {
	local t
	for t in $3; do
		ce_expect "$1 $t" "$(ce_ns_container "$SCRATCH/all.json" "$2" "$t" | jq -c "$4")" "$5"
	done
}
# check_select LABEL WHAT PID: --container WHAT lists every namespace of
# PID that is not this test's own (the host's).
check_select() {
	local t want=()
	for t in mnt uts ipc pid net cgroup user time; do
		[ "$(ns_ino "$3" $t)" = "$(ns_ino $$ $t)" ] || want+=("$t")
	done
	ce_json "$SCRATCH/sel.json" --container "$2"
	ce_expect "$1: --container $2" \
	    "$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')" \
	    "$(ce_nsset "$3" "${want[@]}")"
}

# runc, in its default state root /run/runc (which nsfind reads).
runc_id=${TAG}runc
if command -v runc >/dev/null; then
	mkdir -p "$SCRATCH/bundle"
	ce_busybox "$SCRATCH/bundle/rootfs"
	(cd "$SCRATCH/bundle" && runc spec) || fail "runc spec"
	jq '.process.args = ["/bin/sleep", "600"] | .process.terminal = false' \
	    "$SCRATCH/bundle/config.json" >"$SCRATCH/c.json" && mv "$SCRATCH/c.json" "$SCRATCH/bundle/config.json"
	ce_cgroups "$runc_id"
	on_exit "runc delete -f $runc_id"
	(cd "$SCRATCH/bundle" && runc run -d "$runc_id" </dev/null >/dev/null 2>"$SCRATCH/runc.err") ||
	    fail "runc run: $(cat "$SCRATCH/runc.err")"
	runc_pid=$(runc list -f json | jq -r --arg id "$runc_id" '.[] | select(.id == $id) | .pid')
	echo "runc list: $runc_id pid $runc_pid"
else
	echo "note: no runc: bare runc not checked"
	runc_pid=
fi

# bubblewrap
if command -v bwrap >/dev/null; then
	bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev \
	    sleep 600 &
	bw=$!
	on_exit "kill_tree $bw"
	wait_for grep -q . /proc/$bw/task/$bw/children || fail "bwrap started nothing"
	bw_in=$(first_child "$bw")
	wait_for grep -qx sleep /proc/"$(first_child "$bw_in")"/comm || fail "bwrap's sleep did not start"
	bw_sleep=$(first_child "$bw_in")
	echo "bwrap pid $bw, inner $bw_in, sleep $bw_sleep"
else
	echo "note: no bwrap: bubblewrap not checked"
	bw=
fi

# firejail
fj_name=${TAG}fj
if command -v firejail >/dev/null; then
	firejail --quiet --noprofile --name="$fj_name" sleep 600 >/dev/null 2>&1 &
	fj=$!
	on_exit "kill_tree $fj"
	wait_for sh -c "firejail --list 2>/dev/null | grep -q ':$fj_name:'" || fail "firejail --list does not show $fj_name"
	line=$(firejail --list | grep ":$fj_name:")
	fj_pid=${line%%:*}
	wait_for sh -c "pgrep -x sleep -P \$(pgrep -P $fj_pid | head -1) >/dev/null" || fail "firejail's sleep did not start"
	fj_sleep=$(pgrep -x sleep -P "$(pgrep -P "$fj_pid" | head -1)")
	echo "firejail --list: $line; sleep $fj_sleep"
else
	echo "note: no firejail: firejail not checked"
	fj_pid=
fi

# unshare --fork
unshare --fork --pid --mount-proc --uts sleep 600 &
us=$!
on_exit "kill_tree $us"
wait_for grep -q . /proc/$us/task/$us/children || fail "unshare started nothing"
us_sleep=$(first_child "$us")
wait_exec "$us_sleep" sleep || fail "unshare's sleep did not start"

ce_json "$SCRATCH/all.json"
if [ -n "$runc_pid" ]; then
	check_ns runc "$runc_pid" "mnt uts ipc pid net" '[.engine, .id, .source]' "[\"runc\",\"$runc_id\",\"state\"]"
	check_select runc "$runc_id" "$runc_pid"
fi
if [ -n "$bw" ]; then
	check_ns bwrap "$bw_sleep" "mnt uts ipc pid net cgroup" '[.engine, .id, .name, .source]' "[\"bubblewrap\",\"$bw\",\"sleep\",\"ancestry\"]"
	check_select bwrap "$bw" "$bw_sleep"
fi
if [ -n "$fj_pid" ]; then
	check_ns firejail "$fj_sleep" "mnt pid" '[.engine, .id, .name, .source]' "[\"firejail\",\"$fj_pid\",\"$fj_name\",\"ancestry\"]"
	check_select firejail "$fj_name" "$fj_sleep"
fi
# unshare(2) moved unshare itself into the mount and uts namespaces: it is
# their first process, named by its own command line; the pid namespace
# is its child's.
# Flatpak runs its apps in bwrap and records each instance in
# $XDG_RUNTIME_DIR/.flatpak/<instance>/ (bwrapinfo.json: bwrap's child;
# info: the app id).  Flatpak itself is not installed here: the real bwrap
# sandbox above gets such a directory in a state root of our own.
if [ -n "$bw" ]; then
	fp=$SCRATCH/fproot/run/user/0/.flatpak/${TAG}1
	mkdir -p "$fp"
	echo "{\"child-pid\": $bw_in}" >"$fp/bwrapinfo.json"
	printf '[Application]\nname=org.nsft.App%s\n' "$$" >"$fp/info"
	ce_json "$SCRATCH/fp.json" --state-root "$SCRATCH/fproot"
	ce_expect "flatpak" "$(ce_ns_container "$SCRATCH/fp.json" "$bw_sleep" mnt | jq -c '[.engine, .id, .name, .source]')" \
	    "[\"flatpak\",\"${TAG}1\",\"org.nsft.App$$\",\"state\"]"
fi
check_ns unshare "$us_sleep" "mnt uts" '[.engine, .id, .source]' "[\"unshare\",\"$us\",\"cmdline\"]"
check_ns unshare "$us_sleep" "pid" '[.engine, .id, .source]' "[\"unshare\",\"$us\",\"ancestry\"]"

# The host: every initial namespace, not kthreadd's as "kernel".
got=$(jq -c "$JQ_TREE"' [tree | select(.ns != null and .ns < 4026531840) | .container | [.engine, .source]] | unique' "$SCRATCH/all.json")
ce_expect "initial namespaces" "$got" '[["host","initial"]]'
ce_json "$SCRATCH/host.json" --container host
ce_expect "--container host" "$(jq -c "$JQ_TREE"' [tree | .container.engine] | unique' "$SCRATCH/host.json")" '["host"]'
echo "--- nsfind -J: the host's and this test's namespaces (ns type engine id name)"
jq -r "$JQ_TREE"' tree | select(.ns != null) | select(.container.engine == "host" or
    (.container.engine | IN("runc", "bubblewrap", "firejail", "unshare"))) |
    "\(.ns) \(.type) \(.container.engine) \(.container.id) \(.container.name)"' "$SCRATCH/all.json" |
    grep -E " host | ($runc_id|$bw|$fj_pid|$us) " | sort -n
ce_done
