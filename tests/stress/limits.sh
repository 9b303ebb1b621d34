#!/bin/sh
# Stress: limits.  A process at vm.max_map_count (about 65 000 mappings),
# one with 10 000 threads, and 5 000 processes: vmtop reads each one's
# tree and the whole list, and its peak RSS on the big address space
# stays within BENCHMARKS.md's bound, 3 MiB + 128 bytes per mapping.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x /usr/bin/time ] || skip_all "GNU time (/usr/bin/time) is needed"
for f in fix_maps fix_manythreads fix_churn; do
	[ -x "$FIXTURES/$f" ] || bail "$f fixture not built"
done

peak() {	# peak OUT ARGS...: runs vmtop; prints its status and peak KiB
	out=$1
	shift
	/usr/bin/time -f "%x %M" -o "$tap_tmpdir/time" \
		"$VMTOP" "$@" >"$out" 2>"$tap_tmpdir/err"
	tail -1 "$tap_tmpdir/time"
}

# tree PID FILE: "REGIONS THREADS" of PID's tree in a -J -m document
tree() {
	python3 - "$1" "$2" <<'PY'
import json, sys
pid = int(sys.argv[1])
for line in open(sys.argv[2], errors="surrogateescape"):
    for p in json.loads(line)["processes"]:
        if p["pid"] == pid and p["maps"]:
            m = p["maps"]
            print(m["totals"]["regions"], len(m["threads"]), p["threads"])
            sys.exit(0)
print("none none none")
PY
}

# --- max_map_count -----------------------------------------------------------
max=$(cat /proc/sys/vm/max_map_count)
anon=55000
file=10000
if [ $((anon + file + 400)) -gt "$max" ]; then
	anon=$((max - file - 400))
	diag "vm.max_map_count is $max: $anon + $file mappings"
fi
"$FIXTURES/fix_maps" "$anon" "$file" >"$tap_tmpdir/maps" &
spawn_register $!
if ! wait_for 60 test -s "$tap_tmpdir/maps"; then
	bail "fix_maps did not start"
fi
pid=$(cut -d' ' -f1 "$tap_tmpdir/maps")
nmaps=$(wc -l <"/proc/$pid/maps")
diag "fix_maps: $nmaps mappings (vm.max_map_count $max)"
set -- $(peak "$tap_tmpdir/j" -b -n 1 -m -J -p "$pid")
is "$1" 0 "$nmaps mappings: -b -n 1 -m -J -p exits 0"
kib=$2
set -- $(tree "$pid" "$tap_tmpdir/j")
is "$1" "$nmaps" "$nmaps mappings: every one is in the tree"
bound=$((3 * 1024 + nmaps * 128 / 1024))
diag "peak RSS with the JSON tree: $kib KiB; bound 3 MiB + 128 B x $nmaps = $bound KiB"
set -- $(peak "$tap_tmpdir/t" -b -n 1 -m -p "$pid")
is "$1" 0 "$nmaps mappings: text -b -n 1 -m -p exits 0"
diag "peak RSS with the text tree: $2 KiB"
if nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init; then
	ok 0 "# SKIP peak RSS: an ASan build's RSS is not vmtop's"
else
	[ "$kib" -le "$bound" ] && [ "$2" -le "$bound" ]
	ok $? "peak RSS within 3 MiB + 128 B per mapping (BENCHMARKS.md)"
fi
kill -KILL "$pid"

# --- 10 000 threads ---------------------------------------------------------
want=10000
tmax=$(cat /proc/sys/kernel/threads-max)
pidmax=$(cat /proc/sys/kernel/pid_max)
nproc_limit=$(awk '/^Max processes/ { print $3 }' /proc/self/limits)
reason=""
[ "$tmax" -lt $((want + 2000)) ] && reason="threads-max is $tmax"
[ "$pidmax" -lt $((want + 2000)) ] && reason="pid_max is $pidmax"
[ "$nproc_limit" != unlimited ] && [ "$(id -u)" -ne 0 ] &&
	[ "$nproc_limit" -lt $((want + 500)) ] && reason="the process limit is $nproc_limit"
if [ -n "$reason" ]; then
	ok 0 "# SKIP 10 000 threads: $reason"
	ok 0 "# SKIP 10 000 threads: $reason"
