#!/bin/sh
# The interactive process list, driven through tmux: filter, invalid
# regex, Esc restoring the filter, plain-text search, sorting, help at
# the list's keys, pause, refresh (^R; Space is unbound), t/a/d, resize,
# NO_COLOR, hostile names, quitting with the terminal restored.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_sleep" ] || bail "fix_sleep fixture not built"

esc=$(printf '\033')

# Fixture processes with distinctive names.  The regexes typed below
# bracket one letter (vtalph[a]) so that they never match the tmux
# client's own command line, which holds the typed text.
start_fixture() {
	"$FIXTURES/fix_sleep" "$@" >/dev/null &
	spawn_register $!
	fixture_pid=$!
}
start_fixture "vtalpha$$"
alpha=$fixture_pid
start_fixture "vtbeta$$"
beta=$fixture_pid
start_fixture "$(printf '\033[31mred\tx\377')"
evil=$fixture_pid
start_fixture "vt名前$$"
wide=$fixture_pid

row() {	# row PID: a list row of that process
	echo "^ *$1 +[^ ]+ +[0-9]+ "
}

# Prints the screen with "R " before lines whose first cell is in reverse
# video and "- " before the others (tmux -e carries attributes across
# lines, so each line's state comes from all the escapes before it).
screen_reverse() {
	tmux_screen -e | awk -v esc="$esc" '
	{
		rest = $0; out = ""; first = -1
		while ((i = index(rest, esc "[")) > 0) {
			pre = substr(rest, 1, i - 1)
			if (first < 0 && pre != "")
				first = rev
			out = out pre
			rest = substr(rest, i + 2)
			if (!match(rest, /^[0-9;]*m/))
				continue
			n = split(substr(rest, 1, RLENGTH - 1), p, ";")
			if (n == 0)
				rev = 0
			for (k = 1; k <= n; k++) {
				if (p[k] == 0 || p[k] == 27)
					rev = 0
				else if (p[k] == 7)
					rev = 1
			}
			rest = substr(rest, RLENGTH + 1)
		}
		if (first < 0)
			first = rev
		print (first ? "R " : "- ") out rest
	}'
}

cursor_on() {	# cursor_on PID: that row is the selected one
	screen_reverse | grep -Eq "^R $(row "$1" | cut -c2-)"
}

cursor_off() {	# cursor_off PID: the selection is on another row
	! cursor_on "$1" && screen_reverse | grep -Eq '^R +[0-9]+ '
}

nth_row() {	# nth_row N: the PID shown on the Nth row of the list
	tmux_screen | grep -E '^ *[0-9]+ ' | sed -n "$1p" | awk '{print $1}'
}

# The title of the sort column: the one drawn underlined (NO_COLOR).
sorted_title() {
	sgr="$esc\[[0-9;]*m"
	tmux_screen -e | grep 'PID' | grep 'COMMAND' |
		sed -n "s/.*$esc\[[0-9;]*4m\($sgr\)* *\([A-Z%]*\).*/\2/p"
}

sorted_is() {
	[ "$(sorted_title)" = "$1" ]
}

wait_sorted() {	# wait_sorted TITLE
	if wait_for 5 sorted_is "$1"; then
		return 0
	fi
	diag "sort column is '$(sorted_title)', want '$1'"
	return 1
}

# Any SGR colour (default colours 39/49 are not colours).
colour_re="$esc\[([0-9]*;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]"

# --- colours, then the rest without colours ---------------------------
tmux_start -- -d 1 -p "$alpha,$beta,$evil,$wide"
tmux_wait "$(row "$alpha")"
ok $? "starts and lists the fixture processes"
tmux_screen -e | grep -Eq "$colour_re"
ok $? "uses colours when NO_COLOR is not set"
tmux_keys q
tmux_wait "vmtop exited"

tmux_start NO_COLOR=1 -- -d 1 -p "$alpha,$beta,$evil,$wide"
tmux_wait "$(row "$beta")"
ok $? "lists with NO_COLOR set"
! tmux_screen -e | grep -Eq "$colour_re"
ok $? "NO_COLOR: no colour escapes"
tmux_wait "VIRT.*RES.*SWAP.*CPU%.*COMMAND" 1
ok $? "column titles"

# --- hostile name ------------------------------------------------------
# The name holds ESC [31m, a tab and the byte 0xff: each must appear as a
# visible escape, with the row's columns intact.
tmux_wait "$(row "$evil").* S \\\\e\\[31mred\\\\tx\\\\xff\$" 2
ok $? "hostile name is shown escaped, columns intact"
! tmux_screen -e | grep -q "$esc\[31m"
ok $? "hostile name's escape sequence never reaches the terminal"

