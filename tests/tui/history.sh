#!/bin/sh
# Baseline and history in the map view, through tmux: b keeps the
# picture as DELTA's baseline (the status line says since when); after
# fix_leak maps 8 MiB more on SIGUSR1, DELTA of anonymous memory says
# +8.00M since the baseline, refreshes later too; b again clears it.
# The TREND column draws a sparkline per category at 80x24 and 160x50
# (UTF-8 blocks), the process line one for VSZ and RSS where it has room
# (160 columns), and the growth insight appears while the fixture leaks.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_leak" ] || bail "fix_leak fixture not built"

# --- baseline: a fixture that grows only when told ----------------------
"$FIXTURES/fix_leak" anon 0 8192 >"$tap_tmpdir/step.out" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/step.out" || bail "fix_leak did not start"
sp=$(head -n 1 "$tap_tmpdir/step.out")

tmux_start -- -d 0.5 -p "$sp"
tmux_resize 80 24
tmux_wait "^ *$sp " && tmux_keys Enter && tmux_wait "PID $sp .*VSZ"
ok $? "the map view of fix_leak opens at 80x24"
tmux_keys b
tmux_wait "Baseline set: DELTA is the change since [0-9]{2}:[0-9]{2}:[0-9]{2}" 3
ok $? "b sets the baseline and says its time"
base=$(tmux_screen | sed -n 's/.*change since \([0-9:]*\).*/\1/p')
kill -USR1 "$sp"
wait_for 5 grep -q "^grew 8192" "$tap_tmpdir/step.out"
ok $? "the fixture mapped 8 MiB more"
tmux_wait "^ *[0-9.]+[KMG] .* \\+8\\.00M .*anonymous memory" 5
ok $? "DELTA of anonymous memory: +8.00M since the baseline"
tmux_keys j	# any key: the status line goes back to the cadence
tmux_wait " sort: VSZ desc  DELTA since $base " 3
ok $? "the status line says DELTA since $base"
sleep 2	# four refreshes later: a per-refresh mark would be gone
tmux_matches "^ *[0-9.]+[KMG] .* \\+8\\.00M .*anonymous memory"
ok $? "the baseline's DELTA stays, refreshes later"
tmux_keys b
tmux_wait "Baseline cleared" 3 &&
	tmux_wait_gone "\\+8\\.00M" 3
ok $? "b again clears it; DELTA is per refresh again"

# --- TREND: a fixture that leaks ------------------------------------------
"$FIXTURES/fix_leak" anon 512 >"$tap_tmpdir/leak.out" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/leak.out" || bail "fix_leak did not start"
lp=$(head -n 1 "$tap_tmpdir/leak.out")

blocks='[▁▂▃▄▅▆▇█]'
# trend_ok: TREND is a title, anonymous memory's sparkline rises
trend_ok() {
	tmux_matches " TREND +CATEGORY" &&
		tmux_matches "${blocks}{8} [-+] anonymous memory" &&
		tmux_matches "█ [-+] anonymous memory"
}
tmux_start -- -d 0.5 -p "$lp"
tmux_resize 80 24
tmux_wait "^ *$lp " && tmux_keys Enter && tmux_wait "PID $lp .*VSZ"
wait_for 10 trend_ok
ok $? "80x24: TREND draws a rising sparkline of anonymous memory"
[ "$(tmux_cmd display-message -p '#{pane_width}x#{pane_height}')" = 80x24 ] &&
	tmux_matches "  VSZ  RESV   RSS   PSS     N  DELTA TREND    CATEGORY"
ok $? "80x24: SWAP and DIRTY make room for TREND; names keep 30 cells"
tmux_wait "^ \\* anon grew [0-9.]+ [KM]iB in [0-9]+ s \\([0-9.]+ [KM]iB/min, in [0-9]+ of the last [0-9]+ refreshes\\)" 10
ok $? "the growth insight is first"
tmux_resize 160 50
tmux_wait " SWAP DIRTY .* TREND +CATEGORY" 3 && trend_ok
ok $? "160x50: every column, TREND too"
tmux_matches "VSZ [0-9.]+[KMG] ${blocks}{8}  RSS [0-9.]+[KMG] ${blocks}{8}  PSS .* user "
ok $? "160x50: the process line has VSZ and RSS sparklines, and room"
tmux_keys q q
done_testing
