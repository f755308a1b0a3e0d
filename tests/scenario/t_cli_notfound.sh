#!/bin/bash
# Errors found after the scan: no such process (-p), no such namespace, no
# such container.  Each exits non-zero with exactly one line on stderr naming
# what was not found (no notes: the run failed), and nothing on stdout, not
# even part of a JSON document.
. "$(dirname "$0")/lib.sh"
scratch

nopid=4000000
[ ! -e /proc/$nopid ] || skip "PID $nopid exists"
for j in "" -J; do
	expect_error "$nopid" $j -p $nopid
	expect_error "12345" $j 12345
	expect_error "nsft-none-$$" $j --container "nsft-none-$$"
done
expect_error "$nopid" -P -J -p $nopid
exit 0
