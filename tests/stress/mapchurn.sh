#!/bin/sh
# Stress: an address space that never holds still.  vmtop watches, 300
# refreshes 20 ms apart, a process that maps, splits and unmaps without
# pause, then one that re-executes itself every few milliseconds: it
# exits 0, every document's tree adds up (totals = sum of categories =
# sum of groups = sum of regions), and its open descriptors do not grow.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_mapchurn" ] || bail "fix_mapchurn fixture not built"
check="$TOP_SRCDIR/tests/stress/mapcheck_stream.py"

fd_count() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

# watch NAME FIXTURE-ARGS...: runs the fixture and vmtop on it
watch() {
	name=$1
	shift
	"$FIXTURES/fix_mapchurn" "$@" >"$tap_tmpdir/fix" &
	fix=$!
	spawn_register $fix
	wait_for 10 test -s "$tap_tmpdir/fix" || bail "fix_mapchurn did not start"
	rm -f "$tap_tmpdir/fifo"
	mkfifo "$tap_tmpdir/fifo"
	python3 "$check" "$fix" <"$tap_tmpdir/fifo" >"$tap_tmpdir/check" \
		2>"$tap_tmpdir/problems" &
	checker=$!
	spawn_register $checker
	"$VMTOP" -b -d 0.02 -n 300 -m -J -p "$fix" >"$tap_tmpdir/fifo" \
		2>"$tap_tmpdir/err" &
	vm=$!
	spawn_register $vm
	# descriptors: a refresh holds a few for a moment (the pid directory,
	# the file being read, the task directory), a leak keeps them; the
	# fewest seen in the last third must stay near the fewest seen in the
	# first third (after the first two samples: before its first refresh
	# vmtop has not opened the files it keeps, stat and statm, yet)
	: >"$tap_tmpdir/fds"
	while kill -0 $vm 2>/dev/null; do
		fd_count $vm >>"$tap_tmpdir/fds"
		sleep 0.1
	done
	wait $vm
	is "$?" 0 "$name: vmtop exits 0"
	wait $checker
	is "$(head -c 2000 "$tap_tmpdir/err")" "" "$name: nothing on stderr"
	set -- $(cat "$tap_tmpdir/check")
	is "$1" 300 "$name: 300 documents"
	is "$2" 0 "$name: every tree adds up"
	[ "${2:-1}" -ne 0 ] && sed 's/^/# /' "$tap_tmpdir/problems"
	[ "${3:-0}" -gt 250 ]
	ok $? "$name: a tree in most documents (${3:-0} of 300)"
	set -- $(awk 'NF && $1 > 0 { n[++k] = $1 }
		END {
			m = int(k / 3); if (m < 1) m = 1
			least = late = most = 0
			for (i = 3; i <= k; i++) {
				if (i <= m + 2 && (!least || n[i] < least)) least = n[i]
				if (i > k - m && (!late || n[i] < late)) late = n[i]
				if (n[i] > most) most = n[i]
			}
			print least, late, most, k
		}' "$tap_tmpdir/fds")
	[ "${4:-0}" -ge 10 ] && [ "$2" -le $(($1 + 1)) ] && [ "$3" -le $(($1 + 6)) ]
	ok $? "$name: open descriptors do not grow (fewest early $1, fewest late $2, most $3, $4 samples)"
	kill -KILL $fix 2>/dev/null
	wait $fix 2>/dev/null
}

watch "map churn" 90
watch "exec churn" -x 90
done_testing
