#!/bin/bash
# --watch ends cleanly: SIGTERM and SIGINT end it with status 0 and no
# error, and so does a reader that goes away (`nsfind --watch | head -n1`),
# even when nothing changes (nsfind notices the closed pipe, it need not
# wait for a write to fail).  Its first line says what a scan takes.  Bad
# option combinations are one error line.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
need_cmd timeout
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_watch.sh"

# Job control: background jobs of a script otherwise ignore SIGINT.
set -m
watch_start term
watch_ready
watch_stop term TERM
watch_start int -J
watch_ready
watch_stop int INT
grep -qE '^[0-9TZ:-]+ watching [0-9]+ namespaces?, a full rescan every 1 s; one scan took [0-9.]+ s$' \
    "$W/term" || fail "first text line: $(head -n1 "$W/term")"
head -n1 "$W/int" | jq -e '.event == "start" and .interval == 1 and
    .scan_seconds >= 0 and .namespaces > 0' >/dev/null ||
    fail "first JSON line: $(head -n1 "$W/int")"
set +m

# A reader that goes away.  timeout only guards against a hang.
for args in "" "-J" "-t net --hidden"; do
	# shellcheck disable=SC2086
	timeout 60 bash -c '$0 --watch --interval 30 '"$args"' 2>"$1" | head -n1 >"$2";
	    exit "${PIPESTATUS[0]}"' "$NSFIND_WRAP $NSFIND_BIN" "$W/head.err" "$W/head.out"
	rc=$?
	[ "$rc" -eq 0 ] || fail "nsfind --watch $args | head -n1: exit $rc: $(cat "$W/head.err")"
	[ "$(grep -c . "$W/head.out")" -eq 1 ] || fail "| head -n1 got: $(cat "$W/head.out")"
	quiet_stderr "$W/head.err" | grep -v '^nsfind: note: ' | grep . &&
	    fail "nsfind --watch $args | head: said more than notes"
done

expect_error "--interval goes with --watch" --interval 2
expect_error "interval" --watch --interval 0
expect_error "interval" --watch --interval 1.5
expect_error "interval" --watch --interval 86401
expect_error "--watch" --watch --prometheus
expect_error "--watch" --watch -T
expect_error "requires an argument" --watch --interval
exit 0