# --- wide characters --------------------------------------------------
if [ "$(tmux_locale)" != C ]; then
	tmux_wait "$(row "$wide").* S vt名前$$\$" 2
	ok $? "a UTF-8 name is shown as is"
else
	echo "ok $((tap_n += 1)) # SKIP no UTF-8 locale"
fi

# --- filter ------------------------------------------------------------
tmux_keys '\'
tmux_wait "^Filter:" 2
ok $? "\\ opens the filter line"
tmux_type "vtalph[a]"
tmux_wait_gone "$(row "$beta")" && tmux_matches "$(row "$alpha")"
ok $? "typing a filter leaves only the matching process"
tmux_type "("
tmux_wait "missing closing parenthesis.*offset" 2
ok $? "an invalid regex shows PCRE2's message and offset"
tmux_matches "$(row "$alpha")" && tmux_not_matches "$(row "$beta")"
ok $? "the last valid filter stays in effect"
tmux_keys BSpace Enter
tmux_wait_gone "^Filter:" 2 && tmux_wait "Filter: vtalph\\[a\\]" 2
ok $? "Enter keeps the filter and closes the line"
tmux_keys F4
tmux_wait "^Filter: vtalph" 2 && tmux_keys C-u && tmux_type "vtbet[a]"
tmux_wait "$(row "$beta")" 2 && tmux_wait_gone "$(row "$alpha")" 2
ok $? "editing the filter again: the list follows the new one"
tmux_keys Escape
tmux_wait "$(row "$alpha")" 2 && tmux_wait_gone "$(row "$beta")" 2 &&
	tmux_wait_gone "^Filter:" 2 && tmux_matches "  Filter: vtalph\\[a\\]"
ok $? "Esc restores the filter in effect before the editing"
tmux_keys F4
tmux_wait "^Filter: vtalph" 2 && tmux_type "("
tmux_wait "missing closing parenthesis" 2 && tmux_keys Escape
tmux_wait_gone "missing closing" 2 && tmux_matches "  Filter: vtalph\\[a\\]" &&
	tmux_matches "$(row "$alpha")" && tmux_not_matches "$(row "$beta")"
ok $? "Esc after an invalid regex: the filter before, no error left"
tmux_keys '\' C-u Enter
tmux_wait "$(row "$beta")" 2 && tmux_wait_gone "Filter: " 2
ok $? "^U then Enter clears the filter"

# --- search ------------------------------------------------------------
tmux_keys Home
wait_for 3 cursor_on "$(nth_row 1)" && ! cursor_on "$(nth_row 2)"
ok $? "the cursor is drawn in reverse video"
tmux_keys /
tmux_type "vtbet."
tmux_wait "No match for the search" 2
ok $? "/ searches plain text, not a regex (as in the map view)"
tmux_keys C-u
tmux_type "VTBETA"
wait_for 3 cursor_on "$beta"
ok $? "/ search moves the cursor to the match, ignoring case"
tmux_keys Enter
if [ "$(nth_row 1)" = "$beta" ]; then tmux_keys End; else tmux_keys Home; fi
wait_for 3 cursor_off "$beta" && tmux_keys n && wait_for 3 cursor_on "$beta"
ok $? "n finds the match again"

# --- sorting -----------------------------------------------------------
wait_sorted VIRT
ok $? "sorted by VIRT by default"
tmux_keys M
wait_sorted RES
ok $? "M sorts by RES"
tmux_keys P
wait_sorted CPU%
ok $? "P sorts by CPU%"
tmux_keys '<'
wait_sorted SWAP
ok $? "< moves the sort column left"
tmux_keys T
wait_sorted THR
ok $? "T sorts by threads"
tmux_keys I
tmux_wait "Sort: THR.*ascending" 2
ok $? "I inverts the order"
tmux_keys F6
tmux_wait "Sort by" 2 && tmux_keys Home Enter
wait_sorted PID
ok $? "F6 menu chooses the sort column"
# alpha has the lowest PID: first by PID, last once inverted
last_row_is() {
	[ "$(nth_row '$')" = "$1" ]
}
tmux_keys / && tmux_type "vtalpha" && tmux_keys Enter
wait_for 3 cursor_on "$alpha" && tmux_keys I && wait_for 3 last_row_is "$alpha"
ok $? "inverting the order moves the process to the end"
wait_for 3 cursor_on "$alpha"
ok $? "the cursor stays on its process when the rows reorder"

