#!/bin/bash
# The DaemonSet, run as a container runtime runs it: podman (with runc)
# given what contrib/kubernetes/nsfind-daemonset.yaml asks for, read from
# the manifest: its command, the host PID namespace, root with only the
# capabilities it adds, a read-only root, no new privileges, the runtime's
# default seccomp profile, its host mounts with their read-only and
# propagation settings.  The image is a directory: busybox, nsfind,
# nsenter, nsfind-textfile and their libraries.
#   - the first run writes nsfind.prom in the textfile directory, and the
#     series of the namespaces this test made are those a run on the host
#     gives: an `ip netns` namespace (seen through the read-only /run/netns),
#     a network namespace bind-mounted in a mount namespace no process is
#     in, and another user's process in a uts namespace of its own;
#   - the pod's copy of /run/netns follows the host: after `ip netns del`
#     on the host, the pod's mount table no longer has that mount (a copy
#     left there would keep the namespace alive).
# Machine quirks: root lacks CAP_SYS_RESOURCE, so the runtime cannot raise
# rlimits (the test keeps the open files limit at the current hard limit,
# and sets the process limit low: the pod holds CAP_SYS_ADMIN, so it does
# not apply to it) and /proc/1/ns is
# unreadable (the command then says it cannot enter the node's cgroup
# namespace and goes on); no AppArmor here, so that setting is not
# exercised.
. "$(dirname "$0")/lib.sh"
need_root
for c in podman runc busybox python3 ip nsenter; do need_cmd "$c"; done
python3 -c 'import yaml' 2>/dev/null || skip "needs python3-yaml"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
scratch
chmod 0755 "$SCRATCH"

# The image: a root directory.
IMG=$SCRATCH/image
mkdir -p "$IMG"/{bin,usr/bin,proc,dev,sys,tmp,run/netns,textfile,host/var/log/pods,host/var/log/containers} ||
    fail "mkdir"
cp "$(command -v busybox)" "$IMG/bin/busybox" || fail "cp busybox"
ldd "$IMG/bin/busybox" >/dev/null 2>&1 && skip "needs a static busybox (busybox-static)"
for a in sleep mktemp chmod mv rm dirname cat true; do ln -s busybox "$IMG/bin/$a"; done
# Debian's /bin/sh (busybox's would run its own nsenter applet), nsfind and
# util-linux's nsenter, with their libraries.
cp "$(readlink -f /bin/sh)" "$IMG/bin/sh" || fail "cp /bin/sh"
for b in "$IMG/bin/sh" "$NSFIND_BIN" "$(command -v nsenter)"; do
	[ "$b" = "$IMG/bin/sh" ] || cp "$b" "$IMG/usr/bin/" || fail "cp $b"
	for l in $(ldd "$b" | grep -o '/[^ ]*'); do
		mkdir -p "$IMG$(dirname "$l")" && cp -L "$l" "$IMG$l" || fail "cp $l"
	done
done
make -s -C "$ROOT" install-contrib DESTDIR="$SCRATCH/stage" PREFIX=/usr >"$SCRATCH/make.out" 2>&1 ||
    fail "make install-contrib: $(cat "$SCRATCH/make.out")"
cp "$SCRATCH/stage/usr/bin/nsfind-textfile" "$IMG/usr/bin/" || fail "cp nsfind-textfile"

# The namespaces.
ip netns add "$TAG" || fail "ip netns add"
on_exit "ip netns del '$TAG'"
ours=("$(stat -L -c %i "/run/netns/$TAG")")
bg() {
	local _v=$1
	shift
	"$@" </dev/null >/dev/null 2>&1 &
	printf -v "$_v" %s "$!"
	on_exit "kill_tree $!"
}
sleeping() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = sleep ]; }
touch "$SCRATCH/netns" || fail touch
bg p unshare --mount --propagation private sh -c "unshare --net=$SCRATCH/netns true && exec sleep 1000"
wait_for sleeping "$p" || fail "the private mount namespace did not start"
bg h bash -c "exec 7</proc/$p/ns/mnt; exec sleep 1000"
wait_for sleeping "$h" || fail "the mount ns holder did not start"
ours+=("$(nsenter --mount="/proc/$h/fd/7" stat -c %i "$SCRATCH/netns")")
kill_tree "$p"
bg p unshare --uts setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1000
wait_for sleeping "$p" || fail "nobody's sleep did not start"
ours+=("$(ns_ino "$p" uts)")
pat=$(IFS='|'; echo "${ours[*]}")

# The pod, as podman options, from the manifest.  Host paths: the textfile
# directory is ours; a log directory the host lacks is an empty one of ours.
TF=$SCRATCH/textfile
mkdir -m 0755 "$TF" "$SCRATCH/empty" || fail mkdir
python3 - "$ROOT/contrib/kubernetes/nsfind-daemonset.yaml" "$TF" "$SCRATCH/empty" \
    >"$SCRATCH/pod.sh" <<'EOF' || fail "reading the manifest"
import os, shlex, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
pod = d["spec"]["template"]["spec"]
(c,) = pod["containers"]
sc = c["securityContext"]
opt = ["--pid=host"] if pod.get("hostPID") else []
if not pod.get("hostNetwork"):
    opt.append("--network=private")
