#!/bin/sh
# The memory-map view, driven through tmux: the tree of a process with
# threads and arenas, folding that survives refreshes, search, the detail
# pane, the threads, arenas and DNS panes checked against /proc and the
# batch JSON, hostile mapping names, a process that exits while viewed,
# a process whose map is not readable, help at the view's keys, bars and
# mouse, and keys that mean what they mean in the list (Space, F6, /).
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
for f in fix_threads fix_sleep fix_nss fix_names; do
	[ -x "$FIXTURES/$f" ] || bail "$f fixture not built"
done
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

esc=$(printf '\033')

# start_fixture OUT PROGRAM ARGS...: starts it with stdout to OUT.
start_fixture() {
	out=$1
	shift
	"$@" >"$out" &
	spawn_register $!
	fixture_pid=$!
}

has_line() {	# has_line FILE REGEX
	grep -Eq "$2" "$1"
}

# Opens the map view of PID in a fresh vmtop: the list, then Enter.
open_map() {	# open_map PID [VMTOP-ARGS...]
	pid=$1
	shift
	tmux_start -- -d 0.5 "$@" -p "$pid"
	tmux_wait "^ *$pid " && tmux_keys Enter &&
		tmux_wait "PID $pid .*VSZ"
}

# The clock on the process line, which changes with every second.
clock() {
	tmux_screen | sed -n '1s/^ *\([0-9:]*\) .*/\1/p'
}
clock_moved() {	# clock_moved OLD: at least one refresh later
	[ "$(clock)" != "$1" ]
}
two_refreshes() {
	c=$(clock)
	wait_for 4 clock_moved "$c" && c=$(clock) && wait_for 4 clock_moved "$c"
}

# --- the tree of a threaded process -----------------------------------
start_fixture "$tap_tmpdir/threads.out" "$FIXTURES/fix_threads" 6
wait_for 10 has_line "$tap_tmpdir/threads.out" '^[0-9]+ [0-9]+$' ||
	bail "fix_threads did not start"
tp=$(cut -d' ' -f1 "$tap_tmpdir/threads.out")

open_map "$tp"
ok $? "Enter opens the map view of the selected process"
tmux_wait "glibc malloc arenas" && tmux_matches "thread stacks" &&
	tmux_matches "arena 0x[0-9a-f]+" && tmux_matches "tid [0-9]+"
ok $? "categories and their groups are shown: arenas, thread stacks"
tmux_matches "C, dynamic"
ok $? "the process line names the runtime"
tmux_matches "VSZ [0-9.]+[KMGT] \\[#*=*-+\\] =committed .*#resident .*-reserved"
ok $? "the VSZ bar splits committed (resident within) and reserved"
tmux_matches "^ \\* 6 glibc malloc arenas map"
ok $? "the insights are shown, largest first"
tmux_not_matches "[0-9a-f]{12}-[0-9a-f]{12} rw-p"
ok $? "regions start folded"
tmux_wait "smaps every [0-9.]+ s, [0-9.]+ ms each" 3
ok $? "the status line says the smaps cadence and cost"

tmux_keys /
tmux_type "libc.so"
tmux_wait "libc\\.so\\.6" 3 && tmux_keys Enter
ok $? "/ finds libc.so.6 in the tree"
tmux_keys / && tmux_type "l.bc" && tmux_keys Enter
tmux_wait "No match for the search" 3
ok $? "/ searches plain text, not a regex (as in the list)"

# Space folds and unfolds here (in the list it is unbound).
tmux_keys Home
tmux_wait "^ .* - glibc malloc arenas$" 3 && tmux_keys Space
tmux_wait "^ .* [+] glibc malloc arenas$" 3 && tmux_not_matches "arena 0x"
ok $? "Space folds the item under the cursor"
tmux_keys Space
tmux_wait "^ .* - glibc malloc arenas$" 3 && tmux_matches "arena 0x"
ok $? "Space again unfolds it"

# F6 is the sort menu, as in the list.
tmux_keys F6
tmux_wait " Sort by" 3 && tmux_matches "^ RSS " && tmux_keys Home Down Down Enter
tmux_wait "sort: RSS desc" 3 && tmux_wait_gone " Sort by" 3
ok $? "F6 opens the sort menu; Enter sorts by the entry chosen"
tmux_keys '<' '<'
tmux_wait "sort: VSZ desc" 3

# Unfold the first arena; it must stay unfolded across refreshes.
base=$(tmux_screen | sed -n 's/.*arena 0x\([0-9a-f]*\).*/\1/p' | head -1)
tmux_keys / && tmux_type "arena 0x$base" && tmux_keys Enter
tmux_keys Right
tmux_wait "^.* $base-[0-9a-f]{12} rw-p \\[ver" 3
ok $? "Right unfolds an arena: its regions appear"
two_refreshes
tmux_matches " $base-[0-9a-f]{12} rw-p \\[ver" &&
	tmux_matches "[0-9a-f]{12} ---p \\[res"
