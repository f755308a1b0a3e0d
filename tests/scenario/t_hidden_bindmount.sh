#!/bin/bash
# Hidden: a network namespace bind-mounted on an arbitrary file outside
# /run/netns, with no process in it, is listed with a bind-mount holder
# naming that path in our mount namespace.  A path with a space, a tab, a
# newline and a backslash comes out raw in JSON and escaped on one line in
# the table.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd jq
W=$(mktemp -d "/tmp/$TAG.XXXXXX") || fail "mktemp"
on_exit "rm -rf --one-file-system $W"
. "$(dirname "$0")/lib_hidden.sh"

host_mnt=$(ns_ino $$ mnt)
plain=$W/netns
odd=$W/$'a b\tc\nd\\e'
for f in "$plain" "$odd"; do
	touch "$f" || fail "touch"
	unmount_later "$f"
	unshare --net="$f" true || fail "unshare --net=$f"
done
n1=$(stat -c %i "$plain") n2=$(stat -c %i "$odd")
ours "$n1" "$n2"
[ "$n1" != "$n2" ] || fail "two bind mounts of one netns"

# One scan: --hidden must list them, with all they say.
scan --hidden
for n in "$n1" "$n2"; do
	ok "netns $n listed once, type net, hidden" \
	    'ns($n) | length == 1 and .[0].type == "net" and .[0].hidden' \
	    --argjson n "$n"
done
ok "bind-mount holder of $plain" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m, chain: $p}]' \
    --argjson n "$n1" --arg p "$plain" --argjson m "$host_mnt"
ok "odd path raw in JSON" \
    '(ns($n)[0] | held) == [{kind: "bind-mount", path: $p, mntns: $m, chain: $p}]' \
    --argjson n "$n2" --arg p "$odd" --argjson m "$host_mnt"

# The table: one line for the odd one, its path escaped, nothing raw.
nsfind -o NS,HOLDERS -u >"$W/table" 2>"$W/err" || fail "nsfind -o NS,HOLDERS -u"
want="bind-mount($W/a b\\x09c\\x0ad\\x5ce)"  # escape.h: util-linux \\xHH, exactly once
line=$(grep "^ *$n2 " "$W/table") || fail "no table line for $n2"
[ "$(grep -c "^ *$n2 " "$W/table")" -eq 1 ] || fail "$n2 on more than one line"
# Ours is the mount in our mount ns, "bind-mount(PATH)" with nothing after
# PATH but, when mount namespaces made meanwhile have copies of it, how
# many: "bind-mount(PATH +N copies)".
case "$line" in
*"$want"*) ;;
*"${want%)} +1 copy)"* | *"${want%)} +"[0-9]*" copies)"*) ;;
*) fail "table line for $n2: got '$line', want '$want' in it" ;;
esac
grep -q '^d' "$W/table" && fail "a raw newline split the path"
grep -qF "$(printf '\t')" "$W/table" && fail "a raw tab in the table"
exit 0
