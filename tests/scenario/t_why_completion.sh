#!/bin/bash
# Bash completion for --why: the option itself, and for its namespaces
# `ip netns` names and paths (a namespace file), after --why and for every
# later argument; no namespace is offered without --why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../completion/nsfind"

# offered WORD... -- CUR: completing CUR after nsfind WORD... offers $want.
offered() {
	local -a w=(nsfind)
	while [ "$1" != -- ]; do w+=("$1"); shift; done
	COMP_WORDS=("${w[@]}" "$2")
	COMP_CWORD=${#w[@]}
	COMPREPLY=()
	_nsfind
	printf '%s\n' "${COMPREPLY[@]}"
}
offered -- --wh | grep -qx -- --why || fail "--why not offered"
offered --why -- /proc/self/ns/ne | grep -qx /proc/self/ns/net || fail "no path after --why"
offered --why 123 -- /proc/self/ns/ut | grep -qx /proc/self/ns/uts || fail "no path for a later argument"
[ -z "$(offered -- /proc/self/ns/ne)" ] || fail "a path offered without --why"
name=$(ls /run/netns 2>/dev/null | grep -v / | head -n 1)
if [ -n "$name" ]; then
	offered --why -- "$name" | grep -qxF -- "$name" || fail "ip netns name $name not offered"
else
	echo "note: no ip netns name on this machine: names are not checked"
fi
exit 0