else
	"$FIXTURES/fix_manythreads" "$want" 64 >"$tap_tmpdir/thr" 2>"$tap_tmpdir/thr.err" &
	spawn_register $!
	wait_for 60 test -s "$tap_tmpdir/thr" || bail "fix_manythreads did not start"
	set -- $(cat "$tap_tmpdir/thr")
	tpid=$1
	if [ "$2" -lt "$want" ]; then
		ok 0 "# SKIP 10 000 threads: the system refused after $2: $(cat "$tap_tmpdir/thr.err")"
		ok 0 "# SKIP 10 000 threads: refused"
	else
		set -- $(peak "$tap_tmpdir/j" -b -n 1 -m -J -p "$tpid")
		is "$1" 0 "10 000 threads: -b -n 1 -m -J -p exits 0"
		diag "peak RSS: $2 KiB, $(wc -c <"$tap_tmpdir/j") bytes of JSON"
		set -- $(tree "$tpid" "$tap_tmpdir/j")
		[ "$2" = $((want + 1)) ] && [ "$3" = $((want + 1)) ]
		ok $? "10 000 threads: all $((want + 1)) listed (threads $3, in the tree $2)"
	fi
	kill -KILL "$tpid"
fi

# --- 5 000 processes --------------------------------------------------------
want=5000
reason=""
[ "$pidmax" -lt $((want + 3000)) ] && reason="pid_max is $pidmax"
[ "$nproc_limit" != unlimited ] && [ "$(id -u)" -ne 0 ] &&
	[ "$nproc_limit" -lt $((want + 500)) ] && reason="the process limit is $nproc_limit"
if [ -n "$reason" ]; then
	ok 0 "# SKIP 5 000 processes: $reason"
	ok 0 "# SKIP 5 000 processes: $reason"
	ok 0 "# SKIP 5 000 processes: $reason"
	ok 0 "# SKIP 5 000 processes: $reason"
	done_testing
fi
# fix_churn with no churn: HOLD idle children, in its own process group
"$FIXTURES/fix_churn" 300 0 "$want" >"$tap_tmpdir/tree" 2>"$tap_tmpdir/tree.err" &
spawn_register $!
wait_for 120 test -s "$tap_tmpdir/tree" || bail "fix_churn did not start"
set -- $(cat "$tap_tmpdir/tree")
root=$1
trap 'kill -9 "-$root" 2>/dev/null; tap_cleanup' EXIT
if [ "$2" -lt "$want" ]; then
	ok 0 "# SKIP 5 000 processes: $(cat "$tap_tmpdir/tree.err")"
	ok 0 "# SKIP 5 000 processes: refused"
	ok 0 "# SKIP 5 000 processes: refused"
	ok 0 "# SKIP 5 000 processes: refused"
	done_testing
fi
set -- $(peak "$tap_tmpdir/j" -b -n 2 -d 0.5 -J)
is "$1" 0 "5 000 processes: -b -n 2 -J exits 0"
diag "peak RSS of the list: $2 KiB"
python3 - "$tap_tmpdir/j" "$root" <<'PY' >"$tap_tmpdir/count"
import json, sys
root = int(sys.argv[2])
docs = [json.loads(l) for l in open(sys.argv[1], errors="surrogateescape")]
print(len(docs), min(sum(1 for p in d["processes"] if p["ppid"] == root) for d in docs))
PY
set -- $(cat "$tap_tmpdir/count")
[ "$1" = 2 ] && [ "$2" -ge "$want" ]
ok $? "5 000 processes: both refreshes list every child ($2)"
set -- $(peak "$tap_tmpdir/j" -b -n 1 -m -J -p "$root")
is "$1" 0 "5 000 processes: -b -n 1 -m -J -p on their parent exits 0"
# a pattern that backtracks without end, matched on 10 000 names and
# command lines: PCRE2's default limit let it take 100 s per refresh
/usr/bin/time -f "%x %U" -o "$tap_tmpdir/time" \
	timeout 60 "$VMTOP" -b -n 1 '(.*.*)*x$' >/dev/null 2>&1
set -- $(tail -1 "$tap_tmpdir/time")
diag "5 000 processes, pattern (.*.*)*x\$: status $1, $2 s of CPU"
[ "$1" = 0 ] && awk -v u="$2" 'BEGIN { exit !(u < 15) }'
ok $? "5 000 processes: a backtracking pattern costs seconds, not minutes"
kill -9 "-$root"
done_testing
