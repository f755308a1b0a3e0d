#!/bin/bash
# Every way to call nsfind wrongly: non-zero exit, exactly one line on stderr
# that names what was wrong, and nothing on stdout (no partial JSON with -J).
# A failed write says why.  -h, -V and -H succeed and print what they promise.
. "$(dirname "$0")/lib.sh"
need_cmd jq
scratch

# bad WHAT ARGS...: nsfind ARGS must fail with one stderr line containing WHAT.
bad() {
	local what=$1 rc lines
	shift
	nsfind "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	[ "$rc" -ne 0 ] || fail "nsfind $* exited 0"
	[ ! -s "$SCRATCH/out" ] || fail "nsfind $* printed on stdout: $(head -c 200 "$SCRATCH/out")"
	lines=$(quiet_stderr "$SCRATCH/err")
	[ "$(grep -c '' <<<"$lines")" -eq 1 ] && [ -n "$lines" ] ||
	    fail "nsfind $*: want one line on stderr, got: $lines"
	case $lines in
	"nsfind: "*) ;;
	*) fail "nsfind $*: stderr line does not start with 'nsfind: ': $lines" ;;
	esac
	grep -qF -- "$what" <<<"$lines" || fail "nsfind $*: the error does not name '$what': $lines"
}

nopid=4000000
[ ! -e /proc/$nopid ] || skip "PID $nopid exists"
for j in "" -J; do
	bad "-Z" $j -Z
	bad "--bogus" $j --bogus
	bad "-t" $j -t
	bad "bogus" $j -t bogus
	bad "bogus" $j -t net,bogus
	bad "$nopid" $j -p $nopid
	bad "abc" $j -p abc
	bad "0" $j -p 0
	bad "-1" $j -p -1
	bad "BOGUS" $j -o NS,BOGUS
	bad "BOGUS" $j -o +BOGUS
	bad "sideways" $j -T sideways
	bad "sideways" $j -Tsideways
	bad "sideways" $j --tree=sideways
	bad "12345" $j 12345
	bad "notanumber" $j notanumber
	bad "extra" $j 4026531837 extra
	bad "exclude" $j -P --dot
	bad "exclude" $j --links --prometheus
	bad "container" $j --container=
	bad "nsft-none-$$" $j --container "nsft-none-$$"
done
bad "$nopid" -P -p $nopid
bad "$nopid" -P -J -p $nopid

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
	for v in "" -J -P "-P -J" -T "-T -J"; do
		nsfind $v >/dev/full 2>"$SCRATCH/err"
		rc=$?
		[ "$rc" -ne 0 ] || fail "nsfind $v >/dev/full exited 0"
		lines=$(quiet_stderr "$SCRATCH/err" | grep -v '^nsfind: note: ')
		[ "$lines" = "nsfind: cannot write output: No space left on device" ] ||
		    fail "nsfind $v >/dev/full: want 'nsfind: cannot write output: No space left on device', got: $lines"
	done
fi
exit 0
