#!/bin/bash
# The privileges contrib grants nsfind are exactly those it needs: the
# capability set of the systemd service (CapabilityBoundingSet=) and of
# the DaemonSet (capabilities.add, after drop ALL) are the same, and
#   - with only those, `nsfind --prometheus` gives for the namespaces this
#     test makes the same series as with every capability, and no note
#     that a full run does not print;
#   - without any one of them, a series is lost or changed or a note says
#     what nsfind could not do.
# The namespaces, one per capability:
#   SYS_PTRACE       a process of another user in a uts namespace of its own
#   SYS_ADMIN        a network namespace bind-mounted in a mount namespace
#                    that no process is in (held by an fd): listing that
#                    namespace's mounts
#   SYS_CHROOT       the same bind mount: entering that mount namespace to
#                    open it
#   DAC_READ_SEARCH  a uts namespace held only by an fd of a process of
#                    another user (its /proc/PID/fd is that user's 0500),
#                    and a namespace bind-mounted below a directory of
#                    another user with mode 0700
# The DaemonSet's other settings are checked as written: host PID
# namespace, read-only root, no privilege escalation, read-only host
# mounts that follow the host's unmounts.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd setpriv
need_cmd unshare
need_cmd python3
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
scratch
chmod 0755 "$SCRATCH"

# The capability sets, as written in contrib.
unit_caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$ROOT/contrib/systemd/nsfind-textfile.service" |
    tr ' ' '\n' | sed 's/^CAP_//' | tr 'A-Z' 'a-z' | sort | tr '\n' ' ')
ds_caps=$(python3 - "$ROOT/contrib/kubernetes/nsfind-daemonset.yaml" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["kind"] == "DaemonSet", "not a DaemonSet"
pod = d["spec"]["template"]["spec"]
assert pod.get("hostPID") is True, "hostPID is not true"
assert not pod.get("hostNetwork") and not pod.get("hostIPC"), "host network or IPC"
assert pod.get("automountServiceAccountToken") is False, "a service account token"
(c,) = pod["containers"]
sc = c["securityContext"]
assert sc.get("privileged") is False, "privileged"
assert sc.get("allowPrivilegeEscalation") is False, "privilege escalation"
assert sc.get("readOnlyRootFilesystem") is True, "writable root"
assert sc.get("runAsUser") == 0, "not root"
assert sc["capabilities"]["drop"] == ["ALL"], "capabilities not dropped"
vols = {v["name"]: v for v in pod["volumes"]}
for m in c["volumeMounts"]:
    path = vols[m["name"]]["hostPath"]["path"]
    if path == "/var/lib/prometheus/node-exporter":
        assert not m.get("readOnly"), "the textfile directory is read-only"
        continue
    assert m.get("readOnly") is True, path + " is writable"
    # A copy of the host's /run/netns would keep the namespaces alive.
    if path.startswith("/run"):
        assert m.get("mountPropagation") == "HostToContainer", path + " propagation"
print(" ".join(sorted(x.lower() for x in sc["capabilities"]["add"])) + " ")
EOF
) || fail "the DaemonSet: $ds_caps"
[ -n "$unit_caps" ] || fail "no CapabilityBoundingSet= in the service"
[ "$unit_caps" = "$ds_caps" ] ||
    fail "the service grants '$unit_caps', the DaemonSet '$ds_caps'"
read -r -a caps <<<"$unit_caps"
for c in sys_ptrace sys_admin sys_chroot dac_read_search; do
	case " $unit_caps " in *" $c "*) ;; *) fail "contrib does not grant $c, which this test shows nsfind needs" ;; esac
done
[ "${#caps[@]}" -eq 4 ] || fail "contrib grants more than this test shows nsfind needs: $unit_caps"