ok $? "the arena stays unfolded across refreshes"
tmux_keys / && tmux_type "$base-" && tmux_keys Enter
tmux_wait "heap_info: ar_ptr 0x[0-9a-f]+ +prev" 3 &&
	tmux_matches "Rss [0-9.]+[KM]" &&
	tmux_matches "VmFlags: .*rd \\(readable\\)"
ok $? "the detail pane shows heap_info, smaps fields and VmFlags spelled out"
tmux_keys Left Left
tmux_wait_gone " $base-[0-9a-f]{12} rw-p" 3
ok $? "Left goes to the parent, Left again folds it"
tmux_keys '*'
tmux_wait "^.* [0-9a-f]{12}-[0-9a-f]{12} r" 3 &&
	tmux_keys / && tmux_type "[guard" && tmux_keys Enter &&
	tmux_wait "---p \\[gu" 3
ok $? "* unfolds everything (guard pages of stacks show)"
tmux_keys -
tmux_wait_gone "---p \\[gu" 3
ok $? "- folds the deepest level"
tmux_matches "sort: VSZ desc"
ok $? "sorted by VSZ, descending, at first"
tmux_keys '>'
tmux_wait "sort: RESV desc" 3
ok $? "> sorts by the next column"
tmux_keys I
tmux_wait "sort: RESV asc" 3
ok $? "I inverts the order"
tmux_keys '<'
tmux_wait "sort: VSZ desc" 3
ok $? "< goes back (a column starts in its natural order)"
tmux_keys Z
tmux_wait "fix_threads \\[paused\\]" 3
ok $? "Z pauses"
tmux_keys Z
tmux_wait_gone "\\[paused\\]" 3
ok $? "Z resumes"
tmux_keys Tab
tmux_wait_gone "^ detail" 3
ok $? "Tab hides the detail pane"
tmux_keys Tab
tmux_wait "^ detail" 3
ok $? "Tab shows it again"
tmux_matches "TabDetail.*tThreads.*aArenas.*dDNS"
ok $? "the tree's function bar"

# --- arenas: compared with the batch JSON ------------------------------
"$VMTOP" -b -n 1 -m -J -p "$tp" >"$tap_tmpdir/tp.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for it in d["processes"][0]["maps"]["arenas"]["items"]:
    print(int(it["base"], 16) and format(int(it["base"], 16), "012x"))
' "$tap_tmpdir/tp.json" | sort >"$tap_tmpdir/bases.want"
tmux_keys a
tmux_wait "BASE +HEAPS +VSZ +RESV +COMMIT +RSS +VERIFIED" 3
ok $? "a shows the arenas pane"
tmux_screen | sed -n 's/^ *\([0-9a-f]\{12\}\) .* arena$/\1/p' | sort \
	>"$tap_tmpdir/bases.got"
is "$(wc -l <"$tap_tmpdir/bases.got" | tr -d ' ')" 6 \
	"exactly 6 arenas are listed"
cmp -s "$tap_tmpdir/bases.got" "$tap_tmpdir/bases.want"
ok $? "their bases are those of vmtop -b -m -J"
aligned=0
while read -r b; do
	[ $((0x$b % (64 * 1024 * 1024))) -eq 0 ] || aligned=1
done <"$tap_tmpdir/bases.got"
ok $aligned "every base is 64 MiB-aligned"
tmux_matches "main arena \\(\\[heap\\]" && tmux_matches "Cap: [0-9]+ arenas"
ok $? "the main arena has its own row, and the cap is explained"
tmux_matches "EscTree"
ok $? "the function bar changes with the pane"

# --- threads: every TID of /proc/PID/task ------------------------------
tmux_keys t
tmux_wait "TID S +CPU% +STACK +GUARD" 3
ok $? "t shows the threads pane"
missing=""
for d in /proc/"$tp"/task/*; do
	tid=${d##*/}
	tmux_matches "^ +$tid [A-Z] " || missing="$missing $tid"
done
[ -z "$missing" ]
ok $? "every TID of /proc/$tp/task is listed"
[ -n "$missing" ] && diag "missing:$missing"
tmux_matches " [0-9a-f]{12}-[0-9a-f]{12}$" && tmux_matches " 8\\.00M +4K "
ok $? "thread stacks show their range, size and guard"

# --- DNS pane when nothing is mapped -----------------------------------
tmux_keys d
tmux_wait "Nothing resolver-related is mapped" 3 &&
	tmux_matches "glibc's getaddrinfo"
ok $? "d says when nothing resolver-related is mapped"

