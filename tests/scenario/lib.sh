# Shared helpers for scenario tests.  Source it first thing:
#   . "$(dirname "$0")/lib.sh"
#
# Every scenario builds what it checks, registers its undo with `on_exit`
# (run in reverse order, also when the test fails) and touches nothing it
# did not make.
set -u
NSFIND_BIN=${NSFIND_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/nsfind}
NSFIND_WRAP=${NSFIND_WRAP:-}
HELPERS=${HELPERS:-$(dirname "$NSFIND_BIN")/tests/helpers}
_undo=()

on_exit() { _undo=("$*" "${_undo[@]}"); }
_run_undo() {
	local u
	for u in "${_undo[@]}"; do eval "$u" >/dev/null 2>&1 || true; done
}
trap _run_undo EXIT
trap 'exit 130' INT TERM

skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "needs $1"; }

# nsfind ARGS...: runs the built binary (under NSFIND_WRAP, e.g. valgrind).
nsfind() { $NSFIND_WRAP "$NSFIND_BIN" "$@"; }

# Name for things this test creates: unique per run, recognisable.
TAG="nsft$$"

# ns_ino PID TYPE: the inode of a task's namespace, e.g. ns_ino 123 net.
ns_ino() { stat -L -c %i "/proc/$1/ns/$2"; }

# wait_for CMD...: retries a condition for up to 5 s.
wait_for() {
	local i
	for i in $(seq 50); do "$@" && return 0; sleep 0.1; done
	return 1
}

# kill_tree PID: ends a process this test started, and its children.
kill_tree() {
	local p=$1 c
	for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do kill_tree "$c"; done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}
