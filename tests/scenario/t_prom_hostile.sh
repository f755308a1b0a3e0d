#!/bin/bash
# --prometheus on a host whose names are hostile: every label value is
# valid UTF-8 with no control, C1 or bidirectional character, only \\ \"
# escapes, and `promtool check metrics` accepts the whole output (so the
# node exporter does not drop the file).  The names, each on a process in
# namespaces of its own:
#   unit      a cgroup named with systemd escapes: \xff (a raw byte once
#             unescaped, not UTF-8), \x1b (stays escaped), \x22 ("), \x5c
#             (\), \xc2\x9b (C1 CSI) and \xe2\x80\xae (U+202E): its exact
#             label value is checked
#   lxc       lxc.payload.<name> with the same bytes raw in the cgroup name
#   mininet   `bash -is mininet:<name>`, the name with a C1 CSI, a quote,
#             a backslash, U+202E and an invalid byte
#   electron  a binary named with an OSC title sequence (ESC ... BEL) and
#             the same, run as `<name> --type=zygote` (a name with C0
#             controls names no container: its label may be empty)
#   a command line and an interface name (a veth) with controls, quotes,
#             backslashes, bidi and invalid UTF-8, which the metrics do not
#             carry but must not break
# Labels are bounded: 20 more processes and 20 more bind mounts of one
# namespace change its series' value, never its labels or their number.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../helpers/ct_lib.sh"
need_root
need_cmd unshare
need_cmd promtool
need_cmd python3
need_cmd ip
[ -x "$HELPERS/ct_pause" ] || skip "no $HELPERS/ct_pause: run make unit"
scratch
ct_layouts >/dev/null
L=${CT_LAYOUTS%% *}

# Every namespace a case makes, to find its series.
declare -A pid
ns_of() { ns_ino "$1" uts; }

# unit: systemd escapes, unescaped by nsfind for the name.
unit="nsft-$$-\\xff\\x1b\\x22\\x5c\\xc2\\x9b\\xe2\\x80\\xae.service"
ct_case unit "$L" "/system.slice/$unit"
# What the label must read once parsed: escape.h's text form of the
# unescaped name (\xff, \x5c for the backslash that stays, \x1b kept as
# text, C1 and bidi as \xHH).
unit_want="nsft-$$-\\xff\\x5cx1b\"\\x5c\\xc2\\x9b\\xe2\\x80\\xae.service"

# lxc: the same bytes raw in a cgroup name (no control: a cgroup with one
# is no container's).
raw=$(printf 'nsft%s-\xff"\\\xc2\x9b\xe2\x80\xae' $$)
ct_case lxc "$L" "/lxc.payload.$raw"

# mininet: a host name with controls, as a command-line argument.
mkfifo "$SCRATCH/fifo" || fail "mkfifo"
mn=$(printf 'mininet:h\xc2\x9b2J"\\\xe2\x80\xae\xfe%s' $$)
unshare --uts --net bash --norc --noediting -is "$mn" <>"$SCRATCH/fifo" >/dev/null 2>&1 {CT_LOCK}<&- &
pid[mininet]=$!
on_exit "kill_tree ${pid[mininet]}"
# in_ns PID TYPE INO: PID runs (exec done) in namespace INO of TYPE.
in_ns() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" != nsenter ] &&
	    [ "$(ns_ino "$1" "$2" 2>/dev/null)" = "$3" ]
}
mn_shell() {
	[ "$(cat "/proc/${pid[mininet]}/comm" 2>/dev/null)" = bash ] &&
	    [ "$(ns_ino "${pid[mininet]}" uts)" != "$(ns_ino $$ uts)" ]
}
wait_for mn_shell || fail "the mininet shell did not start"

# electron: a binary named with the same bytes.
mkdir "$SCRATCH/bin" || fail "mkdir"
app=$(printf 'nsft\033]0;x\a"\\\xe2\x80\xae\xfe%s' $$)
ln -s "$HELPERS/ct_pause" "$SCRATCH/bin/$app" || fail "ln -s"
ct_start "pid[electron]" unshare --uts --ipc "$SCRATCH/bin/$app" --type=zygote --no-zygote-sandbox

# A command line and a veth name that no label carries.
ct_start "pid[cmdline]" unshare --uts --net bash -c 'exec -a "$0" sleep 1000' \
    "$(printf 'nsft\033[31m\n\x9b"\\\xe2\x80\xae\xff%s' $$)"
vname=$(printf 'n\033"\\\xff\xe2\x80\xae%d' $(($$ % 1000)))
ip link add "$vname" type veth peer name "nsftp$$" netns "/proc/${pid[cmdline]}/ns/net" ||
    fail "ip link add a veth with a hostile name"
on_exit "ip link del '$vname'"

# A namespace whose holders and tasks grow: labels must not.
ct_start "pid[grow]" unshare --uts sleep 1000
grow=$(ns_ino "${pid[grow]}" uts)

