# tap.sh: TAP helpers for the shell tests.  Source it, call ok/not_ok/is,
# and end with `done_testing`.  Processes started with `spawn` are killed
# by PID when the test exits, whatever the way out.
tap_n=0
tap_failed=0
tap_pids=""

ok() {	# ok CONDITION-STATUS NAME: records a result from the last command
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		# a TODO failure is expected (XFAIL): it does not fail the script
		case $2 in
		*"# TODO"*) ;;
		*) tap_failed=$((tap_failed + 1)) ;;
		esac
	fi
}

check() {	# check NAME COMMAND...: runs the command, records its status
	name=$1
	shift
	"$@"
	ok $? "$name"
}

is() {	# is GOT WANT NAME
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		diag "got '$1', want '$2'"
	fi
}

diag() {
	printf '# %s\n' "$*"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail() {
	echo "Bail out! $*"
	exit 1
}

spawn_register() {	# spawn_register PID: kill it when the test ends
	tap_pids="$tap_pids $1"
}

tap_stop_pids() {	# kills every registered process and waits for it
	for p in $tap_pids; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in $tap_pids; do
		wait "$p" 2>/dev/null
	done
	tap_pids=
}

tap_cleanup() {
	tap_stop_pids
	[ -n "${tap_tmpdir:-}" ] && rm -rf "$tap_tmpdir"
}
trap tap_cleanup EXIT
trap 'exit 130' INT TERM HUP

tap_tmpdir=$(mktemp -d "${TMPDIR:-/tmp}/vmtop-test.XXXXXX")
# the user's own settings file (columns, rules) never reaches a test; a
# test that wants one sets XDG_CONFIG_HOME to a directory of its own
XDG_CONFIG_HOME=$tap_tmpdir/no-config
export XDG_CONFIG_HOME

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds
wait_for() {
	limit=$1
	shift
	end=$(($(date +%s%N) / 1000000 + limit * 1000))
	while ! "$@"; do
		[ "$(($(date +%s%N) / 1000000))" -ge "$end" ] && return 1
		sleep 0.05
	done
	return 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}
