#!/bin/bash
# DETAILS of a uts and an ipc namespace against what the test set up in
# them: the hostname and domainname it gave, the SysV objects it made with
# ipcmk and a POSIX message queue.  Then namespaces with no task in them:
# read through a bind mount nsfind can reach, else "no member", never a
# guess.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd ipcmk
need_cmd nsenter
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

# With no task in them: a uts namespace bind-mounted here is still read
# through its bind mount; an ipc namespace bind-mounted only in a mount
# namespace of another process cannot be, and that is said, not guessed.
mkdir "$SCRATCH/m" && mount -t tmpfs nsft "$SCRATCH/m" && mount --make-private "$SCRATCH/m" ||
    fail "cannot make a private tmpfs"
on_exit "umount -l '$SCRATCH/m'"
touch "$SCRATCH/m/uts"
unshare --uts="$SCRATCH/m/uts" hostname nsft-gone$$ || fail "unshare --uts=FILE"
hu=$(stat -c %i "$SCRATCH/m/uts")
mkdir "$SCRATCH/m2"
unshare --mount sh -c "mount -t tmpfs nsft2 '$SCRATCH/m2' && touch '$SCRATCH/m2/ipc' &&
    unshare --ipc='$SCRATCH/m2/ipc' true && exec sleep 1000" &
o=$!
on_exit "kill_tree $o"
wait_exec "$o" sleep || fail "the ipc bind mount was not made"
hi=$(nsenter -t "$o" -m stat -c %i "$SCRATCH/m2/ipc") || fail "no ipc bind mount in $o's mount ns"

# Three runs only (each is slow under valgrind): the default columns, the
# table with +DETAILS (last), and -J.
nsfind -l "$uts" 2>/dev/null | head -n 1 | grep -q DETAILS && fail "DETAILS is a default column"
nsfind -l -u -W -o +DETAILS >"$SCRATCH/table" 2>"$SCRATCH/err" ||
    fail "nsfind -o +DETAILS: $(cat "$SCRATCH/err")"
head -n 1 "$SCRATCH/table" | grep -q 'HOLDERS *DETAILS$' || fail "-o +DETAILS does not add the column last"
# ends NS WANT: the table line of namespace NS ends with WANT.
ends() {
	local line
	line=$(grep "^ *$1 " "$SCRATCH/table") || fail "no table line for $1"
	case $line in
	*" $2") ;;
	*) fail "namespace $1: want its DETAILS '$2', got the line '$line'" ;;
	esac
}
ends "$uts" "hostname $host, domainname $dom"
# valgrind does not know fsopen(2) and the like: under it nsfind cannot
# count the POSIX queues, and must say so.
mq=1
if [ -n "$NSFIND_WRAP" ] && grep -q "^ *$ipc .*mqueue uncounted$" "$SCRATCH/table"; then
	echo "note: under $NSFIND_WRAP the POSIX message queues are not counted"
	mq=uncounted
fi
ends "$ipc" "shm 2, sem 1, msg 3, mqueue $mq"
ends "$hu" "hostname nsft-gone$$, domainname (none)"
# Held only by a bind mount in another mount namespace: as root on 6.18+
# nsfind reopens it by its handle and counts; elsewhere it cannot reach it.
if [ "$(uname -r | cut -d. -f1)" -ge 7 ] || { [ "$(uname -r | cut -d. -f1)" -eq 6 ] &&
    [ "$(uname -r | cut -d. -f2)" -ge 18 ]; }; then
	hi_text="shm 0, sem 0, msg 0, mqueue ${mq/1/0}"
	hi_json='.shm == 0 and .unknown == null'
else
	hi_text="(no member: counts unknown)"
	hi_json='.shm == null and .unknown == "counts" and .reason == "no member"'
fi
ends "$hi" "$hi_text"

# JSON: on by default in -J, as an object.
nsfind -J >"$SCRATCH/all.json" 2>"$SCRATCH/err" || fail "nsfind -J: $(cat "$SCRATCH/err")"
# jdet NS FILTER: FILTER holds on the details of namespace NS.
jdet() {
	jq -e --argjson n "$1" --arg h "$host" --arg d "$dom" --arg mq "$mq" \
	    ".namespaces[] | select(.ns == \$n) | .details | $2" "$SCRATCH/all.json" >/dev/null ||
	    fail "-J details of $1: want $2, got $(jq -c --argjson n "$1" \
	    '.namespaces[] | select(.ns == $n) | .details' "$SCRATCH/all.json")"
}
jdet "$uts" '. == {hostname: $h, domainname: $d}'
jdet "$ipc" '{shm, sem, msg} == {shm: 2, sem: 1, msg: 3} and
    (.mqueue == 1 or ($mq == "uncounted" and .mqueue == null))'
jdet "$hu" '.hostname == "nsft-gone'$$'" and .unknown == null'
jdet "$hi" "$hi_json"
exit 0
