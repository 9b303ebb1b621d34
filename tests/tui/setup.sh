#!/bin/sh
# Setup (F2) and the settings file, driven through tmux, each run with
# XDG_CONFIG_HOME in a directory of the test's own: a column taken off
# the list stays off after a restart; the file is mode 0600 in a 0700
# directory; a colour scheme chosen persists; a file with bad lines gives
# warnings naming file and line, then the defaults; unknown lines and
# comments survive a rewrite; -d is not written unless changed in setup;
# --no-config ignores the file and writes nothing; --color-scheme.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_sleep" ] || bail "fix_sleep fixture not built"

"$FIXTURES/fix_sleep" "vtsetup$$" >/dev/null &
spawn_register $!
pid=$!

cfg="$tap_tmpdir/config"	# removed with $tap_tmpdir at the end
rc="$cfg/vmtop/vmtoprc"
esc=$(printf '\033')
colour_re="$esc\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+)(;[0-9;]*)?m"

start() {	# start [ENV=VALUE...] -- [VMTOP-ARGS...]
	env_args=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		env_args="$env_args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	tmux_start XDG_CONFIG_HOME="$cfg" $env_args -- -d 1 -p "$pid" "$@"
	tmux_wait "vtsetup$$"
}

quit() {
	tmux_keys q
	tmux_wait "vmtop exited" 5
}

titles() {	# the list's column titles
	tmux_screen | grep -E '^ +PID ' | head -1
}

# --- a column taken off the list stays off ------------------------------
start --
titles | grep -q 'USER'
ok $? "USER is shown by default"
[ ! -e "$rc" ]
ok $? "reading the settings writes nothing"
tmux_keys F2
tmux_wait "Columns shown"
ok $? "F2 opens setup"
tmux_keys Down F9	# PID, USER: off
tmux_wait "^Columns +PID +USER"
ok $? "F9 takes USER off the columns shown: it is available"
tmux_keys Escape
tmux_wait "Settings saved in"
ok $? "Esc closes setup and says where the settings went"
titles | grep -q 'USER'
[ $? -ne 0 ]
ok $? "the list drops USER at once"
grep -qx 'columns=PID,THR,VIRT,RES,SWAP,CPU%,S' "$rc"
ok $? "the file holds the columns"
[ "$(stat -c %a "$rc")" = 600 ] && [ "$(stat -c %a "$cfg/vmtop")" = 700 ]
ok $? "the file is mode 0600, its directory 0700"
grep -qx 'delay=2' "$rc"
ok $? "-d 1 of this run is not written (the file's default stays)"
quit
start --
titles | grep -q 'USER'
[ $? -ne 0 ]
ok $? "after a restart USER is still off"
titles | grep -q 'THR'
ok $? "and the other columns are there"

# --- S is F2; a column added and moved up --------------------------------
tmux_keys S
tmux_wait "Columns available"
tmux_keys Right Enter Left End F7 Escape	# USER back, one place up
tmux_wait "Settings saved in"
grep -qx 'columns=PID,THR,VIRT,RES,SWAP,CPU%,USER,S' "$rc"
ok $? "S opens setup; Enter adds a column, F7 moves it up"
quit

# --- a colour scheme persists -------------------------------------------
start --
tmux_screen -e | grep -q "${esc}\\[36m"
ok $? "the default scheme draws labels in cyan"
tmux_keys F2
tmux_wait "Columns shown"
tmux_keys Left Down Down Enter Down Down Enter	# Colours, light
tmux_wait '\(\*\) light'
ok $? "the Colours page chooses light"
tmux_keys Escape
tmux_wait "Settings saved in"
grep -qx 'color_scheme=light' "$rc"
ok $? "the file holds the scheme"
quit

start --
tmux_screen -e | grep -q "${esc}\\[34m" &&
	! tmux_screen -e | grep -q "${esc}\\[36m"