# --- help, mouse, back ----------------------------------------------------
tmux_keys Escape
tmux_wait "TabDetail" 3
ok $? "Esc in a pane returns to the tree"
tmux_keys F1
tmux_wait "vmtop .* - keys" 3 &&
	tmux_screen | sed -n 2p | grep -q "^ Memory map: the tree"
ok $? "the help opens at the tree's keys"
tmux_matches "^ Space +unfold the item" && tmux_matches "unfold everything" &&
	tmux_matches "threads: TID"
ok $? "the help lists the keys of the map views"
tmux_keys q
tmux_wait "TabDetail" 3
ok $? "leaving the help returns to the map view"
tmux_keys t
tmux_wait "EscTree" 3 && tmux_keys '?'
tmux_wait "vmtop .* - keys" 3 &&
	tmux_screen | sed -n 2p | grep -q "^ Memory map: threads"
ok $? "from a pane, the help opens at the panes' keys"
tmux_keys Escape
tmux_wait "EscTree" 3 && tmux_keys Escape
tmux_wait "TabDetail" 3
bar=$(tmux_screen | tail -1)
x=$(awk -v s="$bar" 'BEGIN { print index(s, "tThreads") }')
tmux_click "$x" 29
tmux_wait "TID S +CPU%" 3
ok $? "a click on the bar switches pane"
tmux_keys Escape
tmux_wait "TabDetail" 3
tmux_keys / && tmux_type "tid " && tmux_keys Enter
tmux_wait "[+] tid [0-9]+$" 3
line=$(tmux_screen | grep -n "[+] tid [0-9]*$" | tail -1)
tid=${line##* }
tmux_click 20 $((${line%%:*} - 1))
tmux_wait "^thread stacks tid $tid$" 3
ok $? "a click selects a row (the detail follows)"
tmux_keys Home
tmux_wait "^glibc malloc arenas \\(arena\\): 6 groups" 3
y=$(($(tmux_screen | grep -n "^ .* - glibc malloc arenas$" | cut -d: -f1) - 1))
tmux_wheel down 20 "$y"
tmux_wait "^glibc malloc arenas arena 0x[0-9a-f]+$" 3
ok $? "the wheel moves the selection (three rows)"
tmux_keys Escape
tmux_wait "Tasks:" 3
ok $? "Esc in the tree returns to the list"
tmux_keys q
tmux_wait "vmtop exited"

# --- the arena cap and where it comes from -------------------------------
arena_rows() {
	tmux_screen | grep -cE '^ *[0-9a-f]{12} .* arena$'
}
tun=glibc.malloc.arena_max=3
for knob in "MALLOC_ARENA_MAX=2:2:set by MALLOC_ARENA_MAX=2" \
	"GLIBC_TUNABLES=$tun:3:set by GLIBC_TUNABLES $tun"; do
	assign=${knob%%:*}
	rest=${knob#*:}
	cap=${rest%%:*}
	why=${rest#*:}
	start_fixture "$tap_tmpdir/cap.out" env "$assign" \
		"$FIXTURES/fix_threads" 6
	wait_for 10 has_line "$tap_tmpdir/cap.out" '^[0-9]+ [0-9]+$'
	open_map "$(cut -d' ' -f1 "$tap_tmpdir/cap.out")"
	tmux_keys a
	tmux_wait "Cap: $cap arenas, the main one included; $why" 3
	ok $? "$assign: the cap and its source are shown"
	is "$(arena_rows)" $((cap - 1)) \
		"$assign: $((cap - 1)) arena(s) besides the main one"
	tmux_keys q q q
	tmux_wait "vmtop exited"
	kill "$fixture_pid"
done

# --- DNS pane with an NSS module ---------------------------------------
start_fixture "$tap_tmpdir/nss.out" "$FIXTURES/fix_nss"
wait_for 10 has_line "$tap_tmpdir/nss.out" '^[0-9]+$'
np=$(head -1 "$tap_tmpdir/nss.out")
module=$(sed -n 's/^module //p' "$tap_tmpdir/nss.out")
if [ -n "$module" ]; then
	open_map "$np"
	tmux_keys d
	tmux_wait "${module##*/}" 5 && tmux_matches "resolver-related mapping"
	ok $? "d shows the NSS module ${module##*/}"
	tmux_keys q q q
	tmux_wait "vmtop exited"
else
	ok 0 "# SKIP no NSS module was loaded (libnss_systemd missing)"
fi

# --- hostile mapping names -----------------------------------------------
start_fixture "$tap_tmpdir/names.out" "$FIXTURES/fix_names"
wait_for 10 has_line "$tap_tmpdir/names.out" '^end$'
fp=$(sed -n 's/^pid //p' "$tap_tmpdir/names.out")
open_map "$fp"
tmux_keys / && tmux_type "/nl" && tmux_keys Enter
tmux_wait '/nl\\nname' 3 && tmux_matches '/a b\\tc'
ok $? "newline and tab in mapping names are shown escaped"
tmux_matches '^ *[0-9.]+[KMG]? +[0-9.]+[KMG]? .* [-+] /.*/nl\\nname$'
ok $? "the row keeps its columns"
tmux_keys q q
tmux_wait "vmtop exited"
kill "$fixture_pid"
rm -rf "$(sed -n 's/^dir //p' "$tap_tmpdir/names.out")"

# --- changes are marked: a process whose maps never hold still --------
delta_marked() {	# the DELTA column (after 42 columns) says new, +N, -N
	tmux_screen | cut -c43-48 | grep -Eq '^ *(new|[+-][0-9.]+[KMGT]?)$'
}
if [ -x "$FIXTURES/fix_mapchurn" ]; then
	start_fixture "$tap_tmpdir/churn.out" "$FIXTURES/fix_mapchurn" 120
	wait_for 10 has_line "$tap_tmpdir/churn.out" '^[0-9]+$'
	cp=$(head -1 "$tap_tmpdir/churn.out")
	open_map "$cp"
	tmux_keys '*'
	wait_for 10 delta_marked
	ok $? "what appeared, grew or shrank is marked in the DELTA column"
	tmux_wait "^ went away: " 10
	ok $? "what went away is listed"
	tmux_keys q q
	tmux_wait "vmtop exited" && is "$(tmux_exit_status)" 0 \
		"a churning address space: the view survives and quits cleanly"
	kill "$fixture_pid"
else
	ok 0 "# SKIP fix_mapchurn not built"
fi

# --- a hostile process name --------------------------------------------
start_fixture /dev/null "$FIXTURES/fix_sleep" "$(printf '\033[31mred\tx')"
hp=$fixture_pid
open_map "$hp"
tmux_wait 'PID '"$hp"' .*\\e\[31mred\\tx  VSZ .* C, ' 3
ok $? "the process line shows a hostile name escaped"
tmux_keys t
tmux_wait '^ +'"$hp"' S .* \\e\[31mred\\tx +[0-9a-f]{12}-' 3
ok $? "so does the threads pane, columns intact"
! tmux_screen -e | grep -q "$esc\[31m"
ok $? "no escape sequence from the name reaches the terminal"
tmux_keys q q q
tmux_wait "vmtop exited"
kill "$hp"

# --- a kernel thread --------------------------------------------------
if [ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ]; then
	open_map 2
	tmux_wait "No memory map: a kernel thread has no user address" 3
	ok $? "a kernel thread: says it has no user address space"
	tmux_keys q q
	tmux_wait "vmtop exited"
else
	ok 0 "# SKIP PID 2 is not kthreadd here"
fi

# --- a process that exits while viewed ------------------------------------
start_fixture /dev/null "$FIXTURES/fix_sleep" "vtmapexit$$"
sp=$fixture_pid
open_map "$sp"
tmux_wait "shared libraries" 3
kill "$sp"
tmux_wait "process exited" 5
ok $? "the view says when the process exits"
tmux_matches "shared libraries" && tmux_matches "\\[process exited\\]"
ok $? "and keeps the last picture"
two_refreshes && tmux_matches "shared libraries"
ok $? "... across later refreshes"
tmux_keys Escape
tmux_wait "Tasks:" 3
ok $? "Esc leaves it"
tmux_keys q
tmux_wait "vmtop exited"

# --- limited access: vmtop as nobody looking at a root process ---------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
	id nobody >/dev/null 2>&1; then
	start_fixture /dev/null "$FIXTURES/fix_sleep" "vtmaproot$$"
	rp=$fixture_pid
	wrapper="$tap_tmpdir/as-nobody"
	{
		echo '#!/bin/sh'
		printf 'exec setpriv --reuid=nobody --regid=nogroup '
		printf -- '--clear-groups %s "$@"\n' "$(tmux_quote "$VMTOP")"
	} >"$wrapper"
	chmod +x "$wrapper"
	real=$VMTOP
	VMTOP=$wrapper
	open_map "$rp"
	VMTOP=$real
	tmux_wait "Memory map not readable: permission denied" 5
	ok $? "another user's process: says the map is not readable"
	tmux_matches "VSZ [0-9.]+[KMGT] +RSS [0-9.]+[KMGT]" &&
		tmux_matches " [0-9]+ threads? "
	ok $? "and shows VSZ, RSS and threads from the list row" ||
		tmux_show
	tmux_matches "Missing: the memory-map tree" &&
		tmux_matches "refused: /proc/$rp/maps \\(EACCES\\)" &&
		tmux_screen | tr -d '\n' | grep -q "run vmtop as uid 0, or"
	ok $? "and says what is missing and how to see it"
	tmux_keys q q
	tmux_wait "vmtop exited"
else
	ok 0 "# SKIP limited access needs root, setpriv and user nobody"
fi

done_testing
