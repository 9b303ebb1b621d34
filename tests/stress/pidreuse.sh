#!/bin/sh
# Stress: a PID taken by another process while vmtop shows it (needs
# root).  In a PID namespace of its own (unshare -p -f --mount-proc) a
# fixture is shown, killed, and the next process is made to take its PID
# by writing PID-1 to that namespace's ns_last_pid before starting a
# different program (fix_threads).  The TUI's map view must say "process
# exited" and keep the last picture, never follow the new process and call
# its libraries "new"; the batch pipeline must never put one process's
# tree under the other's row.  Before the start time was checked on every
# refresh, the view silently followed the new process.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root for a PID namespace"
# a sanitized fixture's tree (the sanitizers' reservations first) pushes
# the rows this test reads off the screen: the unsanitized build runs it
nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init &&
	skip_all "runs on the unsanitized build"
for f in fix_sleep fix_threads; do
	[ -x "$FIXTURES/$f" ] || bail "$f fixture not built"
done
unshare -p -f --mount-proc --kill-child true 2>/dev/null ||
	skip_all "unshare -p -f --mount-proc is not allowed here"

# ns.sh DIR PROGRAM ARGS...: the namespace's first process.  Starts
# fix_sleep (its PID in DIR/old); once DIR/go exists, kills it, makes the
# next PID the same and starts fix_threads (DIR/newpid, its output in
# DIR/new); runs PROGRAM ARGS with @PID@ replaced by the fixture's PID in
# the foreground.  The namespace ends with PROGRAM (sh is its init).
cat >"$tap_tmpdir/ns.sh" <<'EOS'
dir=$1
shift
(
	"$FIXTURES/fix_sleep" vtreuse >"$dir/old" &
	f=$!
	while [ ! -e "$dir/go" ]; do sleep 0.05; done
	kill -KILL "$f"
	wait "$f" 2>/dev/null
	# nothing forks in this namespace between these two lines: the
	# next PID is f (a shell builtin each)
	echo $((f - 1)) >/proc/sys/kernel/ns_last_pid
	"$FIXTURES/fix_threads" 4 >"$dir/new" &
	echo $! >"$dir/newpid"
	wait
) &
while [ ! -s "$dir/old" ]; do sleep 0.05; done
old=$(cat "$dir/old")
prog=$1
shift
for a in "$@"; do
	[ "$a" = @PID@ ] && a=$old
	set -- "$@" "$a"
	shift
done
"$prog" "$@"
EOS
ns() {	# ns DIR PROGRAM ARGS...
	unshare -p -f --mount-proc --kill-child sh "$tap_tmpdir/ns.sh" "$@"
}

# checks that the reuse happened as planned: DIR/newpid is DIR/old
reused() {
	o=$(cat "$1/old")
	n=$(cat "$1/newpid" 2>/dev/null)
	diag "fixture PID $o, the next process's PID ${n:-none}"
	[ -n "$n" ] && [ "$o" = "$n" ]
}

# --- the TUI's map view -------------------------------------------------------
d="$tap_tmpdir/tui"
mkdir "$d"
cat >"$tap_tmpdir/tui.sh" <<EOW
#!/bin/sh
FIXTURES="$FIXTURES" exec unshare -p -f --mount-proc --kill-child \
	sh "$tap_tmpdir/ns.sh" "$d" \
	"$VMTOP" -d 0.2 -p @PID@
EOW
chmod +x "$tap_tmpdir/tui.sh"
VMTOP="$tap_tmpdir/tui.sh" tmux_start --
tmux_wait "vtreuse" 15 || bail "the fixture did not show in the list"
old=$(cat "$d/old")
tmux_keys Enter
tmux_wait "PID $old vtreuse" 10 || bail "the map view did not open"
tmux_wait "fix_sleep" 10
sleep 1	# a few refreshes of the first process
touch "$d/go"
wait_for 20 test -s "$d/new" || bail "fix_threads did not start"
reused "$d"
ok $? "the next process took the fixture's PID"
# the new process is fully set up: sample the view over 2 s (10 refreshes;
# a change stays marked for 3 of them)
: >"$tap_tmpdir/screens"
i=0
while [ $i -lt 20 ]; do
	tmux_screen >>"$tap_tmpdir/screens"
	sleep 0.1
	i=$((i + 1))
done
tmux_wait "process exited" 10
ok $? "TUI: the map view says the process exited"
tmux_screen >"$tap_tmpdir/screen"
cat "$tap_tmpdir/screens" >>"$tap_tmpdir/screen"
grep -q "PID $old vtreuse" "$tap_tmpdir/screen" &&
	grep -q "fix_sleep" "$tap_tmpdir/screen"
ok $? "TUI: the last picture of the first process stays"
! grep -q "fix_threads" "$tap_tmpdir/screen"
ok $? "TUI: nothing of the new process is shown, at any time"
! grep -Eq "(^|[ │|])new( |$)" "$tap_tmpdir/screen"
ok $? "TUI: no line is marked new, at any time"

tmux_keys F10
tmux_wait "vmtop exited" 10

# --- the batch pipeline over several refreshes --------------------------------
d="$tap_tmpdir/batch"
mkdir "$d"
ns "$d" "$VMTOP" -J -d 0.2 -n 25 -m -p @PID@ >"$tap_tmpdir/j" \
	2>"$tap_tmpdir/err" &
bpid=$!
spawn_register $bpid
wait_for 10 test -s "$d/old" || bail "the fixture did not start"
sleep 1.5
touch "$d/go"
wait "$bpid"
st=$?
is "$st" 0 "batch: vmtop ended with status 0 ($(head -c 200 "$tap_tmpdir/err"))"
reused "$d"
ok $? "batch: the next process took the fixture's PID"
python3 - "$tap_tmpdir/j" "$(cat "$d/old")" >"$tap_tmpdir/res" <<'PY'
import json, sys
pid = int(sys.argv[2])
dec = json.JSONDecoder()
text = open(sys.argv[1]).read()
docs, i = [], 0
while i < len(text):
    if text[i].isspace():
        i += 1
        continue
    doc, i = dec.raw_decode(text, i)
    docs.append(doc)
seen, mixed = [], 0
for doc in docs:
    for p in doc["processes"]:
        if p["pid"] != pid:
            continue
        maps = json.dumps(p.get("maps"))
        seen.append(p["comm"])
        # one process's tree under the other's row
        if p["comm"] == "vtreuse" and "fix_threads" in maps:
            mixed += 1
        if p["comm"] == "fix_threads" and "fix_sleep" in maps:
            mixed += 1
print("docs", len(docs))
print("old", seen.count("vtreuse") > 0)
print("new", seen.count("fix_threads") > 0)
print("mixed", mixed)
PY
sed 's/^/# /' "$tap_tmpdir/res"
grep -q "^old True" "$tap_tmpdir/res" && grep -q "^new True" "$tap_tmpdir/res"
ok $? "batch: the refreshes show the first process, then the new one"
grep -q "^mixed 0" "$tap_tmpdir/res"
ok $? "batch: no row shows the other process's tree"
done_testing
