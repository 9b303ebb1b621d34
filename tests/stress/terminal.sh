#!/bin/sh
# Stress: the terminal, for the process list and the map views.  Closed or non-terminal
# standard input, a terminal that cannot address the cursor, an unknown
# TERM, 50 resizes in a row, a 20x5 window, and SIGTERM, SIGINT and
# SIGHUP (in every view): never a crash, a clear message where vmtop cannot run, and the
# terminal's modes as they were before (stty -g) whatever the way out.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
[ -x "$VMTOP" ] || bail "VMTOP not set or not built"

# --- batch with stdin closed -----------------------------------------------
"$VMTOP" -b -n 1 <&- >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
is "$?" 0 "-b -n 1 with stdin closed exits 0"
grep -Eq "PID +USER" "$tap_tmpdir/out" && [ ! -s "$tap_tmpdir/err" ]
ok $? "and prints the list, nothing on stderr"
"$VMTOP" -b -n 2 -d 0.1 -m -J <&- >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
is "$?" 0 "-b -n 2 -m -J with stdin closed exits 0"
is "$(wc -l <"$tap_tmpdir/out")" 2 "and prints two documents"

# The pane runs this wrapper: it keeps the terminal's modes before and
# after vmtop, and can give vmtop another stdin.
real=$VMTOP
wrapper="$tap_tmpdir/wrap.sh"
cat >"$wrapper" <<EOW
#!/bin/sh
trap : INT
stty -g >"$tap_tmpdir/stty.before" 2>&1
# vmtop runs in the background so that this shell outlives any signal;
# an asynchronous command's stdin is /dev/null unless redirected: fd 3
exec 3<&0
if [ -n "\${STDIN_FROM:-}" ]; then
	"$real" "\$@" <"\$STDIN_FROM" 3<&- &
elif [ -n "\${STDIN_CLOSED:-}" ]; then
	"$real" "\$@" <&- 3<&- &
else
	"$real" "\$@" <&3 3<&- &
fi
echo \$! >"$tap_tmpdir/vmtop.pid"
wait \$!
st=\$?
# wait again if a trapped INT interrupted the first wait
while kill -0 "\$(cat "$tap_tmpdir/vmtop.pid")" 2>/dev/null; do
	wait "\$(cat "$tap_tmpdir/vmtop.pid")"
	st=\$?
done
stty -g >"$tap_tmpdir/stty.after" 2>&1
exit \$st
EOW
chmod +x "$wrapper"
VMTOP=$wrapper

modes_restored() {
	[ -s "$tap_tmpdir/stty.before" ] &&
		cmp -s "$tap_tmpdir/stty.before" "$tap_tmpdir/stty.after"
}
restored() {	# restored WHAT: the shell is back and the modes are equal
	tmux_wait "vmtop exited" 5
	tmux_matches "^vmtop-test-shell\\$" && tmux_not_matches "Tasks:" &&
		modes_restored
	ok $? "$1: the terminal is restored (screen and stty modes)"
}
start() {	# start [ENV...] -- ARGS: fresh pane, wrapper, state files
	rm -f "$tap_tmpdir/stty.before" "$tap_tmpdir/stty.after" \
		"$tap_tmpdir/vmtop.pid"
	tmux_start "$@"
}

# --- TUI with stdin from /dev/null, and closed ----------------------------
for how in STDIN_FROM=/dev/null STDIN_CLOSED=1; do
	start "$how" -- -d 0.2
	sleep 2
	st=$(tmux_exit_status)
	if [ -z "$st" ]; then
		# still running: it must not spin on an input that never comes
		pid=$(cat "$tap_tmpdir/vmtop.pid")
		t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		sleep 2
		t2=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
		diag "$how: still running, $((t2 - t1)) ticks of CPU in 2 s"
		[ $((t2 - t1)) -lt 100 ]
		ok $? "$how: running without a keyboard does not spin"
		kill -TERM "$pid"
		tmux_wait "vmtop exited" 5
	else
		diag "$how: exited $st: $(tmux_screen | grep -m1 vmtop:)"
		[ "$st" -ne 0 ] && [ "$st" -lt 128 ] &&
			tmux_matches "vmtop: .*(standard input|terminal)"
		ok $? "$how: a clear message and a non-zero exit, no crash"
	fi
	restored "$how"
done

# --- terminals vmtop cannot drive ---------------------------------------
for t in dumb vmtop-no-such-term; do
	start TERM=$t -- -d 0.2
	tmux_wait "vmtop exited" 5
	st=$(tmux_exit_status)
	[ -n "$st" ] && [ "$st" -ne 0 ] && [ "$st" -lt 128 ] &&
		tmux_matches "vmtop: .*'$t'"
	ok $? "TERM=$t: a clear message and a non-zero exit ($st), no crash"
	restored "TERM=$t"
done

# --- resizes --------------------------------------------------------------
start -- -d 0.2
tmux_wait "Tasks:" 5
i=0
while [ $i -lt 50 ]; do
	tmux_resize $((20 + (i * 37) % 160)) $((3 + (i * 11) % 60))
	i=$((i + 1))
done
tmux_resize 100 30
tmux_wait "Tasks:" 5 && tmux_wait "PID +USER" 5 && tmux_not_matches "vmtop exited"
ok $? "50 resizes in a row: still running, header and titles redrawn"
tmux_resize 20 5
sleep 0.5
tmux_wait "PID" 3 && tmux_not_matches "vmtop exited"
ok $? "20x5: still running"
tmux_keys q
tmux_wait "vmtop exited" 5
is "$(tmux_exit_status)" 0 "20x5: q quits with status 0"
tmux_resize 100 30
restored "after the resizes"

# --- signals in the process list --------------------------------------------
for sig in TERM:143 INT:130 HUP:129; do
	start -- -d 0.2
	tmux_wait "Tasks:" 5
	kill -"${sig%:*}" "$(cat "$tap_tmpdir/vmtop.pid")"
	tmux_wait "vmtop exited" 5
	is "$(tmux_exit_status)" "${sig#*:}" "SIG${sig%:*} ends it by the signal"
	restored "SIG${sig%:*}"
done

# --- signals in every view of the memory map ------------------------------
[ -x "$FIXTURES/fix_threads" ] || bail "fix_threads fixture not built"
"$FIXTURES/fix_threads" 2 >"$tap_tmpdir/thr" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/thr" || bail "fix_threads did not start"
fpid=$(cut -d' ' -f1 "$tap_tmpdir/thr")
# view:key:text the view shows
for view in "tree::CATEGORY" "threads:t:TID" "arenas:a:BASE" \
	"dns:d:resolver" "help:?:vmtop .* - keys"; do
	name=${view%%:*}
	rest=${view#*:}
	key=${rest%%:*}
	text=${rest#*:}
	for sig in TERM:143 INT:130 HUP:129; do
		start -- -d 0.2 -m -p "$fpid"
		tmux_wait "PID $fpid" 5
		[ -n "$key" ] && tmux_keys "$key"
		tmux_wait "$text" 5
		ok $? "map view, $name: shown"
		kill -"${sig%:*}" "$(cat "$tap_tmpdir/vmtop.pid")"
		tmux_wait "vmtop exited" 5
		is "$(tmux_exit_status)" "${sig#*:}" \
			"map view, $name: SIG${sig%:*} ends it by the signal"
		restored "map view, $name: SIG${sig%:*}"
	done
done
done_testing