# --- mouse -------------------------------------------------------------
line_of() {	# line_of PID: its 0-based screen row
	echo $(($(tmux_screen | grep -En "$(row "$1")" | cut -d: -f1) - 1))
}
tmux_keys Home
first=$(nth_row 1)
target=$(nth_row 3)
wait_for 3 cursor_on "$first"
tmux_click 10 "$(line_of "$target")"
wait_for 3 cursor_on "$target"
ok $? "a click selects the row"
tmux_wheel up 10 5
wait_for 3 cursor_on "$first"
ok $? "the wheel moves the selection"
title_y=$(($(tmux_screen | grep -n "PID USER" | cut -d: -f1) - 1))
tmux_click 12 "$title_y"
wait_sorted USER
ok $? "a click on a column title sorts by it"
tmux_click 1 29
tmux_wait "sort menu: choose the sort column" 2
ok $? "a click on F1Help in the bar opens the help"
tmux_keys Escape
tmux_wait "Tasks:" 2

# --- help, pause, command line ----------------------------------------
tmux_keys '?'
tmux_wait "sort menu: choose the sort column" 2 && tmux_matches "F4 .*filter"
ok $? "? shows the help with every key"
tmux_screen | sed -n 2p | grep -q "^ Process list"
ok $? "the help opens at the process list's keys"
tmux_not_matches "^ Space "
ok $? "Space is not a key of the list"
tmux_keys q
tmux_wait "$(row "$alpha")" 2 && tmux_matches "Tasks:"
ok $? "a key leaves the help, q there does not quit"
tmux_keys Z
tmux_wait "\\[paused\\]" 2
ok $? "Z pauses"
tmux_keys Z
tmux_wait_gone "\\[paused\\]" 2
ok $? "Z resumes"
tmux_keys c
tmux_wait "$(row "$alpha").* [RSDTtIZX] /" 3
ok $? "c shows the command line"
tmux_keys c

# --- F6: the sort menu ---------------------------------------------------
tmux_keys F6
tmux_wait " Sort by" 2 && tmux_matches " VIRT \\(virtual size\\)"
ok $? "F6 opens the sort menu (as in the map view)"
tmux_keys x
tmux_wait_gone " Sort by" 2
ok $? "any other key closes it"

# --- t, a, d: the map view's panes of the process under the cursor ----
tmux_keys Home
sel=$(nth_row 1)
tmux_keys t
tmux_wait "PID $sel .*VSZ" 3 && tmux_wait "TID S +CPU%" 3
ok $? "t opens the threads of the process under the cursor"
tmux_keys Escape Escape
tmux_wait "Tasks:" 3
tmux_keys a
tmux_wait "BASE +HEAPS" 3 && tmux_keys q && tmux_wait "TabDetail" 3 &&
	tmux_keys q && tmux_wait "Tasks:" 3
ok $? "a opens its arenas; q goes back pane by pane to the list"

# --- resize ------------------------------------------------------------
tmux_resize 20 5
tmux_wait "PID" 3 && tmux_not_matches "vmtop exited"
ok $? "a 20x5 terminal still shows the list"
tmux_resize 1 1
sleep 0.3
tmux_resize 100 30
tmux_wait "Tasks:" 3 && tmux_wait "$(row "$alpha")" 3
ok $? "back to 100x30 after 1x1 without crashing"

# --- quit ----------------------------------------------------------------
tmux_keys q
tmux_wait "vmtop exited" 3
is "$(tmux_exit_status)" 0 "q quits with status 0"
tmux_matches "^vmtop-test-shell\\$" && tmux_not_matches "Tasks:"
ok $? "the terminal is restored (alternate screen left)"

# --- options and ways out ---------------------------------------------
tmux_start -- -d 1 "vtbet[a]$$"
tmux_wait "$(row "$beta")" && tmux_not_matches "$(row "$alpha")"
ok $? "PATTERN argument filters the list"
tmux_keys q

tmux_start -- -c -d 1 -p "$alpha"
tmux_wait "$(row "$alpha").* [RSDTtIZX] /"
ok $? "-c starts with command lines shown"
tmux_keys q

if id nobody >/dev/null 2>&1 && ! ps -o pid= -u nobody >/dev/null; then
	tmux_start -- -d 1 -u nobody
	tmux_wait "no process of the users given with -u"
	ok $? "-u with a user who runs nothing says so"
	tmux_keys q
else
	echo "ok $((tap_n += 1)) # SKIP no idle user 'nobody'"
fi

tmux_start -- -d 1 -p 999999
tmux_wait "no process with PID 999999"
ok $? "-p with a missing PID says so"
tmux_keys C-c
tmux_wait "vmtop exited" 3
is "$(tmux_exit_status)" 130 "SIGINT (^C) ends it by the signal"
tmux_matches "^vmtop-test-shell\\$" && tmux_not_matches "no process with"
ok $? "the terminal is restored after SIGINT"

vmtop_pid() {	# the PID of vmtop in the pane (the runner's child)
	pane_pid=$(tmux_cmd list-panes -t vmtop -F '#{pane_pid}')
	ps -o pid= --ppid "$pane_pid" | tr -d ' '
}