declare -a ours
# bg VAR CMD...: CMD in the background, killed at exit; its pid in VAR.
bg() {
	local _v=$1
	shift
	"$@" </dev/null >/dev/null 2>&1 &
	printf -v "$_v" %s "$!"
	on_exit "kill_tree $!"
}
# sleeping PID [UID]: PID has exec'd its final sleep (as UID).
sleeping() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ] &&
	    { [ $# -lt 2 ] || [ "$(stat -c %u "/proc/$1")" = "$2" ]; }
}

# SYS_PTRACE: another user's process.
bg p unshare --uts setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000
wait_for sleeping "$p" 65534 || fail "nobody's sleep did not start"
ours+=("$(ns_ino "$p" uts)")

# SYS_ADMIN, SYS_CHROOT: a bind mount in a mount namespace held by an fd.
touch "$SCRATCH/netns" || fail touch
bg p unshare --mount --propagation private sh -c "unshare --net=$SCRATCH/netns true && exec sleep 1000"
wait_for sleeping "$p" || fail "the private mount namespace did not start"
bg h bash -c "exec 7</proc/$p/ns/mnt; exec sleep 1000"
wait_for sleeping "$h" || fail "the mount ns holder did not start"
ours+=("$(nsenter --mount="/proc/$h/fd/7" stat -c %i "$SCRATCH/netns")")
kill_tree "$p"

# DAC_READ_SEARCH: an fd of another user's process; a 0700 directory.
bg p unshare --uts sleep 1000
wait_for sleeping "$p" || fail "the uts sleep did not start"
ours+=("$(ns_ino "$p" uts)")
bg h bash -c "exec 7</proc/$p/ns/uts; exec setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000"
wait_for sleeping "$h" 65534 || fail "nobody's fd holder did not start"
kill_tree "$p"
mkdir -m 0700 "$SCRATCH/private" && chown 65534 "$SCRATCH/private" &&
    touch "$SCRATCH/private/ipc" || fail "mkdir"
on_exit "umount -l '$SCRATCH/private/ipc'"
unshare --ipc="$SCRATCH/private/ipc" true || fail "unshare --ipc"
ours+=("$(stat -c %i "$SCRATCH/private/ipc")")
pat=$(IFS='|'; echo "${ours[*]}")

# run NAME [CAP...]: nsfind --prometheus with only CAPs (all without any),
# our series in NAME.series, its notes (numbers out) in NAME.notes.
run() {
	local name=$1 b=-all c
	shift
	if [ "$name" = full ]; then
		nsfind --prometheus >"$SCRATCH/$name.prom" 2>"$SCRATCH/$name.err"
	else
		for c in "$@"; do b=$b,+$c; done
		setpriv --bounding-set="$b" --inh-caps=-all --no-new-privs -- \
		    $NSFIND_WRAP "$NSFIND_BIN" --prometheus >"$SCRATCH/$name.prom" 2>"$SCRATCH/$name.err"
	fi || fail "nsfind --prometheus ($name): $(cat "$SCRATCH/$name.err")"
	grep -E "^nsfind_namespace_info\{ns=\"($pat)\"," "$SCRATCH/$name.prom" >"$SCRATCH/$name.series"
	quiet_stderr "$SCRATCH/$name.err" |
	    sed 's/[0-9][0-9]*/N/g; s/pid N\(, N\)*\(, \.\.\.\)\?/pids/;
		s/processes/process/g; s/mounts/mount/g; s/namespaces/namespace/g' | sort -u >"$SCRATCH/$name.notes"
}
# same NAME: NAME found what a full run found; retried once against a new
# full run, since other tests on this machine may change it meanwhile.
same() {
	[ "$(grep -c '' "$SCRATCH/full.series")" -eq "${#ours[@]}" ] ||
	    fail "full run: want ${#ours[@]} series of ours: $(cat "$SCRATCH/full.series")"
	cmp -s "$SCRATCH/full.series" "$SCRATCH/$1.series" &&
	    [ -z "$(comm -13 "$SCRATCH/full.notes" "$SCRATCH/$1.notes")" ]
}

run full
run only "${caps[@]}"
if ! same only; then
	run full
	run only "${caps[@]}"
	same only || fail "with only ${caps[*]}:
$(diff "$SCRATCH/full.series" "$SCRATCH/only.series")
$(comm -13 "$SCRATCH/full.notes" "$SCRATCH/only.notes")"
fi
for c in "${caps[@]}"; do
	rest=()
	for k in "${caps[@]}"; do [ "$k" = "$c" ] || rest+=("$k"); done
	run "no-$c" "${rest[@]}"
	same "no-$c" && fail "without $c nsfind finds the same and says nothing: it is not needed"
done
exit 0
