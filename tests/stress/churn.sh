#!/bin/sh
# Stress: process churn.  While a fixture forks a few hundred short-lived
# children per second (renaming themselves, starting threads, mapping
# memory, exec'ing), vmtop's batch JSON with every process's map tree
# exits 0, prints only valid JSON and says nothing on stderr; the TUI
# keeps its header and column titles for 10 s and never lets a raw
# escape through.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_churn" ] || bail "fix_churn fixture not built"

churn_pgid=""
churn_start() {	# churn_start SECONDS RATE [HOLD]: a churning process group
	"$FIXTURES/fix_churn" "$@" >"$tap_tmpdir/churn" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/churn" || bail "fix_churn did not start"
	churn_pgid=$(cut -d' ' -f1 "$tap_tmpdir/churn")
}
churn_stop() {
	[ -n "$churn_pgid" ] && kill -9 "-$churn_pgid" 2>/dev/null
	churn_pgid=""
}
trap 'churn_stop; tap_cleanup' EXIT

# --- batch ---------------------------------------------------------------
churn_start 600 300
start=$(date +%s)
# validated as it streams: 200 documents with every process's tree are
# hundreds of MB.  A quiet 2-core machine takes 20-40 s; the timeout is a
# watchdog for one where others keep 60 000-mapping processes (each one
# adds 14 MB and 150 ms of kernel time to every document).
{
	timeout 600 "$VMTOP" -b -d 0.05 -n 200 -m -J 2>"$tap_tmpdir/err"
	echo $? >"$tap_tmpdir/rc"
} | python3 -c '
import json, sys
n = bad = 0
seen = set()
for line in sys.stdin.buffer:
    n += 1
    try:
        doc = json.loads(line)
        assert doc["schema"] == "vmtop/1"
        for p in doc["processes"]:
            seen.add(p["pid"])
            m = p["maps"]
            assert m is None or m["totals"]["regions"] >= 0
    except Exception as e:
        bad += 1
        print("# line %d: %r" % (n, e), file=sys.stderr)
print(n, bad, len(seen))
' >"$tap_tmpdir/check"
is "$(cat "$tap_tmpdir/rc")" 0 "-b -d 0.05 -n 200 -m -J under churn exits 0"
diag "200 refreshes took $(($(date +%s) - start)) s"
churn_stop
is "$(head -c 2000 "$tap_tmpdir/err")" "" "nothing on stderr"
set -- $(cat "$tap_tmpdir/check")
is "$1" 200 "200 documents"
is "$2" 0 "every line is valid vmtop/1 JSON"
diag "$3 distinct PIDs seen"
[ "${3:-0}" -gt 250 ]
ok $? "the churn was seen (more PIDs than the machine holds at once)"

# --- TUI ------------------------------------------------------------------
. "$TOP_SRCDIR/tests/lib/tmux.sh"
trap 'churn_stop; tmux_cleanup' EXIT
esc=$(printf '\033')
# only the churning processes: rows appear and vanish on every refresh
churn_start 30 300 3
tmux_start -- -d 0.1 '^churn\t|^fix_churn'
tmux_wait "Tasks:" 5
ok $? "the TUI starts under churn"
garbled=0
end=$(($(date +%s) + 10))
while [ "$(date +%s)" -lt "$end" ]; do
	tmux_screen >"$tap_tmpdir/screen"
	tmux_screen -e >"$tap_tmpdir/screen-e"
	if grep -q "vmtop exited" "$tap_tmpdir/screen" ||
		! grep -q "Tasks:" "$tap_tmpdir/screen" ||
		! grep -Eq "PID +USER.*VIRT.*RES.*COMMAND" "$tap_tmpdir/screen"; then
		garbled=1
		break
	fi
	# a name holds a tab: shown as \t, never as a raw control byte;
	# the only escapes are tmux's own SGR ones
	if tr -d '\n' <"$tap_tmpdir/screen" | grep -q '[[:cntrl:]]' ||
		sed "s/$esc\[[0-9;]*m//g" "$tap_tmpdir/screen-e" |
		grep -q "$esc"; then
		garbled=2
		break
	fi
	sleep 0.5
done
[ $garbled -ne 0 ] && { diag "garbled=$garbled"; tmux_show; }
is "$garbled" 0 "10 s of churn: header and titles stay, no raw escapes"
tmux_screen | grep -q 'churn\\tidle'
ok $? "names with a tab appear escaped"
tmux_keys q
tmux_wait "vmtop exited" 5
is "$(tmux_exit_status)" 0 "q still quits with status 0"
churn_stop
done_testing
