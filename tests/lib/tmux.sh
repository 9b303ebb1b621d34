# tmux.sh: drive the TUI in a private tmux server.  Source after tap.sh.
#
#   tmux_start [ENV=VALUE...] -- VMTOP-ARGS...
#	opens a 100x30 pane that prints a shell-like banner, runs
#	"$VMTOP" VMTOP-ARGS with the given environment (STDIN=FILE
#	redirects its input instead), then writes
#	EXIT=<status> to $tmux_exit_file and prints "vmtop exited".
#   tmux_keys KEY...         send-keys (tmux key names: Escape, F4, C-c)
#   tmux_type TEXT           send TEXT literally
#   tmux_screen [-e]         the pane's text (-e: with attributes)
#   tmux_wait REGEX [SECS]   poll the screen until an extended regex
#			     matches (default 10 s); on timeout show it
#   tmux_wait_gone REGEX [SECS]
#   tmux_resize COLS ROWS
#   tmux_click X Y           left click at 0-based cell (X, Y)
#   tmux_wheel up|down X Y   one wheel step
#
# The server is killed when the test exits.
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"

# Each tmux_start gets a fresh server: reusing a socket races with the
# previous server's shutdown.
tmux_n=0
tmux_sock="$tap_tmpdir/tmux.0.sock"
tmux_exit_file="$tap_tmpdir/exit"
tmux_banner="vmtop-test-shell\$"

tmux_cmd() {
	tmux -S "$tmux_sock" "$@"
}

# Each server is stopped at exit by the PID it gave at its start (SIGTERM:
# it closes its panes, whose processes get the terminal's hangup), killed
# should it still run 2 s later; a server whose PID is unknown is asked
# through its socket, with a time limit since a hung one never answers.
tmux_server_pids=""
tmux_server_gone() {
	case $(cat "/proc/$1/comm" 2>/dev/null) in
	tmux*) return 1 ;;
	esac
}
tmux_cleanup() {
	for p in $tmux_server_pids; do
		tmux_server_gone "$p" || kill -TERM "$p" 2>/dev/null
	done
	for p in $tmux_server_pids; do
		wait_for 2 tmux_server_gone "$p" || kill -KILL "$p" 2>/dev/null
	done
	for sock in "$tap_tmpdir"/tmux.*.sock; do
		[ -S "$sock" ] && timeout 2 tmux -S "$sock" kill-server \
			>/dev/null 2>&1
	done
	tap_cleanup
}
trap tmux_cleanup EXIT

# A UTF-8 locale if the system has one, so that wide output is tested.
tmux_locale() {
	for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
		if locale -a 2>/dev/null | grep -qix "$l"; then
			echo "$l"
			return
		fi
	done
	echo C
}

# Prints its argument quoted for sh.
tmux_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

tmux_start() {
	runner="$tap_tmpdir/run.sh"
	{
		echo 'echo "$TMUX_BANNER"'
		# a caught INT lets this shell outlive ^C and report the status;
		# vmtop gets the default action back when it is exec'd
		echo "trap : INT"
		stdin=
		printf 'env'
		while [ $# -gt 0 ] && [ "$1" != "--" ]; do
			case $1 in
			STDIN=*) stdin=${1#STDIN=} ;;
			*) printf ' %s' "$(tmux_quote "$1")" ;;
			esac
			shift
		done
		[ "${1:-}" = "--" ] && shift
		printf ' "$VMTOP"'
		for a in "$@"; do
			printf ' %s' "$(tmux_quote "$a")"
		done
		[ -n "$stdin" ] && printf ' < %s' "$(tmux_quote "$stdin")"
		echo
		echo 'echo "EXIT=$?" > "$TMUX_EXIT_FILE"'
		echo 'echo "vmtop exited"'
		echo 'exec sleep 3600'
	} > "$runner"
	rm -f "$tmux_exit_file"
	tmux_cmd kill-server >/dev/null 2>&1
	tmux_n=$((tmux_n + 1))
	tmux_sock="$tap_tmpdir/tmux.$tmux_n.sock"
	tmux_cmd -f /dev/null new-session -d -x 100 -y 30 -s vmtop \
		env TERM=screen LC_ALL="$(tmux_locale)" VMTOP="$VMTOP" \
		TMUX_BANNER="$tmux_banner" TMUX_EXIT_FILE="$tmux_exit_file" \
		sh "$runner"
	tmux_server_pids="$tmux_server_pids $(tmux_cmd display-message -p \
		'#{pid}' 2>/dev/null)"
}

tmux_keys() {
	tmux_cmd send-keys -t vmtop "$@"
}

tmux_type() {
	tmux_cmd send-keys -t vmtop -l "$1"
}

tmux_screen() {
	tmux_cmd capture-pane -t vmtop -p "$@"
}

tmux_matches() {
	tmux_screen | grep -Eq -- "$1"
}

tmux_not_matches() {
	! tmux_matches "$1"
}

tmux_show() {
	diag "screen:"
	tmux_screen | sed 's/^/#   |/'
}

tmux_wait() {
	if wait_for "${2:-10}" tmux_matches "$1"; then
		return 0
	fi
	diag "timed out waiting for /$1/"
	tmux_show
	return 1
}

tmux_wait_gone() {
	if wait_for "${2:-10}" tmux_not_matches "$1"; then
		return 0
	fi
	diag "timed out waiting for /$1/ to go"
	tmux_show
	return 1
}

tmux_resize() {
	tmux_cmd resize-window -t vmtop -x "$1" -y "$2"
}

# Mouse events in the X10 encoding that TERM=screen's kmous announces:
# ESC [ M, then button, column and row, each + 32 (cells 1-based).
tmux_mouse() {	# tmux_mouse BUTTON X Y
	tmux_keys -H 1b 5b 4d "$(printf '%x' $(($1 + 32)))" \
		"$(printf '%x' $(($2 + 33)))" "$(printf '%x' $(($3 + 33)))"
}

tmux_click() {
	tmux_mouse 0 "$1" "$2"
	tmux_mouse 3 "$1" "$2"	# release
}

tmux_wheel() {
	if [ "$1" = up ]; then
		tmux_mouse 64 "$2" "$3"
	else
		tmux_mouse 65 "$2" "$3"
	fi
}

# The exit status vmtop left, once it has exited ("" before).
tmux_exit_status() {
	[ -f "$tmux_exit_file" ] && sed -n 's/^EXIT=//p' "$tmux_exit_file"
}
