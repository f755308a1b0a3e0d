#!/bin/bash
# The command-line rule, for sandboxes with no cgroup of their own, and
# kernel threads:
#   mininet   `bash --norc --noediting -is mininet:h1` in its own netns:
#             engine "mininet", name "h1"; also when its cgroup is only a
#             systemd unit, in both layouts
#   chrome    ct_pause through a symlink named "chrome", run with
#             --type=renderer: engine "chrome", name "renderer"
#   electron  the same flags in a binary that is no browser: engine
#             "electron", name the binary
#   titles    the same with the command line rewritten into one string
#             ("/opt/Nsft App/nsft-app --type=utility ..."), as they do
#   no type   "chrome" without --type (the browser itself): nothing
#   kernel    kdevtmpfs (its own mount ns on most kernels) and kthreadd:
#             engine "kernel", named after the thread, source "kthread";
#             but the initial namespaces kthreadd represents are the
#             host's: engine "host", source "initial"
# Checked in -J (every namespace of the process) and in -P -J.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd jq
[ -x "$HELPERS/ct_pause" ] || skip "no $HELPERS/ct_pause: run make unit"
scratch
ct_layouts
mkdir -p "$SCRATCH/bin" || fail "mkdir $SCRATCH/bin"
ln -s "$HELPERS/ct_pause" "$SCRATCH/bin/chrome" || fail "ln -s chrome"
ln -s "$HELPERS/ct_pause" "$SCRATCH/bin/nsft-app" || fail "ln -s nsft-app"

ct_start ctl unshare --uts sleep 1000

declare -A pid want types
# mininet NAME: a mininet host shell in a netns of its own, its stdin a
# FIFO it holds open for writing too, so that it waits for commands.
mkfifo "$SCRATCH/fifo" || fail "mkfifo"
mininet() {
	local p
	unshare --net bash --norc --noediting -is mininet:h1 <>"$SCRATCH/fifo" >/dev/null 2>&1 {CT_LOCK}<&- &
	p=$!
	on_exit "kill_tree $p"
	wait_for in_new_net "$p" || fail "$1: the mininet shell did not start"
	pid[$1]=$p types[$1]=net
	want[$1]=$(ct_want mininet - h1 - - - cmdline)
}
in_new_net() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = bash ] &&
	    [ "$(ns_ino "$1" net)" != "$(ns_ino $$ net)" ]
}

mininet mininet
for l in $CT_LAYOUTS; do
	ct_mkcg "$l" "/system.slice/nsft-mn-$$.service"
	mininet "$l-mininet-in-unit"
	ct_move "${pid[$l-mininet-in-unit]}" "$l" "/system.slice/nsft-mn-$$.service"
done

ct_start "pid[chrome]" unshare --uts --ipc "$SCRATCH/bin/chrome" --type=renderer \
    --enable-crashpad --lang=en-US --renderer-client-id=7
types[chrome]="uts ipc"
want[chrome]=$(ct_want chrome - renderer - - - cmdline)

ct_start "pid[electron]" unshare --uts --ipc "$SCRATCH/bin/nsft-app" --type=zygote --no-zygote-sandbox
types[electron]="uts ipc"
want[electron]=$(ct_want electron - nsft-app - - - cmdline)

# Chromium and Electron rewrite their command line into one string.
ct_start "pid[chrome-title]" unshare --uts --ipc bash -c 'exec -a "$0" "$1"' \
    "/opt/google/chrome/chrome --type=renderer --lang=en-US" "$HELPERS/ct_pause"
types[chrome-title]="uts ipc"
want[chrome-title]=$(ct_want chrome - renderer - - - cmdline)
ct_start "pid[electron-title]" unshare --uts --ipc bash -c 'exec -a "$0" "$1"' \
    "/opt/Nsft App/nsft-app --type=utility --utility-sub-type=network.mojom.NetworkService" \
    "$HELPERS/ct_pause"
types[electron-title]="uts ipc"
want[electron-title]=$(ct_want electron - nsft-app - - - cmdline)

ct_start "pid[browser]" unshare --uts --ipc "$SCRATCH/bin/chrome" --no-sandbox
types[browser]="uts ipc"
want[browser]=null

# Kernel threads.
k=$(cat /proc/2/comm 2>/dev/null)
if [ "$k" = kthreadd ]; then
	pid[kthreadd]=2 types[kthreadd]=''
	want[kthreadd]=$(ct_want kernel - kthreadd - - - kthread)
else
	echo "note: PID 2 is not kthreadd: kthreadd is not checked"
fi
k=$(pgrep -x kdevtmpfs | head -n 1)
if [ -z "$k" ]; then
	echo "note: no kdevtmpfs thread: it is not checked"
elif [ "$(ns_ino "$k" mnt)" = "$(ns_ino 2 mnt)" ]; then
	echo "note: kdevtmpfs is in the initial mount ns here: it is not checked"
else
	pid[kdevtmpfs]=$k types[kdevtmpfs]=mnt
	want[kdevtmpfs]=$(ct_want kernel - kdevtmpfs - - - kthread)
fi

ct_run "$SCRATCH/all.json" "${CT_FIRST[@]}" -J -t uts,ipc,net,mnt
ct_load "$SCRATCH/all.json"
ct_outside "$ctl"
for k in "${!pid[@]}"; do
	ct_check "${pid[$k]}" "${types[$k]}" "$k" "${want[$k]}"
done
# kthreadd: every namespace it represents (the initial ones, unless a
# process with a lower pid is in them) is the host's, not the kernel's.
if [ -n "${pid[kthreadd]:-}" ]; then
	got=$(jq -cS "$JQ_TREE $CT_JQ_SORTED"' [tree | select(.pid == 2) | .container | sorted] | unique' \
	    "$SCRATCH/all.json")
	case $got in
	"[]") echo "note: kthreadd represents no namespace here: checked in -P -J only" ;;
	"[$(ct_want host - - - - - initial)]") ;;
	*) ct_bad "kthreadd: namespaces it represents have containers $got, want [$(ct_want host - - - - - initial)]" ;;
	esac
fi

ct_run "$SCRATCH/procs.json" "${CT_QUICK[@]}" -P -J
ct_load_tasks "$SCRATCH/procs.json"
for k in "${!pid[@]}"; do
	# kthreadd is in no namespace but the initial ones: no -P rows.
	[ "$k" = kthreadd ] && continue
	ct_check_tasks "${pid[$k]}" "$k" "${want[$k]}"
done
ct_done
