#!/bin/bash
# Real containerd (Debian's 1.6, started here with a root, state dir and
# socket of its own, without its CRI plugin): `ctr -n <ns> run --rootfs`
# of a busybox tree (no registry), as containerd users do offline.
# nsfind must agree with `ctr task ls`:
#   - engine containerd, id the ctr id, JSON ctr_namespace the namespace,
#     table "NS/ID (containerd)", source ancestry (its shim says who)
#   - --container NS/ID and --container ID select its namespaces
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_engine.sh"
need_root
need_cmd containerd
need_cmd ctr
need_cmd runc
need_cmd jq
scratch

sock=$SCRATCH/ctrd.sock ns=$TAG id=${TAG}ctr1
cat >"$SCRATCH/config.toml" <<CONF
version = 2
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
CONF
ce_busybox "$SCRATCH/rootfs"
ce_cgroups "$ns"
containerd -c "$SCRATCH/config.toml" --root "$SCRATCH/root" --state "$SCRATCH/state" \
    >"$SCRATCH/containerd.log" 2>&1 &
cpid=$!
on_exit "ce_stop $cpid"
ce_wait_sock "$sock" "$cpid" || skip "containerd did not start here: $(tail -n 1 "$SCRATCH/containerd.log")"
c() { timeout 60 ctr -a "$sock" -n "$ns" "$@"; }
on_exit "ctr -a $sock -n $ns container rm $id"
on_exit "ctr -a $sock -n $ns task rm -f $id"
c run -d --rootfs "$SCRATCH/rootfs" "$id" /bin/sleep 600 >/dev/null ||
    skip "ctr run failed here: $(tail -n 1 "$SCRATCH/containerd.log")"
pid=$(c task ls | awk -v id="$id" '$1 == id { print $2 }')
[ -n "$pid" ] && [ "$pid" -gt 0 ] || fail "ctr task ls has no pid for $id"
echo "ctr task ls: $id pid $pid in namespace $ns"

ce_json "$SCRATCH/all.json"
for t in mnt uts ipc pid net; do
	ce_expect "$t" "$(ce_ns_container "$SCRATCH/all.json" "$pid" $t | jq -c '[.engine, .id, .ctr_namespace, .source]')" \
	    "[\"containerd\",\"$id\",\"$ns\",\"ancestry\"]"
done
want=$(ce_nsset "$pid" mnt uts ipc pid net)
for what in "$ns/$id" "$id"; do
	ce_json "$SCRATCH/sel.json" --container "$what"
	got=$(jq -r "$JQ_TREE"' tree | select(.container.engine != "host") | .ns' "$SCRATCH/sel.json" | sort -n | tr '\n' ' ')
	ce_expect "--container $what" "$got" "$want"
done
ce_table "$SCRATCH/sel.txt" --container "$ns/$id"
grep -qE "^ *$(ns_ino "$pid" net) +net +$pid +$ns/$id \(containerd\)\$" "$SCRATCH/sel.txt" ||
    ce_bad "--container $ns/$id table: $(cat "$SCRATCH/sel.txt")"
echo "--- nsfind -o NS,TYPE,PID,CONTAINER --container $ns/$id"
cat "$SCRATCH/sel.txt"
ce_done
