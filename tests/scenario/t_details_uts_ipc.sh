#!/bin/bash
# DETAILS of a uts and an ipc namespace against what the test set up in
# them: the hostname and domainname it gave, the SysV objects it made with
# ipcmk and a POSIX message queue.  Then the same namespaces with no task
# in them (bind-mounted): only "no member", never a guess.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd ipcmk
need_cmd jq
scratch

build_c mqmk <<'EOF2'
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	if (argc != 2 || mq_open(argv[1], O_CREAT | O_RDWR, 0600, NULL) == (mqd_t)-1) {
		perror("mq_open");
		return 1;
	}
	return 0;
}
EOF2

host="nsft-h$$"
dom="nsft-d$$"
unshare --uts --ipc sh -c "hostname '$host' && domainname '$dom' &&
    ipcmk -M 4096 >/dev/null && ipcmk -M 8192 >/dev/null && ipcmk -S 2 >/dev/null &&
    ipcmk -Q >/dev/null && ipcmk -Q >/dev/null && ipcmk -Q >/dev/null &&
    '$SCRATCH/mqmk' /nsft$$ && exec sleep 1000" &
p=$!
on_exit "kill_tree $p"
wait_exec "$p" sleep || fail "the namespaces were not set up"
uts=$(ns_ino "$p" uts) ipc=$(ns_ino "$p" ipc)

# det NS: the DETAILS cell of one namespace, one line.
det() { nsfind -l -n -u -W -o DETAILS "$1" 2>"$SCRATCH/err" || fail "nsfind -o DETAILS $1: $(cat "$SCRATCH/err")"; }

got=$(det "$uts")
[ "$got" = "hostname $host, domainname $dom" ] ||
    fail "uts $uts: want 'hostname $host, domainname $dom', got '$got'"
got=$(det "$ipc")
[ "$got" = "shm 2, sem 1, msg 3, mqueue 1" ] ||
    fail "ipc $ipc: want 'shm 2, sem 1, msg 3, mqueue 1', got '$got'"

# Not in the default columns; added by -o +DETAILS.
nsfind -l "$uts" 2>/dev/null | head -n 1 | grep -q DETAILS && fail "DETAILS is a default column"
nsfind -l -u -W -o +DETAILS "$uts" 2>/dev/null | grep -qF "hostname $host" ||
    fail "-o +DETAILS does not add the column"

# JSON: on by default in -J, as an object.
nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J: $(cat "$SCRATCH/err")"
jq -e --argjson u "$uts" --arg h "$host" --arg d "$dom" '.namespaces[] |
    select(.ns == $u) | .details == {hostname: $h, domainname: $d}' \
    "$SCRATCH/all.json" >/dev/null || fail "-J details of uts $uts: $(jq -c \
    --argjson u "$uts" '.namespaces[] | select(.ns == $u) | .details' "$SCRATCH/all.json")"
jq -e --argjson i "$ipc" '.namespaces[] | select(.ns == $i) |
    .details == {shm: 2, sem: 1, msg: 3, mqueue: 1}' "$SCRATCH/all.json" >/dev/null ||
    fail "-J details of ipc $ipc: $(jq -c --argjson i "$ipc" \
    '.namespaces[] | select(.ns == $i) | .details' "$SCRATCH/all.json")"

# Bind-mounted, with no task: what is inside is not guessed.
mkdir "$SCRATCH/m" && mount -t tmpfs nsft "$SCRATCH/m" && mount --make-private "$SCRATCH/m" ||
    fail "cannot make a private tmpfs"
on_exit "umount -l '$SCRATCH/m'"
touch "$SCRATCH/m/uts" "$SCRATCH/m/ipc"
unshare --uts="$SCRATCH/m/uts" --ipc="$SCRATCH/m/ipc" hostname nsft-gone$$ ||
    fail "unshare --uts=FILE"
hu=$(stat -c %i "$SCRATCH/m/uts") hi=$(stat -c %i "$SCRATCH/m/ipc")
got=$(det "$hu")
[ "$got" = "(no member: hostname unknown)" ] || fail "hidden uts $hu: got '$got'"
got=$(det "$hi")
[ "$got" = "(no member: counts unknown)" ] || fail "hidden ipc $hi: got '$got'"
nsfind -J "$hu" >"$SCRATCH/h.json" 2>/dev/null || fail "nsfind -J $hu"
jq -e '.namespaces[0].details == {hostname: null, domainname: null,
    unknown: "hostname", reason: "no member"}' "$SCRATCH/h.json" >/dev/null ||
    fail "-J details of hidden uts: $(jq -c '.namespaces[0].details' "$SCRATCH/h.json")"
exit 0
