#!/bin/bash
# The default table fits the terminal.  On a host with an `ip netns` mount
# copied into five mount namespaces made after it, a process with a long
# command line (a newline in it) and a container with a longish name,
# nsfind runs under a pseudo-terminal of 80, 100 and 120 columns:
#   - no line is wider than the terminal;
#   - the netns mount is named once, "bind-mount(/run/netns/X +N copies)"
#     with N >= 5, even when HOLDERS wraps it over several lines;
#   - NS and TYPE of every row are whole, and the container's name is
#     whole (its engine may give way: "name (…)" or "name…");
#   - a shortened COMMAND ends with the mark "…".
# Then what the options change, at 80 columns: -u keeps COMMAND whole, -W
# keeps HOLDERS on one line, -r shortens nothing; piped output is not
# fitted and shows the newline of the command line as \x0a.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd script
need_cmd python3
need_cmd ip
scratch
W=$SCRATCH
export LC_ALL=C.UTF-8

NET=$TAG-a
ip netns add "$NET" || fail "ip netns add $NET"
on_exit "ip netns del $NET"
NETINO=$(stat -L -c %i "/run/netns/$NET") || fail "no /run/netns/$NET"

# Five mount namespaces made after the mount: each has a copy of it.
for i in 1 2 3 4 5; do
	unshare -m --propagation unchanged sleep 1000 </dev/null &
	p=$!
	on_exit "kill_tree $p"
done
# A long command line, with a newline in an argument, in a uts ns of its own.
unshare --uts bash -c 'sleep 1000; :' "$TAG-a-long-argument-to-make-the-command-wide" \
    "and-another-argument-after-it" $'new\nline' </dev/null &
LONG=$!
on_exit "kill_tree $LONG"
# A container, as mininet starts its hosts ("mininet:NAME" in the shell's argv).
CNAME=$TAG-frontend
unshare --uts --ipc --net bash -c 'sleep 1000; :' "mininet:$CNAME" </dev/null &
CT=$!
on_exit "kill_tree $CT"
wait_for grep -q . "/proc/$LONG/task/$LONG/children" || fail "long-command process did not start"
wait_for grep -q . "/proc/$CT/task/$CT/children" || fail "container process did not start"
for i in $(seq 50); do
	n=$(grep -l "$NET" /proc/[0-9]*/mountinfo 2>/dev/null | wc -l)
	[ "$n" -ge 6 ] && break
	sleep 0.1
done
LONGUTS=$(ns_ino "$LONG" uts) CTUTS=$(ns_ino "$CT" uts) CTNET=$(ns_ino "$CT" net)

# pty COLS ARGS...: nsfind ARGS on a terminal of COLS columns, stdout only.
pty() {
	local cols=$1 cmd
	shift
	printf -v cmd '%q ' $NSFIND_WRAP "$NSFIND_BIN" "$@"
	script -qec "stty cols $cols; $cmd 2>/dev/null" /dev/null | tr -d '\r'
}

# check.py COLS FILE: the checks above on one table; prints what is wrong.
cat >"$W/check.py" <<'EOF'
import re, sys, unicodedata
cols, path = int(sys.argv[1]), sys.argv[2]
netino, netname, longino, ctinos, cname, mode = sys.argv[3:9]
ctinos = ctinos.split(',')
lines = open(path, encoding='utf-8').read().split('\n')
while lines and lines[-1] == '':
	lines.pop()
def width(s):
	return sum(0 if unicodedata.combining(c) else
	    2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
bad = []
if mode == 'fit':
	for l in lines:
		if width(l) > cols:
			bad.append('line of %d columns: %r' % (width(l), l))
hdr = lines[0]
off = {h: hdr.index(h) for h in ('NS', 'TYPE', 'CONTAINER', 'COMMAND', 'HOLDERS')}
rows = {}		# ino -> [line, continuation lines...]
cur = None
for l in lines[1:]:
	f = l.split()
	if f and re.fullmatch(r'[0-9]+', f[0]) and l[:off['TYPE']].strip() == f[0]:
		cur = f[0]
		if cur in rows:
			bad.append('NS %s on two rows' % cur)
		rows[cur] = [l]
	elif cur is not None:
		rows[cur].append(l)
def cell(ino, a, b=None):
	return [l[off[a]:off[b] if b else None] for l in rows[ino]]
if netino not in rows:
	bad.append('no row for the netns %s' % netino)
else:
	h = ''.join(re.sub(r'\s+', '', c) for c in cell(netino, 'HOLDERS'))
	want = '/run/netns/' + netname
	m = re.search(r'bind-mount\(' + re.escape(want) + r'\+([0-9]+)copies\)', h)
	# (A copy under another path, e.g. /old/run/netns/... after a
	# pivot_root elsewhere, is another mount: not counted here.)
	if h.count('(' + want) != 1 or not m or int(m.group(1)) < 5:
		bad.append('netns mount not named once with +N copies (N >= 5): %r' % h)
	if mode == 'nowrap' and len(rows[netino]) != 1:
		bad.append('-W: the netns row spans %d lines' % len(rows[netino]))
for ino, typ in [(longino, 'uts')] + [(i, None) for i in ctinos]:
	if ino not in rows:
		bad.append('no row for %s' % ino)
		continue
	f = rows[ino][0].split()
	if typ and f[1] != typ:
		bad.append('TYPE of %s: %r' % (ino, f[1]))
for ino in ctinos:
	if ino not in rows:
		continue
	c = cell(ino, 'CONTAINER', 'COMMAND')[0].strip()
	if c not in (cname + ' (mininet)', cname + ' (\u2026)', cname + '\u2026'):
		bad.append('CONTAINER of %s: %r, want the name %s whole' % (ino, c, cname))
if longino in rows:
	c = cell(longino, 'COMMAND', 'HOLDERS')[0].strip()
	if mode == 'fit' and not c.endswith('\u2026'):
		bad.append('COMMAND of %s not shortened with a mark: %r' % (longino, c))
	if mode == 'wide' and 'new\\x0aline' not in c:
		bad.append('-u: COMMAND of %s not whole: %r' % (longino, c))
for b in bad:
	print(b)
EOF
check() {
	local cols=$1 mode=$2 what
	shift 2
	pty "$cols" "$@" >"$W/t"
	what=$(python3 "$W/check.py" "$cols" "$W/t" "$NETINO" "$NET" "$LONGUTS" \
	    "$CTUTS,$CTNET" "$CNAME" "$mode") || fail "check.py failed"
	[ -z "$what" ] || { cat "$W/t"; fail "nsfind $* at $cols columns: $what"; }
}

for cols in 80 100 120; do
	check "$cols" fit
done
check 80 wide -u
check 80 nowrap -W

# -r shortens nothing, and piped output is not fitted.
pty 80 -r >"$W/raw"
grep -q $'\u2026' "$W/raw" && fail "-r output has a mark of shortening"
nsfind -o NS,COMMAND,HOLDERS >"$W/piped" 2>/dev/null || fail "nsfind piped"
grep -qF "and-another-argument-after-it new\\x0aline" "$W/piped" ||
    fail "piped: the command line is not whole with \\x0a for its newline: $(grep "^ *$LONGUTS " "$W/piped")"
grep "^ *$NETINO " "$W/piped" | grep -q "bind-mount(/run/netns/$NET +[0-9]* copies)" ||
    fail "piped: the netns mount is not named once with its count: $(grep "^ *$NETINO " "$W/piped")"
exit 0
