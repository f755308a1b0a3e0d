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

# scratch: a private temporary directory in $SCRATCH, removed at exit.
SCRATCH=
scratch() {
	[ -n "$SCRATCH" ] && return 0
	SCRATCH=$(mktemp -d /tmp/nsft.XXXXXX) || fail "mktemp"
	on_exit "rm -rf '$SCRATCH'"
}

# build_c NAME: compiles the C program read from stdin to $SCRATCH/NAME.
build_c() {
	need_cmd cc
	scratch
	cat >"$SCRATCH/$1.c"
	cc -O1 -Wall -pthread -o "$SCRATCH/$1" "$SCRATCH/$1.c" ||
	    fail "cannot compile helper $1"
}

# first_child PID: the pid of PID's first child, once it has one.
first_child() {
	local c
	wait_for grep -q . /proc/"$1"/task/"$1"/children || return 1
	c=$(cat /proc/"$1"/task/"$1"/children) || return 1
	echo "${c%% *}"
}

# wait_exec PID COMM: waits until PID runs COMM (exec done, namespaces set).
wait_exec() { wait_for grep -qx "$2" /proc/"$1"/comm; }

# quiet_stderr FILE: FILE without the lines a NSFIND_WRAP tool (valgrind)
# adds, so that a test sees only what nsfind itself printed.
quiet_stderr() { grep -Ev '^(==|--)[0-9]+(==|--)' "$1" || true; }

# jq prelude: `tree` yields every namespace object of nsfind -J output, flat
# or -T nested ("children"), and not the holder objects, which have "ns" too.
JQ_TREE='def tree: .namespaces[] | recurse(.children[]?);'

# expect_error WHAT ARGS...: nsfind ARGS must fail, print nothing on stdout
# and exactly one line on stderr, "nsfind: ...", that contains WHAT.
expect_error() {
	local what=$1 rc lines
	shift
	scratch
	nsfind "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	rc=$?
	[ "$rc" -ne 0 ] || fail "nsfind $* exited 0"
	[ ! -s "$SCRATCH/out" ] || fail "nsfind $* printed on stdout: $(head -c 200 "$SCRATCH/out")"
	lines=$(quiet_stderr "$SCRATCH/err")
	[ -n "$lines" ] && [ "$(grep -c '' <<<"$lines")" -eq 1 ] ||
	    fail "nsfind $*: want one line on stderr, got: $lines"
	case $lines in
	"nsfind: "*) ;;
	*) fail "nsfind $*: stderr line does not start with 'nsfind: ': $lines" ;;
	esac
	grep -qF -- "$what" <<<"$lines" || fail "nsfind $*: the error does not name '$what': $lines"
}
