#!/bin/bash
# Runs every unit test binary and every scenario script, then prints one
# closing line "N passed, N failed, N skipped".
#
# A scenario script passes with exit 0, skips with exit 77 (its last line
# on stdout says why) and fails otherwise.  Unit binaries are cmocka; each
# of their tests counts.  TESTS="pattern" runs only matching files.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export NSFIND_BIN=${NSFIND_BIN:-$PWD/$BUILD/nsfind}
export NSFIND_WRAP=${NSFIND_WRAP:-}
export HELPERS=${HELPERS:-$PWD/$BUILD/tests/helpers}
pattern=${TESTS:-}
pass=0 fail=0 skip=0
log=$(mktemp -d /tmp/nsfind-tests.XXXXXX)
trap 'rm -rf "$log"' EXIT

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case "$name" in *"$pattern"*) ;; *) continue ;; esac
	$NSFIND_WRAP "$t" >"$log/out" 2>&1
	rc=$?
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log/out" | tail -1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log/out" | tail -1)
	k=$(sed -n 's/.*\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log/out" | tail -1)
	p=${p:-0} f=${f:-0} k=${k:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + k))
	if [ "$f" -gt 0 ]; then
		echo "FAIL unit $name"; sed 's/^/    /' "$log/out"
	else
		echo "ok   unit $name ($p passed, $k skipped)"
	fi
done

for t in tests/scenario/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in *"$pattern"*) ;; *) continue ;; esac
	timeout 120 bash "$t" >"$log/out" 2>&1
	rc=$?
	case $rc in
	0)  pass=$((pass + 1)); echo "ok   $name" ;;
	77) skip=$((skip + 1)); echo "skip $name: $(tail -n 1 "$log/out")" ;;
	*)  fail=$((fail + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$log/out" | tail -n 40 ;;
	esac
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
