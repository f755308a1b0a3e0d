#!/bin/bash
# Prometheus end to end, with Debian's real servers: `make install-contrib`
# into a scratch root, the installed service's ExecStart (what the timer
# starts) run once into a textfile directory, prometheus-node-exporter with
# only the textfile collector serving it on loopback (as the prometheus
# user, as Debian runs it), and prometheus scraping it every second with
# contrib's alert rules loaded.  The HTTP API must then return
# nsfind_namespaces{hidden="true"} and the info series of a network
# namespace this test made hidden (held only by a bind mount), by inode.
. "$(dirname "$0")/lib.sh"
need_root
for c in prometheus prometheus-node-exporter promtool python3 jq systemd-analyze; do
	need_cmd "$c"
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
scratch
chmod 0755 "$SCRATCH"	# the node exporter runs as prometheus

# The files as `make install` puts them, with PREFIX=/usr.
D=$SCRATCH/root
make -s -C "$ROOT" install-contrib DESTDIR="$D" PREFIX=/usr >"$SCRATCH/make.out" 2>&1 ||
    fail "make install-contrib: $(cat "$SCRATCH/make.out")"
unit=$D/usr/lib/systemd/system/nsfind-textfile.service
timer=$D/usr/lib/systemd/system/nsfind-textfile.timer
[ -f "$unit" ] && [ -f "$timer" ] || fail "units not installed"
grep -q '^OnUnitInactiveSec=' "$timer" || fail "the timer does not repeat"
# systemd's own check, with ExecStart pointing into the scratch root.
sed "s|^ExecStart=/|ExecStart=$D/|" "$unit" >"$SCRATCH/nsfind-textfile.service"
cp "$timer" "$SCRATCH/nsfind-textfile.timer"
systemd-analyze verify --man=no "$SCRATCH/nsfind-textfile.service" \
    "$SCRATCH/nsfind-textfile.timer" >"$SCRATCH/verify" 2>&1 ||
    fail "systemd-analyze verify: $(cat "$SCRATCH/verify")"
[ ! -s "$SCRATCH/verify" ] || fail "systemd-analyze verify: $(cat "$SCRATCH/verify")"

# A hidden network namespace: no process, one bind mount (ours).
touch "$SCRATCH/netns-$TAG" || fail "touch"
on_exit "umount -l '$SCRATCH/netns-$TAG'"
unshare --net="$SCRATCH/netns-$TAG" true || fail "unshare --net"
ino=$(stat -L -c %i "$SCRATCH/netns-$TAG") || fail "stat"

# ExecStart, as installed: the program and the textfile it writes.
read -r -a exec <<<"$(sed -n 's/^ExecStart=//p' "$unit")"
[ "${#exec[@]}" -eq 2 ] || fail "ExecStart is not 'PROGRAM FILE': ${exec[*]}"
[ "${exec[1]}" = /var/lib/prometheus/node-exporter/nsfind.prom ] ||
    fail "ExecStart writes ${exec[1]}, not Debian's textfile directory"
TF=$SCRATCH/textfile
mkdir -m 0755 "$TF" || fail "mkdir"
echo 'old_run 1' >"$TF/nsfind.prom"
# Run once, with the built nsfind, writing into our textfile directory.
NSFIND="$NSFIND_WRAP $NSFIND_BIN" "$D${exec[0]}" "$TF/nsfind.prom" 2>"$SCRATCH/err" ||
    fail "${exec[0]} failed: $(cat "$SCRATCH/err")"
[ "$(ls -A "$TF")" = nsfind.prom ] || fail "left behind in the textfile dir: $(ls -A "$TF")"
[ "$(stat -c %a "$TF/nsfind.prom")" = 644 ] || fail "nsfind.prom is not world-readable"
grep -q '^old_run' "$TF/nsfind.prom" && fail "the old file was not replaced"
grep -q "^nsfind_namespace_info{ns=\"$ino\"," "$TF/nsfind.prom" ||
    fail "netns $ino not in the textfile"
promtool check metrics <"$TF/nsfind.prom" >"$SCRATCH/lint" 2>&1 ||
    fail "promtool check metrics: $(cat "$SCRATCH/lint")"
# A failed run keeps the last good file and leaves no temporary file.
cp "$TF/nsfind.prom" "$SCRATCH/good"
NSFIND=false "$D${exec[0]}" "$TF/nsfind.prom" 2>/dev/null && fail "a failed nsfind run exited 0"
cmp -s "$TF/nsfind.prom" "$SCRATCH/good" || fail "a failed run changed nsfind.prom"
[ "$(ls -A "$TF")" = nsfind.prom ] || fail "a failed run left: $(ls -A "$TF")"

# freeport: a loopback TCP port nobody listens on now.
freeport() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
NE_PORT=$(freeport) && PR_PORT=$(freeport) || fail "no free port"
[ "$NE_PORT" != "$PR_PORT" ] || PR_PORT=$(freeport)

