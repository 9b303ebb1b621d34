#!/bin/sh
# vmtop -m in the TUI starts in the memory map of the process named by -p;
# Esc goes back to the list.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$FIXTURES/fix_threads" ] || bail "fix_threads fixture not built"

"$FIXTURES/fix_threads" 3 >"$tap_tmpdir/thr" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/thr" || bail "fix_threads did not start"
pid=$(cut -d' ' -f1 "$tap_tmpdir/thr")

tmux_start -- -m -p "$pid"
tmux_wait "PID $pid fix_threads"
ok $? "-m -p PID opens that process's memory map"
tmux_wait "glibc malloc arenas"
ok $? "the tree shows its arenas"
tmux_wait "3 glibc malloc arenas map"
ok $? "and the insight names the three arenas"

tmux_keys Escape
tmux_wait "PID +USER"
ok $? "Esc goes back to the process list"
tmux_matches "fix_threads"
ok $? "which shows the process"

tmux_keys q
wait_for 10 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q quits with status 0"
done_testing
