#!/bin/sh
# Stress: names made of format characters and C1 controls in the TUI.  A
# process whose comm, argument and mapped path hold U+202E (right-to-left
# override: "\u202efdp.exe" displays as "exe.pdf") and U+009B (C1 CSI) is
# shown in the process list, the map view (header and tree), the detail
# pane and the DNS resolver pane (its path is under /nscd/): every one
# must write them as escapes (\u202e, and \xc2\x9b or \u009b), never raw.
# Before format characters were escaped they reached the terminal as
# they are, and the DNS pane drew "?".
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
[ -x "$FIXTURES/fix_names" ] || bail "fix_names fixture not built"
case $(tmux_locale) in
C) skip_all "no UTF-8 locale" ;;
esac

rlo=$(printf '\342\200\256')
csi=$(printf '\302\233')
name="${rlo}fdp.exe${csi}"
"$FIXTURES/fix_names" "$name" >"$tap_tmpdir/fix" &
spawn_register $!
wait_for 10 grep -q "^end" "$tap_tmpdir/fix" || bail "fix_names did not start"
pid=$(sed -n 's/^pid //p' "$tap_tmpdir/fix")
dir=$(sed -n 's/^dir //p' "$tap_tmpdir/fix")
# the fixture's directory goes with the test's (its files stay mapped
# until the fixture is killed, which tap_cleanup does first)
cleanup() {
	tmux_cleanup
	[ -n "$dir" ] && rm -rf "$dir"
}
trap cleanup EXIT

# escaped NAME SCREEN: SCREEN shows the name escaped and no raw character
escaped() {
	! grep -q -e "$rlo" -e "$csi" "$2" &&
		grep -Eq '\\u202efdp\.exe(\\xc2\\x9b|\\u009b)' "$2"
}
check() {	# check FILE WHAT
	tmux_screen >"$1"
	escaped "$name" "$1"
	st=$?
	[ $st -eq 0 ] || { diag "$2:"; sed 's/^/#   |/' "$1"; }
	ok $st "$2: escaped, never raw"
}

tmux_start -- -d 0.5 -p "$pid"
tmux_wait "fdp\.exe" 15 || bail "the fixture did not show in the list"
check "$tap_tmpdir/list" "process list"
tmux_keys Enter
tmux_wait "PID $pid" 10 || bail "the map view did not open"
tmux_keys / && tmux_type "fdp.exe" && tmux_keys Enter
tmux_wait "nscd/" 10
check "$tap_tmpdir/map" "map view (header and tree)"
# the detail pane describes the selected region, the file found above
sed -n '/ detail/,$p' "$tap_tmpdir/map" >"$tap_tmpdir/detail"
grep -q "fdp" "$tap_tmpdir/detail" || {
	tmux_keys Tab
	sleep 0.5
	tmux_screen | sed -n '/ detail/,$p' >"$tap_tmpdir/detail"
}
escaped "$name" "$tap_tmpdir/detail"
ok $? "detail pane: escaped, never raw"
tmux_keys d
tmux_wait "nscd cache" 10
check "$tap_tmpdir/dns" "DNS pane"
! grep -q "nscd/?fdp" "$tap_tmpdir/dns"
ok $? "DNS pane: no '?' in place of the characters"
tmux_keys F10
tmux_wait "vmtop exited" 10
done_testing
