#!/bin/sh
# Snapshots in the TUI: the live map view of a process with arenas and
# thread stacks saved with w, and that file opened with --load, show the
# same screen (but the clock and the status line); the JSON of -b -J -m
# loaded shows the same tree; [ and ] step through a file's refreshes in
# the list and in the map view; w writes the line -J -m writes, never
# over a file and never through a symbolic link.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
[ -x "$FIXTURES/fix_arenas" ] || bail "fix_arenas fixture not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

# w saves into the current directory: the test's own
cd "$tap_tmpdir" || bail "no temporary directory"

"$FIXTURES/fix_arenas" -x 2 4 "$tap_tmpdir/info.xml" >"$tap_tmpdir/fix" &
spawn_register $!
wait_for 10 grep -q '^tid' "$tap_tmpdir/fix" || bail "fix_arenas did not start"
pid=$(head -1 "$tap_tmpdir/fix")

# The screen without what is bound to differ: the clock at the start of
# the first line and "[paused]" (which cuts its end off), and the status
# line (the live one says the smaps cadence, the loaded one that it is a
# file).
screen_of() {	# screen_of FILE
	tmux_screen | sed -e '1s/^ *[0-9:]* //' -e '1s/ \[paused\]//' \
		-e '1s/^\(.\{70\}\).*/\1/' -e '29d' >"$1"
}
# The same without the PSS column and figure, which move as other
# processes map and unmap the same libraries.
no_pss() {	# no_pss FILE
	sed -e '1s/PSS [^ ]*//' -e 's/^\(.\{18\}\).\{6\}/\1/' "$1"
}
saved_files() {
	ls vmtop-"$pid"-fix_arenas-*.json 2>/dev/null
}

# --- the live view saved with w, and loaded -----------------------------
tmux_start -- -d 0.5 -p "$pid"
tmux_wait "^ *$pid " && tmux_keys Enter && tmux_wait "arena 0x"
ok $? "the live map view of fix_arenas shows its arenas"
tmux_wait "smaps every" 5
# paused, so that the screen is the picture saved
tmux_keys Z w
tmux_wait "Saved to vmtop-$pid-fix_arenas-[0-9]{8}-[0-9]{6}\\.json" 5
ok $? "w says where the picture went"
screen_of live.txt
saved=$(saved_files)
is "$(echo "$saved" | wc -w)" 1 "one file: $saved"
cp "$saved" first.json
is "$(stat -c %a "$saved")" 600 "mode 0600"
is "$(wc -l <"$saved")" 1 "one line"
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
p = d["processes"]
assert d["schema"] == "vmtop/1" and len(p) == 1, d.keys()
assert p[0]["pid"] == int(sys.argv[2]) and p[0]["maps"]["arenas"]["count"] == 4
' "$saved" "$pid"
ok $? "it is a vmtop/1 refresh of the process with its 4 arenas"

tmux_keys w
tmux_wait "Not saved: vmtop-$pid-.*File exists" 5
ok $? "w again in the same second: the file exists, it is not replaced"
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"

tmux_start -- --load "$saved"
tmux_wait "Refresh 1 of 1 in the file" && tmux_wait "^ *$pid .*fix_arenas"
ok $? "--load lists the process of the file"
tmux_keys Enter
tmux_wait "arena 0x"
screen_of loaded.txt
if diff live.txt loaded.txt >diff.txt; then
	ok 0 "the loaded map view is the live one"
else
	ok 1 "the loaded map view is the live one"
	sed 's/^/#   /' diff.txt
fi
tmux_keys '*'
tmux_wait "rw-p"
screen_of loaded_all.txt
tmux_matches "loaded from a file: \\[ and \\] step"
ok $? "the status line says the view is of a file"
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"

# --- the JSON of -b -J -m, loaded ---------------------------------------
tmux_start -- -d 0.5 -p "$pid"
tmux_wait "^ *$pid " && tmux_keys Enter && tmux_wait "arena 0x" &&
	tmux_wait "smaps every" 5
tmux_keys '*'
tmux_wait "rw-p"
screen_of live_all.txt
"$VMTOP" -b -J -m -n 1 -p "$pid" >batch.json
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"
tmux_start -- --load batch.json
tmux_wait "^ *$pid " && tmux_keys Enter && tmux_wait "arena 0x"
tmux_keys '*'
tmux_wait "rw-p"
screen_of batch_all.txt
no_pss live_all.txt >a.txt
no_pss batch_all.txt >b.txt
if diff a.txt b.txt >diff.txt; then
	ok 0 "-J -m loaded: the tree unfolded is the live one (PSS aside)"
else
	ok 1 "-J -m loaded: the tree unfolded is the live one (PSS aside)"
	sed 's/^/#   /' diff.txt
fi
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"

# --- [ and ] through three refreshes ------------------------------------
# the same refresh three times, an hour apart; in the first, the process
# has RES 111 MiB and one arena less
python3 -c '
import json, sys
line = open(sys.argv[1]).read()
for k in range(3):
    d = json.loads(line)
    d["time"] = 1700000000 + 3600 * k
    if k == 0:
        p = d["processes"][0]
        p["rss_kib"] = 111 * 1024
        m = p["maps"]
        arenas = [c for c in m["categories"] if c["kind"] == "arena"][0]
        gone = arenas["groups"].pop()
        m["arenas"]["items"] = [a for a in m["arenas"]["items"]
                                if a["base"] != gone["regions"][0]["start"]]
        m["arenas"]["count"] = len(m["arenas"]["items"])
    print(json.dumps(d))
