#!/bin/sh
# The map view tells the truth at every size (60x15, 80x24, 160x50), on a
# process with 6 threads and 6 glibc arenas: F10 stays on the key bar; the
# bar's committed is the rest of VSZ (resident included); insights are
# wrapped whole or marked where cut, the first one's knob shows from
# 80x24 on, and i lists every insight in full; narrow screens drop
# columns and keep names whole; the threads pane's titles line up with
# its rows, one STACK column, and the status line names its sort column
# plainly; [vsyscall]'s detail says why its VSZ is 0; the clocks stop
# while paused; the list says "N shown of M"; one arena is "1 glibc
# malloc arena maps", without "each".
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
for f in fix_threads fix_arenas; do
	[ -x "$FIXTURES/$f" ] || bail "$f fixture not built"
done
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

"$FIXTURES/fix_threads" 6 >"$tap_tmpdir/threads.out" &
spawn_register $!
wait_for 10 grep -Eq '^[0-9]+ [0-9]+$' "$tap_tmpdir/threads.out" ||
	bail "fix_threads did not start"
tp=$(cut -d' ' -f1 "$tap_tmpdir/threads.out")

# The knobs that end each insight of fix_threads.
knob_arenas="MALLOC_ARENA_MAX=1 would remove them"
knob_stacks="pthread_attr_setstacksize\\(\\) sets their size"
knob_libs="dependencies would shrink it"

# bar_adds_up: the bar's (or the narrow line's) figures: committed +
# reserved = VSZ, within the rounding of the sizes shown (3 %)
bar_adds_up() {
	tmux_screen | python3 -c '
import re, sys
units = {"K": 1, "M": 1024, "G": 1024 ** 2, "T": 1024 ** 3}
def kib(s):
    return 0 if s == "0" else float(s[:-1]) * units[s[-1]]
t = sys.stdin.read()
m = (re.search(r"VSZ (\S+) \[[#=-]+\] =committed (\S+), #resident (\S+)"
               r"  -reserved (\S+)", t) or
     re.search(r"VSZ (\S+) = committed (\S+) \+ reserved (\S+); "
               r"resident (\S+)", t))
if not m:
    sys.exit("no bar")
vsz, com = kib(m.group(1)), kib(m.group(2))
if "=committed" in m.group(0):
    res, rsv = kib(m.group(3)), kib(m.group(4))
else:
    rsv, res = kib(m.group(3)), kib(m.group(4))
ok = abs(com + rsv - vsz) <= 0.03 * vsz and res <= com * 1.03
sys.exit(0 if ok else "%s: %s + %s != %s" % (m.group(0), com, rsv, vsz))
'
}

# first_row_x TEXT: column of TEXT in the first row that has it
col_of() {	# col_of REGEX: 0-based column of the first match on screen
	tmux_screen | awk -v re="$1" 'match($0, re) { print RSTART - 1; exit }'
}

