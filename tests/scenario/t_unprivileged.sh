#!/bin/bash
# nsfind run by an unprivileged user (nobody): it still succeeds with valid
# JSON, lists the caller's own namespaces, and says in the JSON and on stderr
# that it could not inspect the other processes.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd setpriv
need_cmd jq
scratch
export NSFIND_BIN NSFIND_WRAP

types="cgroup ipc mnt net pid time user uts"
asnobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
$asnobody true 2>/dev/null || skip "setpriv cannot switch to uid 65534"
[ -x "$NSFIND_BIN" ] && $asnobody test -x "$NSFIND_BIN" || skip "uid 65534 cannot run $NSFIND_BIN"

# The caller writes its own namespaces (to fd 3, opened here), then becomes
# nsfind: same process, same namespaces.
$asnobody bash -c '
	for t in '"$types"'; do
		printf "%s %s\n" "$t" "$(stat -L -c %i /proc/$$/ns/$t)" || exit 1
	done >&3
	exec 3>&- $NSFIND_WRAP "$NSFIND_BIN" -J' 3>"$SCRATCH/mine" >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
[ "$rc" -eq 0 ] || fail "nsfind -J as nobody exited $rc: $(cat "$SCRATCH/err")"
jq -e '.namespaces and .notes' "$SCRATCH/out" >/dev/null || fail "nsfind -J as nobody: not the JSON document: $(head -c 300 "$SCRATCH/out")"
[ "$(wc -l <"$SCRATCH/mine")" -eq 8 ] || fail "could not read the caller's namespaces"

while read -r t ino; do
	jq -e --arg t "$t" --argjson i "$ino" 'any(.namespaces[]; .ns == $i and .type == $t)' \
	    "$SCRATCH/out" >/dev/null || fail "the caller's $t ns $ino is not listed"
done <"$SCRATCH/mine"

note=$(jq -r '.notes[] | select(test("could not inspect"))' "$SCRATCH/out")
[ "$(grep -c . <<<"$note")" -eq 1 ] ||
    fail "want one 'could not inspect' note, got: $(jq -c .notes "$SCRATCH/out")"
grep -qxF "nsfind: note: $note" "$SCRATCH/err" || fail "the note is not on stderr: $(cat "$SCRATCH/err")"
# Only notes on stderr: nothing else went wrong.
extra=$(quiet_stderr "$SCRATCH/err" | grep -v '^nsfind: note: ')
[ -z "$extra" ] || fail "unexpected stderr: $extra"
exit 0