' first.json >three.json
tmux_start -- --load three.json
tmux_wait "Refresh 3 of 3 in the file"
ok $? "three refreshes: the last is shown first"
t3=$(tmux_screen | sed -n '1s/.*vmtop \([-0-9]* [0-9:]*\).*/\1/p')
tmux_keys '['
tmux_wait "Refresh 2 of 3 in the file"
t2=$(tmux_screen | sed -n '1s/.*vmtop \([-0-9]* [0-9:]*\).*/\1/p')
tmux_keys '['
tmux_wait "Refresh 1 of 3 in the file" && tmux_wait " 111M "
ok $? "[ [ steps back to the first, with its figures"
tmux_keys '['
tmux_wait "This is the file's first refresh" 3
ok $? "[ at the first says so"
[ -n "$t3" ] && [ -n "$t2" ] && [ "$t3" != "$t2" ]
ok $? "the header shows each refresh's time ($t2, then $t3)"
tmux_keys Enter
tmux_wait "3 glibc malloc arenas map"
ok $? "Enter opens the map of the refresh shown (3 arenas)"
c1=$(tmux_screen | sed -n '1s/^ *\([0-9:]*\) .*/\1/p')
tmux_keys ']'
tmux_wait "4 glibc malloc arenas map"
c2=$(tmux_screen | sed -n '1s/^ *\([0-9:]*\) .*/\1/p')
[ -n "$c1" ] && [ "$c1" != "$c2" ]
ok $? "] in the map view: the next refresh's map (4 arenas) and time ($c1, $c2)"
tmux_keys ']' ']'
tmux_wait "This is the file's last refresh" 3
ok $? "] at the last says so"

# --- w refuses a symbolic link ------------------------------------------
rm -f vmtop-*.json
tmux_keys w
tmux_wait "Saved to vmtop-$pid-fix_arenas-" 5
name=$(saved_files)
# the line saved from the file is the file's line: its time is the third
# refresh's, so the bytes differ from the first save by that alone
python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).read()); b = json.loads(open(sys.argv[2]).read())
a["time"] = b["time"]
assert a == b
' "$name" first.json
ok $? "saved from a loaded file: the same refresh"
rm -f "$name"
ln -s "$tap_tmpdir/target" "$name"
tmux_keys w
tmux_wait "Not saved: $name: File exists" 5
ok $? "w refuses a symbolic link in the file's place"
[ ! -e "$tap_tmpdir/target" ] && [ -L "$name" ]
ok $? "nothing was written through it"
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"
is "$(tmux_exit_status)" 0 "q quits with status 0"

# --- a process absent from a refresh, back in the next -------------------
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).read())
d["time"] -= 60
print(json.dumps(dict(d, processes=[])))
print(open(sys.argv[1]).read().strip())
' first.json >gap.json
tmux_start -- --load gap.json
tmux_wait "Refresh 2 of 2" && tmux_keys Enter && tmux_wait "arena 0x"
tmux_keys '['
tmux_wait "process exited"
ok $? "[ to a refresh without the process: the map says it is gone"
tmux_keys ']'
tmux_wait_gone "process exited" && tmux_wait "4 glibc malloc arenas map" &&
	tmux_matches "arena 0x"
ok $? "] back to a refresh with it: its map again"
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"

# --- the history of a loaded leak -----------------------------------------
# the map view opened on the last refresh of a recorded leak has the
# growth insight and TREND the live run had at that refresh; [ steps
# back to the one before, with that refresh's insight
"$FIXTURES/fix_leak" heap 1024 >leak.out &
spawn_register $!
wait_for 10 test -s leak.out || bail "fix_leak did not start"
lp=$(head -n 1 leak.out)
"$VMTOP" -b -J -m -d 0.5 -n 20 -p "$lp" >leak.json
growth_of() {	# growth_of LINE: the growth insight of that line, as a regex
	sed -n "$1p" leak.json | python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
t = [i["text"] for i in d["processes"][0]["maps"]["insights"]
     if i["id"] == "growth"]
# the span in seconds is rounded from the times of the refreshes, which the
# file keeps to the millisecond: one second either way
if not t:
    print("NONE")
else:
    e = re.sub(r"([.()*+?^$|\[\]])", r"\\\1", t[0])
    print(re.sub(r" in [0-9]+ s ", " in [0-9]+ s ", e))
'
}
tmux_start -- --load leak.json
tmux_wait "Refresh 20 of 20" && tmux_keys Enter &&
	tmux_wait "PID $lp .*VSZ"
want=$(growth_of 20)
tmux_wait "^ \\* $want" 5
ok $? "the map view of the last refresh has the live growth insight"
tmux_matches "[▁▂▃▄▅▆▇█]{8} \\+ heap"
ok $? "and TREND draws the heap's sparkline"
tmux_keys '['
want=$(growth_of 19)
tmux_wait "^ \\* $want" 5
ok $? "[: the refresh before, with its own growth insight"
tmux_keys q q
wait_for 10 test -n "$(tmux_exit_status)"

# --- a file that is not a snapshot: one line, status 1 -------------------
head -c 100 first.json >cut.json
tmux_start -- --load cut.json
tmux_wait "vmtop exited"
tmux_matches "^vmtop: cut.json:1: truncated: the file ends inside a refresh"
ok $? "the TUI refuses a truncated file with one line"
is "$(tmux_exit_status)" 1 "status 1"

done_testing