for size in 60x15 80x24 160x50; do
	cols=${size%x*}
	rows=${size#*x}
	tmux_start -- -d 0.5 -p "$tp"
	tmux_resize "$cols" "$rows"
	tmux_wait "^ *$tp " && tmux_keys Enter
	tmux_wait "PID $tp " || bail "$size: the map view did not open"
	tmux_wait "smaps every" 3

	tmux_screen | tail -1 | grep -q "F10Quit"
	ok $? "$size: F10 stays on the key bar"
	bar_adds_up
	ok $? "$size: committed + reserved = VSZ, resident within committed"

	# insights: whole, or marked where cut
	if [ "$cols" -ge 80 ]; then
		tmux_matches "$knob_arenas"
		ok $? "$size: the first insight is whole, its knob in sight"
	else
		tmux_matches '^ \* .* \.\.\.$'
		ok $? "$size: a cut insight ends with ..."
	fi
	if [ "$rows" -lt 50 ]; then
		tmux_matches "^ \\+ [0-9]+ more insights?: i shows" ||
			tmux_matches '\.\.\.$'
		ok $? "$size: what is left out of the insights is said"
	else
		tmux_matches "$knob_arenas" && tmux_matches "$knob_stacks" &&
			tmux_matches "$knob_libs"
		ok $? "$size: every insight whole"
	fi
	tmux_keys i
	tmux_wait "INSIGHTS" 3 && tmux_keys End && sleep 0.3 &&
		tmux_matches "$knob_libs"
	ok $? "$size: i lists every insight in full, scrollable"
	tmux_keys Home
	sleep 0.3
	tmux_screen | tr -s ' \n' '  ' | grep -Eq "$knob_arenas"
	ok $? "$size: ... the first one too"
	tmux_screen | tail -1 | grep -q "F10Quit"
	ok $? "$size: F10 on the insights pane's bar too"
	tmux_keys Escape
	tmux_wait "CATEGORY" 3

	# names whole; at 60 columns the least useful columns go
	tmux_keys / && tmux_type "tid " && tmux_keys Enter
	tmux_wait "[+-] tid [0-9]{3,}$" 3
	ok $? "$size: thread stacks' names are whole (tid N)"
	if [ "$cols" -lt 80 ]; then
		tmux_matches "VSZ +RESV +RSS" && tmux_not_matches " SWAP "
		ok $? "$size: SWAP goes before names are cut; VSZ RESV RSS stay"
	fi

	# [vsyscall] says why its VSZ is 0
	# (the first match is the category's label, which names it too)
	tmux_keys / && tmux_type "[vsyscall]" && tmux_keys Enter n
	tmux_wait "[+-] \\[vsyscall\\]$" 3
	# the detail pane: shown by default on a tall screen, else Tab
	sleep 0.3
	tmux_matches "^ detail" || tmux_keys Tab
	tmux_wait "^ detail" 3
	tmux_screen | tr -s ' \n' '  ' |
		grep -q "the kernel does not count \\[vsyscall\\] in VmSize"
	ok $? "$size: [vsyscall]'s detail: the kernel leaves it out of VmSize"

	# the threads pane
	tmux_keys t
	tmux_wait "TID S" 3
	title=$(tmux_screen | grep -m1 "TID ")
	[ "$(echo "$title" | grep -o STACK | wc -l)" -eq 1 ]
	ok $? "$size: one column titled STACK"
	nx=$(echo "$title" | awk '{ print index($0, "NAME") - 1 }')
	rx=$(col_of "fix_threads  [0-9a-f]")
	[ -n "$rx" ] && [ "$nx" = "$rx" ]
	ok $? "$size: names start under NAME ($nx, $rx)"
	tmux_keys '<'
	tmux_wait "sort: NAME" 3 && tmux_not_matches "sort: .*STACK"
	ok $? "$size: sorted by name, the status line says so plainly"
	tmux_keys Escape

	# paused: the clock stops
	tmux_keys Z
	tmux_wait "\\[paused\\]" 3
	c1=$(tmux_screen | head -1 | grep -Eo '[0-9]{2}:[0-9]{2}:[0-9]{2}')
	sleep 2.2
	c2=$(tmux_screen | head -1 | grep -Eo '[0-9]{2}:[0-9]{2}:[0-9]{2}')
	[ -n "$c1" ] && [ "$c1" = "$c2" ]
	ok $? "$size: the clock stops while paused ($c1, $c2)"
	tmux_keys Z Escape
	tmux_wait "Tasks: [0-9]+ shown of [0-9]+" 3
	ok $? "$size: the list says how many are shown of how many"
	tmux_keys F10
	tmux_wait "vmtop exited" 3
done

# One arena: singular, and no "each"
"$FIXTURES/fix_arenas" 1 "$tap_tmpdir/one.xml" >"$tap_tmpdir/one.out" &
spawn_register $!
wait_for 10 grep -q . "$tap_tmpdir/one.out" || bail "fix_arenas did not start"
ap=$(head -n 1 "$tap_tmpdir/one.out")
"$VMTOP" -b -n 1 -m -p "$ap" >"$tap_tmpdir/one.txt"
one="^  - 1 glibc malloc arena maps [0-9.]+ MiB \\([0-9.]+ [MK]iB reserved"
grep -Eq "$one" "$tap_tmpdir/one.txt" &&
	! grep -q "arena.*each" "$tap_tmpdir/one.txt"
ok $? "one arena: \"1 glibc malloc arena maps\", without \"each\""

done_testing
