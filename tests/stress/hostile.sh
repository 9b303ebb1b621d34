#!/bin/sh
# Stress: what other users' processes and the terminal can make vmtop
# cost.  Each part failed before vmtop bounded it:
#   1. 500 children sharing a 1 MiB argument list: -b -c used 1 GB;
#   2. 20 000 mappings of hard links with 4 000-byte paths: -b -m 168 MB,
#      the TUI 337 MB;
#   3. a 30 000-character filter typed into the TUI: each key redrew the
#      line in time quadratic in its length;
#   4. (?=(a+))*\1c on a 960 KB command line: 50 s per refresh;
#   5. LINES=3000 COLUMNS=3000: the TUI used 742 MB.
# Peak memory comes from GNU time's %M (KiB).
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x /usr/bin/time ] || skip_all "GNU time (/usr/bin/time) is needed"
for f in fix_longargv fix_longpaths; do
	[ -x "$FIXTURES/$f" ] || bail "$f fixture not built"
done
asan=
nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init && asan=1

peak() {	# peak OUT ARGS...: runs vmtop; prints its status, KiB, seconds
	out=$1
	shift
	/usr/bin/time -f "%x %M %e" -o "$tap_tmpdir/time" \
		timeout 300 "$VMTOP" "$@" >"$out" 2>"$tap_tmpdir/err"
	tail -1 "$tap_tmpdir/time"
}

within() {	# within KIB BOUND NAME: a peak no larger than BOUND
	if [ -n "$asan" ]; then
		ok 0 "# SKIP $3: an ASan build's RSS is not vmtop's"
	else
		[ "$1" -le "$2" ]
		ok $? "$3: $1 KiB <= $2 KiB"
	fi
}

# The TUI runs under GNU time through this wrapper.
real=$VMTOP
cat >"$tap_tmpdir/timed.sh" <<EOW
#!/bin/sh
exec /usr/bin/time -f "%x %M %e" -o "$tap_tmpdir/tui.time" "$real" "\$@"
EOW
chmod +x "$tap_tmpdir/timed.sh"
tui_peak() {	# KiB of the last TUI run, once it has ended
	wait_for 30 test -s "$tap_tmpdir/tui.time" &&
		tail -1 "$tap_tmpdir/tui.time" | cut -d' ' -f2
}
tui_run() {	# tui_run [ENV...] -- ARGS: a timed TUI
	rm -f "$tap_tmpdir/tui.time"
	VMTOP="$tap_tmpdir/timed.sh" tmux_start "$@"
}
tui_quit() {
	tmux_keys F10
	tmux_wait "vmtop exited" 30
}

# --- 1. command lines -------------------------------------------------------
"$FIXTURES/fix_longargv" 500 1024 >"$tap_tmpdir/argv" 2>"$tap_tmpdir/argv.err" &
spawn_register $!
wait_for 60 test -s "$tap_tmpdir/argv" || bail "fix_longargv did not start"
set -- $(cat "$tap_tmpdir/argv")
apid=$1
diag "fix_longargv: $2 children of $apid, $(wc -c <"/proc/$apid/cmdline") bytes of arguments each"
nproc=$(ls /proc | grep -c '^[0-9]')
set -- $(peak "$tap_tmpdir/c" -b -n 1 -c)
is "$1" 0 "long argv: -b -n 1 -c exits 0"
diag "long argv: -b -n 1 -c peak $2 KiB, $3 s, $(wc -c <"$tap_tmpdir/c") bytes out"
within "$2" $((8192 + nproc * 16)) "long argv: -c within 8 MiB + 16 KiB x $nproc processes"
n=$(grep -c 'aaaa\.\.\.$' "$tap_tmpdir/c")
[ "$n" -ge 501 ]
ok $? "long argv: the cut command lines end in \"...\" ($n)"
set -- $(peak "$tap_tmpdir/j" -b -n 1 -J)
is "$1" 0 "long argv: -J exits 0"
diag "long argv: -J peak $2 KiB, $3 s"
within "$2" $((8192 + nproc * 16)) "long argv: -J within 8 MiB + 16 KiB x $nproc processes"
python3 - "$tap_tmpdir/j" "$apid" <<'PY' >"$tap_tmpdir/count"
import json, sys
root = int(sys.argv[2])
doc = json.loads(open(sys.argv[1], errors="surrogateescape").readline())
fam = [p for p in doc["processes"] if p["pid"] == root or p["ppid"] == root]
cut = [p for p in fam if p["cmdline_truncated"] is True]
longest = max(len(p["cmdline"].encode("utf-8", "surrogateescape")) for p in fam)
short = [p for p in doc["processes"] if p["cmdline_truncated"] is False]
print(len(fam), len(cut), longest, len(short))
PY
set -- $(cat "$tap_tmpdir/count")
[ "$1" -ge 501 ] && [ "$2" = "$1" ] && [ "$3" -le 4096 ] && [ "$4" -ge 1 ]
ok $? "long argv: JSON has cmdline_truncated true on all $1 ($2), at most 4096 bytes kept ($3), false elsewhere ($4)"
# the pattern is matched against what was kept
set -- $(peak "$tap_tmpdir/f" -b -n 1 -c 'run 500 a{4000}')
n=$(grep -c "fix_longargv --run" "$tap_tmpdir/f")
[ "$1" = 0 ] && [ "$n" -ge 501 ]
ok $? "long argv: a pattern matches the kept command line ($n rows)"
kill -KILL "$apid"

