#!/bin/bash
# contrib/prometheus/alerts.yml: promtool accepts the rules, and its unit
# test alerts_test.yml passes (the growing-netns alert fires after 30
# minutes of growth and not for one leak that stays; the stale-textfile
# alert fires).  Then the alert rule is evaluated on nsfind's real output:
# a Prometheus rule test whose series are the values nsfind printed for
# hidden network namespaces, before and after this test hides more.
. "$(dirname "$0")/lib.sh"
need_cmd promtool
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=$ROOT/contrib/prometheus
scratch
promtool check rules "$P/alerts.yml" >"$SCRATCH/out" 2>&1 ||
    fail "promtool check rules: $(cat "$SCRATCH/out")"
grep -q 'SUCCESS: 2 rules found' "$SCRATCH/out" || fail "promtool check rules: $(cat "$SCRATCH/out")"
(cd "$P" && promtool test rules alerts_test.yml) >"$SCRATCH/out" 2>&1 ||
    fail "promtool test rules: $(cat "$SCRATCH/out")"

# With nsfind's own numbers: hide network namespaces one by one (as a
# leaking CNI plugin would) and feed each count, one a minute, to the rule.
need_root
need_cmd unshare
counts=()
for i in 0 1 2 3; do
	if [ "$i" -gt 0 ]; then
		touch "$SCRATCH/leak$i" || fail touch
		on_exit "umount -l '$SCRATCH/leak$i'"
		unshare --net="$SCRATCH/leak$i" true || fail "unshare --net"
	fi
	nsfind --prometheus >"$SCRATCH/m$i" 2>/dev/null || fail "nsfind --prometheus"
	counts+=("$(sed -n 's/^nsfind_namespaces{type="net",hidden="true"} //p' "$SCRATCH/m$i")")
done
# Each run sees at least the ones this test hid (others may come and go).
for i in 1 2 3; do
	[ "${counts[i]}" -ge "$i" ] || fail "run $i counted ${counts[i]} hidden netns, want >= $i"
done
# A series: flat at the first count for 40 minutes, then one run's count
# every 15 minutes, growing as ours did (others' changes filtered out by
# taking the first count plus ours).
base=${counts[0]}
vals="${base}x40 $((base + 1))x14 $((base + 2))x14 $((base + 3))x30"
cp "$P/alerts.yml" "$SCRATCH/alerts.yml"
cat >"$SCRATCH/test.yml" <<YML
rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'nsfind_namespaces{type="net",hidden="true",instance="h:9100",job="node"}'
        values: '$vals'
    alert_rule_test:
      - eval_time: 60m
        alertname: NsfindHiddenNetnsGrowing
        exp_alerts: []
      - eval_time: 80m
        alertname: NsfindHiddenNetnsGrowing
        exp_alerts:
          - exp_labels: {severity: warning, type: net, hidden: "true", instance: "h:9100", job: node}
            exp_annotations:
              summary: "Hidden network namespaces keep growing on h:9100"
              description: "$((base + 3)) network namespaces on h:9100 have no process but are still alive, more than 30 minutes before, for 30 minutes.  \`nsfind --hidden -t net\` on the host says what holds each (HOLDERS): often a bind mount under /run/netns left by a CNI plugin."
YML
(cd "$SCRATCH" && promtool test rules test.yml) >"$SCRATCH/out" 2>&1 ||
    fail "the alert on nsfind's counts ($vals): $(cat "$SCRATCH/out")"
exit 0
