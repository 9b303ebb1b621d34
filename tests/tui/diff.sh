#!/bin/sh
# vmtop --diff in the TUI, through tmux at 80x24: a snapshot of fix_leak
# and the live process 8 MiB of anon later open the compare view, "then"
# against "now", with what was matched on the status line, the words and
# the anon row's difference; q goes back to the list, q again quits.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_leak" ] || bail "fix_leak fixture not built"

t=$tap_tmpdir
"$FIXTURES/fix_leak" anon 0 8192 >"$t/leak.out" &
spawn_register $!
wait_for 10 grep -q . "$t/leak.out" || bail "fix_leak did not start"
pid=$(head -n 1 "$t/leak.out")
"$VMTOP" -b -J -m -n 1 -p "$pid" >"$t/a.json" || bail "no snapshot"
kill -USR1 "$pid"
wait_for 10 grep -q "grew 8192" "$t/leak.out" || bail "fix_leak did not grow"

tmux_start -- --no-config -d 0.5 --diff "$t/a.json"
tmux_resize 80 24
tmux_wait "Compare: +1 = $pid then .* 2 = $pid now"
ok $? "--diff opens the compare view: then and now"
tmux_wait "now maps 8 MiB more than then: anonymous memory 8 MiB"
ok $? "the words"
tmux_wait "comparing PID $pid \\(fix_leak\\) of .*a\.json"
ok $? "the status line says what was matched"
tmux_screen >"$t/80.txt"
grep -Eq " 20K .* 8\.02M .* \+8\.00M +anonymous memory" "$t/80.txt"
st=$?
ok $st "80x24: the anon row, +8.00M"
[ $st -eq 0 ] || sed 's/^/# /' "$t/80.txt"
awk 'length($0) > 80 { bad = 1 } END { exit bad }' "$t/80.txt"
ok $? "80x24: nothing wider than the screen"
grep -q "VSZ1 .*VSZ2 .*DIFF" "$t/80.txt"
ok $? "80x24: VSZ per side and DIFF"
tmux_keys q
tmux_wait "PID +USER"
ok $? "q closes it: the list (of the live processes) is under it"
tmux_keys q
wait_for 10 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q again quits with status 0"

done_testing