opt.append("--user=%d:%d" % (sc["runAsUser"], sc.get("runAsGroup", 0)))
if sc.get("privileged"):
    opt.append("--privileged")
if sc.get("allowPrivilegeEscalation") is False:
    opt.append("--security-opt=no-new-privileges")
if sc.get("readOnlyRootFilesystem"):
    opt.append("--read-only")
if sc["capabilities"].get("drop") == ["ALL"]:
    opt.append("--cap-drop=all")
opt.append("--cap-add=" + ",".join(sc["capabilities"]["add"]))
if sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
    sys.exit("seccomp: only RuntimeDefault is run here")
vols = {v["name"]: v["hostPath"]["path"] for v in pod["volumes"]}
for m in c["volumeMounts"]:
    src = vols[m["name"]]
    if src == "/var/lib/prometheus/node-exporter":
        src = sys.argv[2]
    elif not os.path.isdir(src):
        src = sys.argv[3]
    o = ["ro" if m.get("readOnly") else "rw"]
    p = m.get("mountPropagation", "None")
    o.append({"None": "rprivate", "HostToContainer": "rslave",
              "Bidirectional": "rshared"}[p])
    opt.append("--volume=%s:%s:%s" % (src, m["mountPath"], ",".join(o)))
print("opts=(%s)" % " ".join(shlex.quote(x) for x in opt))
print("cmd=(%s)" % " ".join(shlex.quote(x) for x in c["command"]))
EOF
. "$SCRATCH/pod.sh"

name="nsft-ds-$$"
podman --runtime runc run -d --name "$name" --ulimit nofile="$(ulimit -Hn):$(ulimit -Hn)" \
    --ulimit nproc=1024:1024 --env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    "${opts[@]}" --rootfs "$IMG" "${cmd[@]}" >"$SCRATCH/podman.out" 2>&1 ||
    fail "podman run: $(cat "$SCRATCH/podman.out")"
on_exit "podman rm -f -t 0 '$name'"
# The first run: seconds on a quiet machine; a busy one gets 60.
end=$((SECONDS + 60))
until [ -s "$TF/nsfind.prom" ] || [ "$SECONDS" -ge "$end" ]; do sleep 0.2; done
[ -s "$TF/nsfind.prom" ] || fail "no nsfind.prom after 60 s: $(podman logs "$name" 2>&1 | tail -5)"
podman logs "$name" >"$SCRATCH/pod.log" 2>&1
[ "$(ls -A "$TF")" = nsfind.prom ] || fail "left in the textfile directory: $(ls -A "$TF")"

# series FILE NAME: our namespaces' series of FILE in NAME.series.
series() { grep -E "^nsfind_namespace_info\{ns=\"($pat)\"," "$1" >"$SCRATCH/$2.series"; }
# A run holds what it inspects for a moment (an "fd" holder another run
# may see): on a difference, both sides run again, twice at most; the
# pod's run is its command's nsfind-textfile line, through podman exec.
line=$(grep -o 'nsfind-textfile [^;]*' <<<"${cmd[*]}" | head -n 1)
[ -n "$line" ] || fail "no nsfind-textfile in the manifest's command"
for try in 1 2 3; do
	if [ "$try" -gt 1 ]; then
		podman exec "$name" sh -c "$line" >>"$SCRATCH/pod.log" 2>&1 ||
		    fail "podman exec $line: $(tail -3 "$SCRATCH/pod.log")"
	fi
	nsfind --prometheus >"$SCRATCH/host.prom" 2>/dev/null || fail "nsfind --prometheus on the host"
	series "$SCRATCH/host.prom" host
	series "$TF/nsfind.prom" pod
	[ "$(grep -c '' "$SCRATCH/host.series")" -eq "${#ours[@]}" ] ||
	    fail "the host run: want ${#ours[@]} series of ours: $(cat "$SCRATCH/host.series")"
	cmp -s "$SCRATCH/host.series" "$SCRATCH/pod.series" && break
	[ "$try" -lt 3 ] ||
	    fail "the pod differs from the host: $(diff "$SCRATCH/host.series" "$SCRATCH/pod.series"); log: $(cat "$SCRATCH/pod.log")"
done
grep -v -e '^nsfind: note: could not inspect 1 process (pid 1)' \
    -e "^nsfind: cannot enter the node's cgroup namespace" \
    -e '^nsenter: ' "$SCRATCH/pod.log" >"$SCRATCH/other" &&
    fail "the pod said: $(cat "$SCRATCH/other")"

# The host unmounts: the pod's copy goes too.
cpid=$(podman inspect -f '{{.State.Pid}}' "$name") || fail "podman inspect"
grep -q " /run/netns/$TAG " "/proc/$cpid/mountinfo" ||
    fail "the pod does not see /run/netns/$TAG"
ip netns del "$TAG" || fail "ip netns del"
gone() { ! grep -q " /run/netns/$TAG " "/proc/$cpid/mountinfo"; }
wait_for gone || fail "the pod still has /run/netns/$TAG after the host unmounted it"
exit 0
