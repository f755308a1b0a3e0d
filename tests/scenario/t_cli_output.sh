#!/bin/bash
# -h, -V and -H succeed, print what they promise and nothing on stderr; every
# column -H lists is accepted by -o; a failed write (a full disk) fails with
# one line that says why, whatever the view.
. "$(dirname "$0")/lib.sh"
scratch

# good ARGS...: nsfind ARGS succeeds, with nothing on stderr.
good() {
	nsfind "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "nsfind $* failed: $(cat "$SCRATCH/err")"
	[ -z "$(quiet_stderr "$SCRATCH/err")" ] || fail "nsfind $* wrote on stderr: $(cat "$SCRATCH/err")"
	[ -s "$SCRATCH/out" ] || fail "nsfind $* printed nothing"
}
good -h
grep -q '^Usage:' "$SCRATCH/out" || fail "-h: no Usage line"
for o in --json --type --tree --task --processes --hidden --help --version; do
	grep -qe "$o" "$SCRATCH/out" || fail "-h does not mention $o"
done
good --help
good -V
[ "$(wc -l <"$SCRATCH/out")" -eq 1 ] && grep -Eq '^nsfind [^ ]+$' "$SCRATCH/out" ||
    fail "-V: want 'nsfind VERSION', got: $(cat "$SCRATCH/out")"
good -H
cols=$(awk '{print $1}' "$SCRATCH/out")
for c in NS TYPE NPROCS PID COMMAND HOLDERS PNS ONS INITIAL HIDDEN; do
	grep -qx "$c" <<<"$cols" || fail "-H does not list column $c"
done
awk 'NF < 2 { exit 1 }' "$SCRATCH/out" || fail "-H: a column without a description"
# Every listed column is accepted by -o.
all=$(paste -sd, <<<"$cols")
nsfind -o "$all" -t user -n >/dev/null 2>"$SCRATCH/err" ||
    fail "-o $all (listed by -H) is refused: $(cat "$SCRATCH/err")"

# A full disk: the error says what happened, whatever the view.
if [ -w /dev/full ]; then
	for v in "" -J -P "-T -J"; do
		nsfind $v >/dev/full 2>"$SCRATCH/err"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			# Right only if there was nothing to write (-P with no task
			# outside the initial namespaces prints nothing at all).
			[ -z "$(nsfind $v 2>/dev/null | head -c 1)" ] || fail "nsfind $v >/dev/full exited 0"
			continue
		fi
		lines=$(quiet_stderr "$SCRATCH/err" | grep -v '^nsfind: note: ')
		[ "$lines" = "nsfind: cannot write output: No space left on device" ] ||
		    fail "nsfind $v >/dev/full: want 'nsfind: cannot write output: No space left on device', got: $lines"
	done
fi
exit 0
