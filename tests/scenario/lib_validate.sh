# Validators for output that carries hostile host bytes (t_robust_*.sh).
# Source after lib.sh, once scratch has made $SCRATCH.
#   validate text FILE   strict UTF-8, no raw control (but tab and newline)
#                        or bidi character (that escapes are applied once
#                        is checked on known input, in t_robust_hostile)
#   validate json FILE   strict UTF-8 that Python's json parses
#   validate prom FILE   text rules, and promtool check metrics if installed
cat >"$SCRATCH/validate.py" <<'PY'
import json, sys, unicodedata
kind, path = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
try:
    text = data.decode('utf-8')          # strict: no invalid byte
except UnicodeDecodeError as e:
    sys.exit(f"{path}: not UTF-8: {e}")
if kind == 'json':
    json.loads(text)
    sys.exit(0)
bad = {'\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c',
       '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'}
for n, line in enumerate(text.split('\n'), 1):
    for ch in line:
        if (unicodedata.category(ch) == 'Cc' and ch != '\t') or ch in bad:
            sys.exit(f"{path}:{n}: raw {ch!r} in: {line!r}")
PY
validate() {
	python3 "$SCRATCH/validate.py" "$1" "$2" || fail "$2 is not valid $1"
	if [ "$1" = prom ] && command -v promtool >/dev/null; then
		promtool check metrics <"$2" >"$2.promtool" 2>&1 ||
		    fail "promtool rejects $2: $(head -5 "$2.promtool")"
	fi
	return 0
}
# every_view DIR ARGS...: runs each view of nsfind (ARGS added) into DIR and
# validates it, stderr included; exit status 0 or 3 (incomplete) only.
every_view() {
	local d=$1 n rc
	shift
	local -a views=("table --output-all -u" "raw --output-all -r" "procs -P -u"
	    "links --links" "json -J" "pjson -P -J" "ljson --links -J" "dot --dot"
	    "prom --prometheus")
	for v in "${views[@]}"; do
		n=${v%% *}
		# shellcheck disable=SC2086
		nsfind ${v#* } "$@" >"$d/$n" 2>"$d/$n.err"
		rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] ||
		    fail "nsfind ${v#* } $* exited $rc: $(head -c 500 "$d/$n.err")"
		case $n in
		json|pjson|ljson) validate json "$d/$n" ;;
		prom) validate prom "$d/$n" ;;
		*) validate text "$d/$n" ;;
		esac
		validate text "$d/$n.err"
	done
}