check() {
	nsfind --prometheus >"$SCRATCH/$1.prom" 2>"$SCRATCH/$1.err" ||
	    fail "nsfind --prometheus: $(cat "$SCRATCH/$1.err")"
	promtool check metrics <"$SCRATCH/$1.prom" >"$SCRATCH/lint" 2>&1 ||
	    fail "promtool check metrics: $(cat "$SCRATCH/lint")"
	# The exposition format, strictly: UTF-8, no control or bidi
	# character, label values with only \\ \" \n escapes.
	python3 - "$SCRATCH/$1.prom" <<'EOF' || fail "invalid exposition in $1.prom"
import re, sys, unicodedata
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")              # strict: raises on invalid UTF-8
value = r'"(?:[^"\\\n]|\\[\\"n])*"'
sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*=%s(,[a-zA-Z_][a-zA-Z0-9_]*=%s)*\})? -?[0-9]+$' % (value, value))
for n, line in enumerate(text.split("\n")[:-1], 1):
    for ch in line:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            sys.exit("line %d: character U+%04X: %r" % (n, ord(ch), line))
    if line.startswith("# HELP ") or line.startswith("# TYPE "):
        continue
    if not sample.match(line):
        sys.exit("line %d does not parse: %r" % (n, line))
    if len(line) > 2048:
        sys.exit("line %d is %d characters long" % (n, len(line)))
EOF
}

# series FILE NS: the labels of NS's info series, parsed (one per line,
# name=value with the exposition escapes undone).
series() {
	python3 - "$1" "$2" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
found = 0
for line in text.split("\n"):
    if not line.startswith('nsfind_namespace_info{ns="%s",' % sys.argv[2]):
        continue
    found += 1
    for k, v in re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', line):
        v = re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), v)
        print("%s=%s" % (k, v))
if found != 1:
    sys.exit("%d series for ns %s" % (found, sys.argv[2]))
EOF
}

check before
for k in unit lxc mininet electron cmdline; do
	n=$(ns_of "${pid[$k]}")
	series "$SCRATCH/before.prom" "$n" >"$SCRATCH/$k.labels" ||
	    fail "$k: uts:[$n] has no single info series"
done
grep -qxF "container=$unit_want" "$SCRATCH/unit.labels" ||
    fail "unit: want container=$unit_want, got $(grep container= "$SCRATCH/unit.labels")"
# Each hostile name shows, escaped: its plain part is in the label.
for k in lxc mininet; do
	grep -q "^container=.*nsft.*$$\|^container=h.*$$" "$SCRATCH/$k.labels" ||
	    fail "$k: no container label naming it: $(cat "$SCRATCH/$k.labels")"
done

# Grow: one process and one bind mount more on a namespace, then 19 more
# of each: the second step changes its series' value only.
grow_by() {
	local i p
	for i in $(seq "$1" "$2"); do
		nsenter -t "${pid[grow]}" -u sleep 1000 </dev/null >/dev/null 2>&1 {CT_LOCK}<&- &
		p=$!
		on_exit "kill $p"
		wait_for in_ns "$p" uts "$grow" ||
		    fail "sleep $p did not enter uts:[$grow]"
		touch "$SCRATCH/m$i" || fail touch
		mount --bind "/proc/${pid[grow]}/ns/uts" "$SCRATCH/m$i" || fail "mount --bind"
		on_exit "umount -l '$SCRATCH/m$i'"
	done
}
grow_by 1 1
check one
series "$SCRATCH/one.prom" "$grow" >"$SCRATCH/grow.one" || fail "uts:[$grow]: no series"
# holders: a set of kinds, each once.  (Another nsfind running at the same
# moment may add "fd" for an instant: compare the rest exactly.)
kinds_ok() {
	local h
	h=$(sed -n 's/^holders=//p' "$1")
	case ",$h," in *,process,*bind-mount,*) ;; *) return 1 ;; esac
	[ "$(tr , '\n' <<<"$h" | sort | uniq -d)" = "" ]
}
kinds_ok "$SCRATCH/grow.one" || fail "uts:[$grow] holders: $(grep holders= "$SCRATCH/grow.one")"
grow_by 2 20
check after
series "$SCRATCH/after.prom" "$grow" >"$SCRATCH/grow.after" || fail "uts:[$grow]: no series after"
kinds_ok "$SCRATCH/grow.after" || fail "uts:[$grow] holders: $(grep holders= "$SCRATCH/grow.after")"
diff <(grep -v ^holders= "$SCRATCH/grow.one") <(grep -v ^holders= "$SCRATCH/grow.after") >/dev/null ||
    fail "labels changed with more holders: $(diff "$SCRATCH/grow.one" "$SCRATCH/grow.after")"
# One series per namespace, never per holder or process.  (How many
# namespaces the host has is other tests' business: not compared.)
dup=$(grep -o '^nsfind_namespace_info{ns="[0-9]*"' "$SCRATCH/after.prom" | sort | uniq -d)
[ -z "$dup" ] || fail "namespaces with more than one info series: $dup"
v=$(grep "^nsfind_namespace_info{ns=\"$grow\"," "$SCRATCH/after.prom" | sed 's/.* //')
[ "$v" -ge 21 ] || fail "uts:[$grow] has value $v, want its 21 tasks"
ct_done