# --- 4. regex time ------------------------------------------------------------
# (?=(a+))*\1c scans the rest of the subject at each starting point, once
# PCRE2 has seen a "c" after it: on 960 KB of "a" then "bc" (cut to 4 KiB
# now) and on 3 KiB of them (matched whole: the time bound gives up)
"$FIXTURES/fix_longargv" 1 960 a bc >"$tap_tmpdir/rx" 2>&1 &
spawn_register $!
"$FIXTURES/fix_longargv" 1 3 a bc >"$tap_tmpdir/rx3" 2>&1 &
spawn_register $!
wait_for 60 test -s "$tap_tmpdir/rx" || bail "fix_longargv (regex) did not start"
wait_for 60 test -s "$tap_tmpdir/rx3" || bail "fix_longargv (regex) did not start"
rpid=$(cut -d' ' -f1 "$tap_tmpdir/rx")
r3pid=$(cut -d' ' -f1 "$tap_tmpdir/rx3")
set -- $(peak "$tap_tmpdir/r" -b -n 1 -c '(?=(a+))*\1c')
diag "regex: (?=(a+))*\\1c with a 960 KB command line: status $1, $3 s"
[ "$1" = 0 ] && awk -v s="$3" 'BEGIN { exit !(s < 5) }'
ok $? "regex: a refresh takes seconds at most, not minutes ($3 s)"
tui_run -- -d 1 '(?=(a+))*\1c'
tmux_wait "costs too much" 20
ok $? "regex: the TUI says on its status line that the filter gave up"
tui_quit
kill -KILL "$rpid" "$r3pid"

# --- 2. mapping paths -------------------------------------------------------
mkdir "$tap_tmpdir/lp"
"$FIXTURES/fix_longpaths" "$tap_tmpdir/lp" 20000 4000 >"$tap_tmpdir/paths" 2>"$tap_tmpdir/paths.err" &
lpid=$!
spawn_register $lpid
wait_for 240 test -s "$tap_tmpdir/paths" || bail "fix_longpaths did not start: $(cat "$tap_tmpdir/paths.err")"
set -- $(cat "$tap_tmpdir/paths")
nmaps=$2
npaths=$(awk 'NF >= 6 { print $6 }' "/proc/$lpid/maps" | sort -u | wc -l)
diag "fix_longpaths: $nmaps mappings, $npaths distinct paths"
bound=$((5 * 1024 + nmaps * 128 / 1024 + npaths))
set -- $(peak "$tap_tmpdir/t" -b -n 1 -m -p "$lpid")
is "$1" 0 "long paths: -b -n 1 -m exits 0"
diag "long paths: -m peak $2 KiB, $3 s, $(wc -c <"$tap_tmpdir/t") bytes out"
within "$2" "$bound" "long paths: -m within 5 MiB + 128 B per mapping + 1 KiB per path"
maps_before=$(wc -l <"/proc/$lpid/maps")
set -- $(peak "$tap_tmpdir/j" -b -n 1 -m -J -p "$lpid")
maps_after=$(wc -l <"/proc/$lpid/maps")
is "$1" 0 "long paths: -m -J exits 0"
diag "long paths: -m -J peak $2 KiB, $3 s"
within "$2" "$bound" "long paths: -m -J within 5 MiB + 128 B per mapping + 1 KiB per path"
python3 - "$tap_tmpdir/j" "$lpid" <<'PY' >"$tap_tmpdir/count"
import json, sys
pid = int(sys.argv[2])
doc = json.loads(open(sys.argv[1], errors="surrogateescape").readline())
m = [p for p in doc["processes"] if p["pid"] == pid][0]["maps"]
paths = [r["path"] for c in m["categories"] for g in c["groups"]
         for r in g["regions"] if "/link-" in r["path"]]
