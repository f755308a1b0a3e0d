#!/bin/bash
# Every way to call nsfind wrongly: non-zero exit, exactly one line on stderr
# that names what was wrong, and nothing on stdout (no partial JSON with -J).
# Errors found while parsing come before any output, so they are tried once,
# with -J; those found after the scan are in t_cli_notfound.
. "$(dirname "$0")/lib.sh"
scratch

# WHAT the error must name | ARGS
while IFS='|' read -r what args; do
	# shellcheck disable=SC2086
	expect_error "$what" -J $args
done <<'EOF'
-Z|-Z
--bogus|--bogus
-t|-t
bogus|-t bogus
bogus|-t net,bogus
abc|-p abc
'0'|-p 0
-1|-p -1
BOGUS|-o NS,BOGUS
BOGUS|-o +BOGUS
sideways|-T sideways
sideways|-Tsideways
sideways|--tree=sideways
notanumber|notanumber
extra|4026531837 extra
exclude|-P --dot
exclude|--links --prometheus
container|--container=
EOF
exit 0
