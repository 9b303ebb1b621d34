#!/bin/sh
# The list's tree view (F5), program totals (Tab) and thread rows (H),
# driven through tmux at 80x24 and 160x50 on fix_family: a parent with 3
# idle threads and 5 children sharing a 16 MiB MAP_SHARED mapping.  The
# tree is checked against ps's ppid, the folded parent's totals against
# each member's /proc figures, the program's count against pgrep -c, the
# thread rows against /proc/PID/task.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
command -v pgrep >/dev/null || skip_all "pgrep is needed"
[ -x "$VMTOP" ] || bail "VMTOP not set or not built"

"$FIXTURES/fix_family" 5 16 3 >"$tap_tmpdir/fam" &
fam=$!
spawn_register $fam
wait_for 20 grep -qx ready "$tap_tmpdir/fam" || bail "fix_family did not start"
kids=$(sed -n '2,6p' "$tap_tmpdir/fam")
for k in $kids; do
	spawn_register "$k"
done

# fmt_kib's text of a size in KiB (src/util/fmt.c): 3 digits at most
fmt_kib() {
	python3 -c '
import sys
k = int(sys.argv[1]); u = 0; div = 1
while u < 5 and k // div >= 1024:
    div *= 1024; u += 1
v = k / div
if k == 0: print("0")
elif u == 0: print("%dK" % k)
elif v < 9.995: print("%.2f%s" % (v, "KMGTPE"[u]))
elif v < 99.95: print("%.1f%s" % (v, "KMGTPE"[u]))
else: print("%.0f%s" % (v, "KMGTPE"[u]))' "$1"
}
sum_status() {	# sum_status FIELD: the family's sum of a status field
	for p in $fam $kids; do
		awk -v f="$1:" '$1 == f { print $2 }' "/proc/$p/status"
	done | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
row() {	# row PID: a list row of that process or thread
	echo "^ *$1 "
}
line_no() {	# line_no PID: its line on the screen
	tmux_screen | grep -En "$(row "$1")" | head -1 | cut -d: -f1
}

# the bracket keeps the pattern from matching vmtop's own command line
tmux_start -- -d 0.5 '^fix_famil[y]$'
tmux_resize 80 24
tmux_wait "$(row "$fam")" || bail "vmtop does not show the family"

# --- F5: the tree -------------------------------------------------------
tmux_keys F5
tmux_wait "View: tree" 3
ok $? "F5 turns the tree view on; the status says so"
tmux_wait "$(row "$fam").* - fix_family$" 3
ok $? "the parent is drawn unfolded"
bad=""
top=$(line_no "$fam")
for k in $kids; do
	[ "$(ps -o ppid= -p "$k" | tr -d ' ')" = "$fam" ] || bad="$bad ps:$k"
	tmux_matches "$(row "$k").*S     fix_family$" || bad="$bad depth:$k"
	[ "$(line_no "$k")" -gt "$top" ] || bad="$bad order:$k"
done
is "$bad" "" "each child, whose ppid ps says is the parent, is drawn under it"

# fold the parent: its row shows the family's totals
tmux_keys Home Left
tmux_wait "$(row "$fam").* \\+ fix_family$" 3
ok $? "Left folds the parent"
virt=$(fmt_kib "$(sum_status VmSize)")
res=$(fmt_kib "$(sum_status VmRSS)")
tmux_matches "$(row "$fam")[^ ]+ +[0-9]+ +$virt +$res "
ok $? "the folded parent shows the family's VIRT $virt and RES $res"
tmux_not_matches "$(row "$(echo "$kids" | head -1)")"
ok $? "its children are hidden"
tmux_keys Right
tmux_wait "$(row "$fam").* - fix_family$" 3
ok $? "Right unfolds it"

# --- Tab: program totals -----------------------------------------------
tmux_keys Tab
tmux_wait "View: programs" 3 && tmux_wait "PROCS" 3
ok $? "Tab shows program totals; the PID column counts processes"
count_ok() {
	n=$(pgrep -c -x fix_family)
	tmux_matches "^ +$n +.* \\+ fix_family$"
}
wait_for 5 count_ok
ok $? "the program row counts the processes pgrep -c counts ($n)"
tmux_keys Home Enter
tmux_wait "$(row "$fam")" 3 && tmux_matches "^ +[0-9]+ +.* - fix_family$"
ok $? "Enter on a program row unfolds its processes"
tmux_keys Enter
tmux_wait_gone "$(row "$fam")" 3
ok $? "Enter again folds them"
tmux_keys Tab
tmux_wait "View: tree" 3
ok $? "Tab again: back to the tree"

# --- H: threads ----------------------------------------------------------
tmux_keys H
tmux_wait "View: tree \\+ threads" 3
ok $? "H shows threads; the status says so"
tids=$(ls "/proc/$fam/task")
threads_ok() {
	for t in $tids; do
		tmux_matches "$(row "$t")[^ ]+ +(-|[0-9.]+) [A-Z] +fix_family$" ||
			return 1
	done
}
wait_for 5 threads_ok
ok $? "a row per task of /proc/$fam/task ($(echo $tids)), memory blank"
nthr=$(tmux_screen | grep -Ec "^ *[0-9]+ +[^ ]+ +(-|[0-9.]+) [A-Z] +fix_family$")
is "$nthr" "$(echo "$tids" | wc -w)" "no other thread rows (children have one thread)"
tmux_keys Home Left
tmux_wait "$(row "$fam").* \\+ fix_family$" 3 &&
	tmux_matches "$(row "$fam")[^ ]+ +[0-9]+ +$virt +$res "
ok $? "folded, the parent's totals leave the threads out"
tmux_keys Right
# Space on a thread's row (the first under its process): a thread is not
# a process to compare, and nothing is tagged
tmux_keys Down
sleep 0.3
tmux_keys Space
sleep 0.5
! tmux_screen | grep -Eq "^ *\*[0-9]+ "
ok $? "Space on a thread's row tags nothing"
tmux_keys U Home

# --- 160x50 ---------------------------------------------------------------
tmux_resize 160 50
tmux_wait "$(row "$fam").* - fix_family$" 3 && threads_ok
ok $? "at 160x50 the tree and its threads are drawn"
tmux_keys H
tmux_wait "View: tree  " 3 || tmux_wait "View: tree$" 3
ok $? "H again hides the threads"
tmux_keys F5
tmux_wait "View: list" 3 && tmux_wait "$(row "$fam").* fix_family$" 3
ok $? "F5 again: the flat list"
tmux_keys q
wait_for 5 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q quits with status 0"

done_testing