for sig in TERM:143 HUP:129 SEGV:139; do
	tmux_start -- -d 1 -p "$alpha"
	tmux_wait "$(row "$alpha")"
	kill -"${sig%:*}" "$(vmtop_pid)"
	tmux_wait "vmtop exited" 3
	is "$(tmux_exit_status)" "${sig#*:}" "SIG${sig%:*} ends it by the signal"
	tmux_matches "^vmtop-test-shell\\$" && tmux_not_matches "Tasks:"
	ok $? "the terminal is restored after SIG${sig%:*}"
done

# Standard input not the terminal (vmtop < /dev/null): the keys come
# from /dev/tty, so q and F10 quit, and no key typed is left in the
# terminal for the shell; waiting for a key does not spin.  The wrapper
# reads what the terminal still holds once vmtop has exited.
cpu_ticks() {	# user + system ticks of a process
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
leftover="$tap_tmpdir/leftover"
cat >"$tap_tmpdir/devnull.sh" <<EOW
#!/bin/sh
"$VMTOP" "\$@" </dev/null
st=\$?
stty -icanon min 0 time 5
dd bs=256 count=1 2>/dev/null | od -An -c >"$leftover"
exit \$st
EOW
chmod +x "$tap_tmpdir/devnull.sh"
for quit in q F10; do
	rm -f "$leftover"
	real_vmtop=$VMTOP
	VMTOP="$tap_tmpdir/devnull.sh"
	tmux_start -- -d 0.2 -p "$alpha"
	VMTOP=$real_vmtop
	tmux_wait "$(row "$alpha")"
	pid=$(ps -o pid= --ppid "$(vmtop_pid)" | tr -d ' ')
	before=$(cpu_ticks "$pid")
	sleep 1
	used=$(($(cpu_ticks "$pid") - before))
	[ "$used" -lt 20 ]
	ok $? "< /dev/null: no busy loop ($used ticks in 1 s)"
	tmux_keys x y
	tmux_keys "$quit"
	tmux_wait "vmtop exited" 3 && [ "$(tmux_exit_status)" = 0 ]
	ok $? "< /dev/null: $quit quits"
	wait_for 3 test -f "$leftover"
	[ -f "$leftover" ] && ! grep -q '[a-z]' "$leftover"
	ok $? "< /dev/null: no key left for the shell ($(cat "$leftover" \
		2>/dev/null))"
done

# Space does not refresh the list (it is unbound there, as htop tags
# with it); ^R does, in the list as in the map view: CPU% appears once a
# second refresh gives it ticks to compare.
cpu_unknown() {
	tmux_matches "$(row "$alpha").* +- [A-Z] vtalpha"
}
cpu_known() {
	tmux_matches "$(row "$alpha").* [0-9.]+ [A-Z] vtalpha"
}
tmux_start NO_COLOR=1 -- -d 1000 -p "$alpha"
tmux_wait "$(row "$alpha")" && cpu_unknown
ok $? "CPU% is blank after the first refresh"
tmux_keys Space
sleep 0.5
cpu_unknown && tmux_not_matches "TID S|Sort by|No search"
ok $? "Space does nothing in the list"
tmux_keys C-r
wait_for 3 cpu_known
ok $? "^R refreshes now"
tmux_keys q
tmux_wait "vmtop exited" 3

# TERM=linux has no alternate screen: the last picture stays after q,
# and the shell's next line must come below the key bar, not over it.
tmux_start TERM=linux -- -d 0.2 -p "$alpha"
tmux_wait "$(row "$alpha")"
tmux_keys q
tmux_wait "vmtop exited" 3
tmux_matches "^F1Help .*F10Quit" &&
	! tmux_screen | grep "vmtop exited" | grep -q Filter
ok $? "TERM=linux: the shell writes below the key bar after q"

tmux_start -- -d 0.2 -n 3 -p "$alpha"
tmux_wait "vmtop exited" 5
is "$(tmux_exit_status)" 0 "-n 3 exits by itself with status 0"

tmux_start TERM=vmtop-no-such-term -- -d 1
tmux_wait "vmtop exited" 3
tmux_matches "unknown terminal type 'vmtop-no-such-term'"
ok $? "an unknown TERM gives a clear error"
is "$(tmux_exit_status)" 1 "an unknown TERM exits with status 1"

err=$("$VMTOP" -d 1 2>&1 >/dev/null </dev/null)
is "$?" 1 "stdout not a terminal: status 1"
case $err in
*"standard output is not a terminal; use -b"*) ok 0 "... and says to use -b" ;;
*) ok 1 "... and says to use -b"; diag "got: $err" ;;
esac

done_testing