ok $? "after a restart the light scheme draws labels in blue, not cyan"
quit
start NO_COLOR=1 --
! tmux_screen -e | grep -Eq "$colour_re"
ok $? "NO_COLOR still wins over the scheme"
quit
start -- --color-scheme monochrome
! tmux_screen -e | grep -Eq "$colour_re"
ok $? "--color-scheme monochrome: no colour escapes"
quit
grep -qx 'color_scheme=light' "$rc"
ok $? "--color-scheme is not written"

# --- bad lines: warnings naming file and line, then the defaults ---------
cat > "$rc" <<'CFG'
# hand-written
columns=PID,NOPE,VIRT
delay=fast
no equals sign here
future_key=1
rule=/^\/opt\/x\.so$/ kind=library group="x"
color_scheme=light
rule=/(unclosed/ kind=anon
CFG
start --
tmux_wait "vmtoprc:2: columns: unknown column 'NOPE'"
ok $? "the status line shows the first warning, with file and line"
titles | grep -q 'USER'
ok $? "a bad columns line: the default columns"
tmux_screen -e | grep -q "${esc}\\[34m"
ok $? "the good lines still apply"
quit
screen=$(tmux_screen -J)	# wrapped lines joined
printf '%s\n' "$screen" |
	grep -q "vmtoprc:3: delay: want seconds, 0.1 to 86400; the default (2)" &&
	printf '%s\n' "$screen" | grep -q "vmtoprc:4: not a key=value line" &&
	printf '%s\n' "$screen" | grep -q "vmtoprc:5: unknown key 'future_key'"
ok $? "every warning is on stderr, one line each, naming file and line"
printf '%s\n' "$screen" | grep -q "vmtoprc:6"
[ $? -ne 0 ]
ok $? "a good rule line is not warned about (the rules read it)"
printf '%s\n' "$screen" | grep -q "vmtoprc:8: .*missing closing parenthesis at offset"
ok $? "a bad rule line is reported with file, line and PCRE2's message"

# --- a rewrite keeps comments and unknown lines ---------------------------
start --
tmux_keys F2
tmux_wait "Columns shown"
tmux_keys Down F9 Escape	# USER off again
tmux_wait "Settings saved in"
grep -qx '# hand-written' "$rc" && grep -qx 'future_key=1' "$rc" &&
	grep -qx 'no equals sign here' "$rc" &&
	grep -qxF 'rule=/^\/opt\/x\.so$/ kind=library group="x"' "$rc"
ok $? "comments, unknown keys, damaged and rule lines survive a rewrite"
grep -qx 'delay=2' "$rc" && grep -qx 'columns=PID,THR,VIRT,RES,SWAP,CPU%,S' "$rc"
ok $? "the damaged values are rewritten with the values in effect"
quit

# --- --no-config ---------------------------------------------------------
before=$(cksum < "$rc")
start -- --no-config
titles | grep -q 'USER'
ok $? "--no-config ignores the file (USER is back)"
tmux_keys F2
tmux_wait "not saved: --no-config"
tmux_keys Down F9 Escape
tmux_wait "not saved \\(--no-config\\)"
ok $? "setup works, and says nothing is saved"
[ "$(cksum < "$rc")" = "$before" ]
ok $? "the file is untouched"
quit

# --- --columns and --tree are this run's: a save in setup keeps them out -
start -- --columns +PSS --tree
tmux_wait "View: tree"
titles | grep -q 'PSS'
ok $? "--columns +PSS adds PSS to the file's columns, --tree the tree"
tmux_keys F2
tmux_wait "Columns shown"
tmux_keys Left Down Down Enter Up Up Enter	# Colours, default
tmux_wait '\(\*\) default'
tmux_keys Escape
tmux_wait "Settings saved in"
grep -qx 'color_scheme=default' "$rc" && ! grep -q 'PSS' "$rc" &&
	! grep -qx 'tree_view=yes' "$rc"
ok $? "setup saved its change, not --columns or --tree"
quit
done_testing
