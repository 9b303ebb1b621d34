#!/bin/sh
# The knobs pane ('e'), from the list and from the map view: a fixture
# started with MALLOC_ARENA_MAX=2 and a secret variable, under prlimit;
# the first is shown, the second never, and RLIMIT_STACK is what
# /proc/PID/limits says.  Then a user rule (--rules) renames a fixture's
# mapping: its insight, with its knob, is in the insights pane.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
command -v prlimit >/dev/null || skip_all "prlimit (util-linux) is needed"

env MALLOC_ARENA_MAX=2 VMTOP_TEST_SECRET=hunter2 \
	prlimit --stack=4194304:16777216 \
	"$FIXTURES/fix_sleep" "vtknob$$" >"$tap_tmpdir/pid" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/pid" || bail "fix_sleep did not start"
pid=$(cat "$tap_tmpdir/pid")
# RLIMIT_STACK as the kernel says, in the pane's words (4194304: "4 MiB")
soft=$(awk '/^Max stack size/ { print $4 / 1048576 }' "/proc/$pid/limits")
hard=$(awk '/^Max stack size/ { print $5 / 1048576 }' "/proc/$pid/limits")

tmux_start -- -d 1 -p "$pid"
tmux_wait "^ *$pid " || bail "the list did not show the fixture"
tmux_keys e
tmux_wait "KNOBS IN EFFECT"
ok $? "e in the list opens the knobs pane"
tmux_wait "^ *MALLOC_ARENA_MAX=2 *$"
ok $? "MALLOC_ARENA_MAX=2 is shown"
tmux_matches "caps glibc's malloc arenas"
ok $? "with what it does"
tmux_not_matches "hunter2|VMTOP_TEST_SECRET"
ok $? "the secret variable is never shown"
tmux_matches "^ *RLIMIT_STACK $soft MiB \\(hard $hard MiB\\)"
ok $? "RLIMIT_STACK $soft MiB, hard $hard MiB, as /proc/PID/limits says"
tmux_keys Escape
tmux_wait_gone "KNOBS IN EFFECT"
ok $? "Esc goes back to the tree"
tmux_keys e
tmux_wait "KNOBS IN EFFECT"
ok $? "e in the map view opens the knobs pane"
tmux_keys q q q
tmux_wait "vmtop exited"
ok $? "q leaves"

# --- a user rule renames a mapping -------------------------------------
TMPDIR=$tap_tmpdir "$FIXTURES/fix_names" vtrule >"$tap_tmpdir/names" &
spawn_register $!
wait_for 10 grep -q '^end' "$tap_tmpdir/names" || bail "fix_names did not start"
npid=$(sed -n 's/^pid //p' "$tap_tmpdir/names")
cat >"$tap_tmpdir/rules" <<'RULES'
/\/nscd\/vtrule$/ kind=anon group="vmtop tui cache" insight="the TUI test's cache" knob="TUI_CACHE_MB"
RULES
tmux_start -- -d 1 --rules "$tap_tmpdir/rules" -p "$npid"
tmux_wait "^ *$npid " || bail "the list did not show fix_names"
tmux_keys Enter
tmux_wait "Insights" || bail "the map view did not open"
tmux_keys i
tmux_wait "vmtop tui cache: the TUI test's cache"
ok $? "the rule's insight is in the insights pane"
tmux_wait "knob: TUI_CACHE_MB"
ok $? "with its knob"
tmux_keys q q q
tmux_wait "vmtop exited"
done_testing