cut = [p for p in paths if "..." in p]
print(m["totals"]["regions"], len(paths), len(cut),
      max(len(p.encode("utf-8", "surrogateescape")) for p in paths),
      len(set(paths)))
PY
set -- $(cat "$tap_tmpdir/count")
# the fixture's own count; a sanitized fixture's allocator may map a few
# more regions after it counted: then the maps of the moment of the read
if [ "$maps_before" = "$maps_after" ]; then
	is "$1" "$maps_after" "long paths: every mapping is in the tree"
else
	[ "$1" -ge "$nmaps" ] && [ "$1" -le "$maps_after" ]
	ok $? "long paths: every mapping is in the tree ($1, maps" \
		"had $maps_before then $maps_after)"
fi
[ "$2" = 20000 ] && [ "$3" = 20000 ] && [ "$4" -le 1024 ] && [ "$5" = 20000 ]
ok $? "long paths: all $2 cut around \"...\" ($3), at most 1024 bytes ($4), still told apart ($5)"
tui_run -- -d 2 -m -p "$lpid"
tmux_wait "mapped files" 60
ok $? "long paths: the TUI shows the tree"
tui_quit
kib=$(tui_peak)
diag "long paths: TUI peak $kib KiB"
within "${kib:-999999999}" $((5 * 1024 + nmaps + npaths)) \
	"long paths: the TUI within 5 MiB + 1 KiB per mapping + 1 KiB per path"
kill -KILL "$lpid"
wait "$lpid" 2>/dev/null
rm -rf "$tap_tmpdir/lp"
[ ! -e "$tap_tmpdir/lp" ]
ok $? "long paths: the links are removed"

# --- 3. the filter line -------------------------------------------------------
tui_run -- -d 5
tmux_wait "Tasks:" 10
tmux_keys '\'
tmux_wait "Filter:" 5
t0=$(date +%s%N)
i=0
while [ $i -lt 30 ]; do	# 30 000 characters, 1 000 a time
	tmux_type "$(printf '%01000d' 0 | tr 0 z)"
	i=$((i + 1))
done
tmux_keys Escape
tmux_wait_gone "Filter:" 60
st=$?
ms=$((($(date +%s%N) - t0) / 1000000))
diag "filter line: 30 000 characters typed and drawn in $ms ms"
[ "$st" = 0 ] && [ "$ms" -lt 30000 ]
ok $? "filter line: 30 000 characters take seconds, not minutes ($ms ms)"
tui_quit
is "$(tmux_exit_status)" 0 "filter line: vmtop quits normally after it"

# --- 5. LINES and COLUMNS -------------------------------------------------------
tui_run LINES=3000 COLUMNS=3000 -- -d 1
sleep 3
tmux_keys F10
tmux_wait "vmtop exited" 30
is "$(tmux_exit_status)" 0 "LINES=3000 COLUMNS=3000: runs and quits normally"
kib=$(tui_peak)
diag "LINES=3000 COLUMNS=3000: peak $kib KiB"
within "${kib:-999999999}" 65536 "LINES=3000 COLUMNS=3000: within 64 MiB (500 x 1000 cells)"
done_testing
