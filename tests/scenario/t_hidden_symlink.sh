#!/bin/bash
# Hidden, hostile: the mount table of a mount namespace names an nsfs
# mount at a path that, inside that namespace, now leads elsewhere: a
# tmpfs mounted over a parent directory holds a symlink where the path
# went (to a decoy nsfs mount, and, seen from a process's root, to a mount
# that exists only in our namespace) or a FIFO where the nsfs file was.
#
# The rule: nsfind opens bind mounts without following any symlink, from
# the namespace's own root, and only ever opens an nsfs file for real.  It
# still lists the shadowed namespaces from the mount table, with their
# holder, and says it could not open them; it attributes nothing to the
# decoys; it never follows a planted symlink (the symlink's atime, older
# than its ctime, would be updated by a follow under relatime: checked to
# work first); and it does not hang on the FIFO.
#
# Why an overmount: a directory on the path of a live mount cannot simply
# be swapped for a symlink.  Removing it fails while it holds the mount
# point, and renaming it moves the path the kernel reports along with it
# (mountinfo and statmount print the current path), so the table would
# still match the lookup.  Covering a parent with another filesystem is
# what makes the two disagree.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

OLD=946684800	# an atime long before the symlink's ctime

# plant DIR TARGET: inside the current mount namespace, cover DIR with a
# tmpfs in which DIR/b is a symlink to TARGET and DIR/g a FIFO, the
# symlink's atime set back.
plant='d=$1; mount -t tmpfs -o size=64k,mode=0755 nsft "$d" &&
	ln -s "$2" "$d/b" && mkfifo "$d/g" && touch -h -a -d @'$OLD' "$d/b"'

# A. A mount namespace with no process, held by an fd of nshold.
mkdir -p "$W/a/b" "$W/decoy" || fail "mkdir"
touch "$W/a/b/f" "$W/a/g" "$W/decoy/f" || fail "touch"
hold h mnt "unshare --net=$W/a/b/f true && unshare --net=$W/a/g true &&
    unshare --net=$W/decoy/f true &&
    stat -c %i $W/a/b/f $W/a/g $W/decoy/f >$W/a.ino &&
    sh -c '$plant' - $W/a $W/decoy"
m=$(field "$W/h" mnt 2) mfd=$(field "$W/h" mnt 3) hp=$HP
{ read -r na1; read -r na2; read -r nadecoy; } <"$W/a.ino"
inm() { nsenter --mount="/proc/$hp/fd/$mfd" "$@"; }
atime_a() { inm stat -c %X "$W/a/b"; }

# B. A mount namespace with a process; the symlink is absolute and leads,
# from our root, to a mount that only our namespace has.
mkdir -p "$W/p/b" "$W/ours" || fail "mkdir"
touch "$W/p/b/f" "$W/p/g" "$W/ours/f" || fail "touch"
unshare --mount --propagation private sh -c "unshare --net=$W/p/b/f true &&
    unshare --net=$W/p/g true && stat -c %i $W/p/b/f $W/p/g >$W/p.ino &&
    sh -c '$plant' - $W/p $W/ours && touch $W/p.ready && exec sleep 1000" &
sp=$!
on_exit "kill_tree $sp"
settle test -e "$W/p.ready" || fail "could not build B"
is_sleep() { [ "$(cat "/proc/$sp/comm")" = sleep ]; }
settle is_sleep || fail "B did not settle"
unmount_later "$W/ours/f"
unshare --net="$W/ours/f" true || fail "unshare --net=$W/ours/f"
{ read -r nb1; read -r nb2; } <"$W/p.ino"
nours=$(stat -c %i "$W/ours/f")
mb=$(ns_ino "$sp" mnt)
atime_b() { stat -c %X "/proc/$sp/root$W/p/b"; }
ours "$m" "$na1" "$na2" "$nadecoy" "$mb" "$nb1" "$nb2" "$nours"

# The tell-tale works: following the symlink updates its atime.
inm stat -L "$W/a/b/f" >/dev/null
[ "$(atime_a)" != "$OLD" ] || skip "a followed symlink keeps its atime here"
inm touch -h -a -d @$OLD "$W/a/b" || fail "reset atime"
[ "$(atime_a)" = "$OLD" ] && [ "$(atime_b)" = "$OLD" ] || fail "atimes not set"

# Below the runner's 120 s, to say why; a blocking open would never end.
timeout 100 $NSFIND_WRAP "$NSFIND_BIN" -J >"$W/out.json" 2>"$W/err"
rc=$?
[ $rc -ne 124 ] || fail "nsfind did not end in 100 s (a FIFO opened for real?)"
[ $rc -eq 0 ] || fail "nsfind -J exited $rc: $(cat "$W/err")"

[ "$(atime_a)" = "$OLD" ] || fail "nsfind followed the symlink in the hidden mount ns"
[ "$(atime_b)" = "$OLD" ] || fail "nsfind followed the symlink under /proc/$sp/root"
for x in a:"$m":"$na1":"$na2" p:"$mb":"$nb1":"$nb2"; do
	IFS=: read -r d mm n1 n2 <<<"$x"
	ok "$n1, under the symlink, listed once from the mount table, hidden" \
	    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' \
	    --argjson n "$n1"
	ok "$n1's holder is the mount the table names" \
	    '(ns($n)[0] | held | map({kind, path, mntns})) ==
	    [{kind: "bind-mount", path: $p, mntns: $m}]' \
	    --argjson n "$n1" --arg p "$W/$d/b/f" --argjson m "$mm"
	ok "$n2, under the FIFO, listed once, hidden, its mount named" \
	    'ns($n) | length == 1 and .[0].hidden and (.[0] | held |
	    map({kind, path, mntns}) == [{kind: "bind-mount", path: $p, mntns: $m}])' \
	    --argjson n "$n2" --arg p "$W/$d/g" --argjson m "$mm"
done
ok "the decoy keeps its one holder" \
    '(ns($n)[0] | held | map({kind, path, mntns})) ==
    [{kind: "bind-mount", path: $p, mntns: $m}]' \
    --argjson n "$nadecoy" --arg p "$W/decoy/f" --argjson m "$m"
ok "our own mount keeps its one holder" \
    '(ns($n)[0] | held | map({kind, path, mntns})) ==
    [{kind: "bind-mount", path: $p, mntns: $m}]' \
    --argjson n "$nours" --arg p "$W/ours/f" --argjson m "$(ns_ino $$ mnt)"
# The tmpfs over a/ and p/ covers the mounts below: their paths lead to
# the planted symlink and FIFO, so they are never walked, only named.
ok "a note says which mounts are covered, and by what" \
    'any(.notes[]; test("covered namespace bind mount.*covered by tmpfs on "))'
ok "the covered mounts say so in their holders" \
    '[.namespaces[].holders[] | select(.kind == "bind-mount" and .covered)
    | .covered_by] | length >= 4'
kill -0 "$hp" && kill -0 "$sp" || fail "a process of ours died"
[ -p "/proc/$sp/root$W/p/g" ] || fail "the FIFO is gone"
exit 0
