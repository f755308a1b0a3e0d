#!/bin/bash
# --why with a namespace that does not exist, in every form it takes (an
# inode or id, TYPE:[INODE] also with the wrong type, an ip netns name, a
# missing path, a file that is no namespace), alone or after a good one;
# with nothing to explain; or with options it does not go with.  Each time:
# exit 1, exactly one line "nsfind: ..." on stderr naming the problem, and
# nothing on stdout, not even part of a JSON document.
. "$(dirname "$0")/lib.sh"
scratch

net=$(ns_ino $$ net)
for j in "" -J; do
	expect_error "namespace 12345 not found" --why $j 12345
	expect_error "namespace 12345 not found" $j --why=12345
	expect_error "net:[12345] not found" --why $j 'net:[12345]'
	expect_error "user:[$net] not found" --why $j "user:[$net]"
	expect_error "no namespace 'nsft-none-$$'" --why $j "nsft-none-$$"
	expect_error "cannot open namespace '/nonexistent/nsft$$'" --why $j "/nonexistent/nsft$$"
	expect_error "'/etc/hostname' is not a namespace file" --why $j /etc/hostname
	# A good one first changes nothing: no output until all are found.
	expect_error "namespace 12345 not found" --why $j "$net" 12345
done
expect_error "--why needs a namespace" --why
expect_error "--why needs a namespace" --why -J
expect_error "empty namespace" --why ''
for o in -P --links --prometheus --dot -T; do
	expect_error "--why draws its own tree" --why "$o" "$net"
done
expect_error "takes no --output" --why -o NS "$net"
expect_error "takes no --output" --why --output-all "$net"
expect_error "choose among --hidden" --why -t net "$net"
expect_error "choose among --hidden" --why -p $$ "$net"
# Without --why, one namespace at most, as before.
expect_error "unexpected argument" "$net" "$net"
exit 0
