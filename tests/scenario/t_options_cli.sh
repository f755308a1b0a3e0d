#!/bin/bash
# Options as util-linux handles them:
#   -J with -r          refused as mutually exclusive, either order
#   -p twice            a second, different PID is refused; the same one
#                       twice is one process
#   -o NS, / -o ,,,     alike: an empty column name is refused, wherever
#                       it is (also -o NS,,TYPE and -o +NS,)
#   --state-root FILE   "not a directory"
# Each refusal: exit non-zero, nothing on stdout, one line on stderr.
. "$(dirname "$0")/lib.sh"
scratch

expect_error "mutually exclusive arguments: --json --raw" -J -r
expect_error "mutually exclusive arguments: --json --raw" -r --json
expect_error "mutually exclusive arguments: --json --raw" --raw -J -o NS
expect_error "given twice" -p $$ -p 1
expect_error "given twice" --task=$$ --task 1
for o in "NS," ",,," "NS,,TYPE" ",NS" "+NS," "+,"; do
	expect_error "empty column name in --output '$o'" -o "$o"
done
: >"$SCRATCH/file"
expect_error "not a directory" --state-root "$SCRATCH/file"
expect_error "No such file or directory" --state-root "$SCRATCH/none"

# What is accepted: the same PID twice, and the columns without the commas.
nsfind -p $$ -p $$ -n -r -o NS,TYPE >"$SCRATCH/twice" 2>/dev/null ||
    fail "-p $$ -p $$ refused"
nsfind -p $$ -n -r -o NS,TYPE >"$SCRATCH/once" 2>/dev/null || fail "-p $$ failed"
cmp -s "$SCRATCH/twice" "$SCRATCH/once" || fail "-p $$ -p $$ differs from -p $$"
nsfind -n -r -o NS,TYPE >/dev/null 2>&1 || fail "-o NS,TYPE refused"
exit 0
