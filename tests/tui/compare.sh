#!/bin/sh
# Tagging in the list (Space, U) and the compare view (=), through tmux:
# tags shown and kept across refreshes and sorting, dropped when their
# process exits; the compare view of two fix_arenas (2 threads; 6 with
# libz preloaded) at 80x24 and 160x50: the words, the aligned rows, the
# columns kept or dropped, unfold, search, detail, and back to the list.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_arenas" ] || bail "fix_arenas fixture not built"
[ -e /usr/lib/x86_64-linux-gnu/libz.so.1 ] || [ -e /lib64/libz.so.1 ] ||
	[ -e /usr/lib/aarch64-linux-gnu/libz.so.1 ] ||
	skip_all "libz.so.1 is not installed"

start_fix() {	# start_fix NAME [ENV...] -- ARGS: sets $pid
	name=$1
	shift
	env "$@" >"$tap_tmpdir/$name.out" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/$name.xml" ||
		bail "fix_arenas ($name) did not start"
	wait_for 10 grep -q . "$tap_tmpdir/$name.out"
	pid=$(head -n 1 "$tap_tmpdir/$name.out")
}

start_fix two "$FIXTURES/fix_arenas" 2 "$tap_tmpdir/two.xml"
p1=$pid
start_fix six LD_PRELOAD=libz.so.1 "$FIXTURES/fix_arenas" 6 \
	"$tap_tmpdir/six.xml"
p2=$pid

tmux_start -- -d 0.5 -p "$p1,$p2"
tmux_resize 80 24
tmux_wait "^ *$p1 " && tmux_wait "^ *$p2 "
ok $? "both processes listed"

tmux_keys =
tmux_wait "tag two or more processes with Space.*0 tagged"
ok $? "= with nothing tagged says what to do"

# sorted by VIRT: the six-thread one first; tag the other one first, so
# that it is the reference
tmux_keys Down Space
tmux_wait "^ *\*$p1 "
ok $? "Space tags: a * before the PID"
tmux_keys Up Space
tmux_wait "^ *\*$p2 " && tmux_matches "^ *\*$p1 "
ok $? "a second tag, the first kept"
sleep 1.2
tmux_keys N
tmux_wait "Sort: PID" && tmux_matches "^ *\*$p1 " &&
	tmux_matches "^ *\*$p2 "
ok $? "tags survive refreshes and sorting"
tmux_keys U
tmux_wait_gone "^ *\*[0-9]"
ok $? "U untags all"
# by PID: p1 < p2 (started first); tag p1, then p2
tmux_keys Home Space Space
tmux_wait "^ *\*$p2 " && tmux_matches "^ *\*$p1 "
ok $? "tagged again, in order"

tmux_keys =
tmux_wait "Compare: +1 = fix_arenas\[$p1\].* 2 = fix_arenas\[$p2\]" &&
	tmux_wait "maps 288 MiB more than fix_arenas\[$p1\]: 4 glibc arenas"
ok $? "= opens the compare view with the words"
tmux_screen >"$tap_tmpdir/80.txt"
grep -Eq " 128M .* 384M .*\+256M +glibc malloc arenas" \
	"$tap_tmpdir/80.txt" &&
	grep -Eq "\+32\.0M +thread stacks" "$tap_tmpdir/80.txt" &&
	grep -Eq "VSZ1 .*VSZ2 .*DIFF" "$tap_tmpdir/80.txt"
st=$?
ok $st "80x24: arenas and stacks with their difference, VSZ per process"
[ $st -eq 0 ] || sed 's/^/# /' "$tap_tmpdir/80.txt"
awk 'length($0) > 80 { bad = 1 } END { exit bad }' "$tap_tmpdir/80.txt"
ok $? "80x24: nothing wider than the screen"
grep -q "F1Help" "$tap_tmpdir/80.txt" &&
	grep -q "sort: DIFF" "$tap_tmpdir/80.txt"
ok $? "80x24: key bar and status line"

tmux_keys / && tmux_type "shared lib" && tmux_keys Enter Right
tmux_wait "libz\.so"
ok $? "search finds the libraries, Right unfolds: libz's own row"

tmux_resize 160 50
tmux_wait "N1 .*VSZ1 .*RSS1 .*N2 .*VSZ2 .*RSS2 .*DIFF"
ok $? "160x50: N, VSZ and RSS of each process"
tmux_wait "^ detail" && tmux_matches "^ 2 fix_arenas\[$p2\]: VSZ"
ok $? "160x50: the detail of the row under the cursor, per process"
tmux_screen >"$tap_tmpdir/160.txt"
grep -Eq "^ +2 +128M .* 6 +384M .*\+256M +glibc malloc arenas" \
	"$tap_tmpdir/160.txt" &&
	grep -Eq "^ +0 +- +- +1 +124K .*\+124K +.*/libz\.so" \
	"$tap_tmpdir/160.txt"
st=$?
ok $st "160x50: counts: 2 arenas against 6; libz in one only"
[ $st -eq 0 ] || sed 's/^/# /' "$tap_tmpdir/160.txt"

tmux_keys Escape
tmux_wait "Sort: PID"
ok $? "Esc goes back to the list, tags kept"

kill "$p1"
tmux_wait_gone "^ *\*?$p1 "
tmux_keys =
tmux_wait "tag two or more.*1 tagged"
ok $? "an exited process's tag goes"

tmux_keys q
wait_for 5 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q quits with status 0"

# four processes, the most the view compares: VSZ and RSS of each and
# DIFF (no N columns), each column a sort key of its own
start_fix three "$FIXTURES/fix_arenas" 3 "$tap_tmpdir/three.xml"
p3=$pid
start_fix four "$FIXTURES/fix_arenas" 4 "$tap_tmpdir/four.xml"
p4=$pid
start_fix five "$FIXTURES/fix_arenas" 5 "$tap_tmpdir/five.xml"
p5=$pid
tmux_start -- -d 0.5 -p "$p2,$p3,$p4,$p5"
tmux_resize 160 50
tmux_wait "^ *$p5 "
tmux_keys N Home Space Space Space Space =
tmux_wait "DIFF CAUSE" 10
tmux_matches " VSZ1 +RSS1 +VSZ2 +RSS2 +VSZ3 +RSS3 +VSZ4 +RSS4 +DIFF CAUSE" &&
	! tmux_matches " N1 "
ok $? "four processes: VSZ and RSS of each, then DIFF"
tmux_keys '<'
tmux_wait "sort: RSS4" 5 && tmux_matches "glibc malloc arenas"
ok $? "sorted by the fourth process's RSS, the view still whole"
tmux_keys q q
wait_for 5 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q, q: back to the list and out, status 0"
done_testing