setpriv --reuid=prometheus --regid=prometheus --init-groups -- \
    prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" \
    --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$TF" >"$SCRATCH/ne.log" 2>&1 &
ne_pid=$!
on_exit "kill $ne_pid; wait $ne_pid"

cp "$D/usr/share/nsfind/prometheus/alerts.yml" "$SCRATCH/alerts.yml"
cat >"$SCRATCH/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $SCRATCH/alerts.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NE_PORT']
EOF
promtool check config "$SCRATCH/prometheus.yml" >"$SCRATCH/lint" 2>&1 ||
    fail "promtool check config: $(cat "$SCRATCH/lint")"
prometheus --config.file="$SCRATCH/prometheus.yml" \
    --storage.tsdb.path="$SCRATCH/tsdb" \
    --web.listen-address="127.0.0.1:$PR_PORT" >"$SCRATCH/prom.log" 2>&1 &
pr_pid=$!
on_exit "kill $pr_pid; wait $pr_pid"

# query PROMQL: the API's JSON answer on stdout.
query() {
	python3 - "$PR_PORT" "$1" <<'EOF'
import sys, urllib.parse, urllib.request
url = "http://127.0.0.1:%s/api/v1/query?%s" % (sys.argv[1],
    urllib.parse.urlencode({"query": sys.argv[2]}))
with urllib.request.urlopen(url, timeout=5) as r:
    sys.stdout.write(r.read().decode("utf-8"))
EOF
}
# until_series PROMQL: waits until the query returns a series, for 80 s
# from the servers' start in all (seconds when the machine is quiet; the
# runner's timeout is 120 s, and a busy machine should get a message, not
# a kill).
DEADLINE=$((SECONDS + 80))
until_series() {
	while [ "$SECONDS" -lt "$DEADLINE" ]; do
		query "$1" >"$SCRATCH/q" 2>/dev/null &&
		    jq -e '.data.result | length > 0' "$SCRATCH/q" >/dev/null && return 0
		kill -0 "$pr_pid" 2>/dev/null || fail "prometheus died: $(tail -5 "$SCRATCH/prom.log")"
		kill -0 "$ne_pid" 2>/dev/null || fail "node exporter died: $(tail -5 "$SCRATCH/ne.log")"
		sleep 0.5
	done
	fail "no series for $1 within 80 s of the servers' start: $(cat "$SCRATCH/q" 2>/dev/null)
prometheus: $(tail -3 "$SCRATCH/prom.log")"
}

# The node exporter read the file without error.
until_series 'node_textfile_scrape_error{job="node"}'
jq -e '.data.result[0].value[1] == "0"' "$SCRATCH/q" >/dev/null ||
    fail "the node exporter could not read nsfind.prom: $(cat "$SCRATCH/q") $(tail -5 "$SCRATCH/ne.log")"

until_series 'nsfind_namespaces{hidden="true",type="net"}'
jq -e '.data.result | length == 1 and (.[0].value[1] | tonumber) >= 1' "$SCRATCH/q" >/dev/null ||
    fail "nsfind_namespaces{hidden=\"true\",type=\"net\"}: want one series >= 1: $(cat "$SCRATCH/q")"
want=$(sed -n 's/^nsfind_namespaces{type="net",hidden="true"} //p' "$TF/nsfind.prom")
jq -e --arg w "$want" '.data.result[0].value[1] == $w' "$SCRATCH/q" >/dev/null ||
    fail "Prometheus has $(jq -c '.data.result[0].value' "$SCRATCH/q"), the textfile $want"
query 'sum(nsfind_namespaces{hidden="true"})' >"$SCRATCH/q" || fail "query"
jq -e '(.data.result[0].value[1] | tonumber) >= 1' "$SCRATCH/q" >/dev/null ||
    fail "no hidden namespace at all: $(cat "$SCRATCH/q")"

until_series "nsfind_namespace_info{ns=\"$ino\"}"
# holders: bind-mount, and perhaps fd for an instant (another nsfind run
# on this machine holds what it inspects while it runs).
jq -e '.data.result | length == 1 and (.[0] | .value[1] == "0" and
    (.metric | .type == "net" and .hidden == "true" and .initial == "false" and
     (.holders == "bind-mount" or .holders == "fd,bind-mount") and .job == "node"))' \
    "$SCRATCH/q" >/dev/null ||
    fail "info series of netns $ino: $(cat "$SCRATCH/q")"

# contrib's rules loaded and evaluated without error in the real server.
python3 - "$PR_PORT" >"$SCRATCH/rules" <<'EOF' || fail "rules API"
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/api/v1/rules" % sys.argv[1], timeout=5) as r:
    sys.stdout.write(r.read().decode("utf-8"))
EOF
jq -e '[.data.groups[].rules[] | select(.type == "alerting") | .name] | sort ==
    ["NsfindHiddenNetnsGrowing", "NsfindMetricsStale"]' "$SCRATCH/rules" >/dev/null ||
    fail "alert rules not loaded: $(cat "$SCRATCH/rules")"
exit 0
