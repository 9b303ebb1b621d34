#!/bin/sh
# The tree's invariants on every readable process of the machine: leaves
# are exactly the lines of maps, categories add up to VmSize, rss to
# smaps_rollup (with a little slack: other processes keep running).  A
# process whose maps change during every attempt is skipped, not failed.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

checked=0
for dir in /proc/[0-9]*; do
	pid=${dir#/proc/}
	[ -n "$(head -c 1 "$dir/maps" 2>/dev/null)" ] || continue
	python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" invariants "$pid" \
		--loose >"$tap_tmpdir/out" 2>&1
	rc=$?
	[ $rc -eq 3 ] && continue
	checked=$((checked + 1))
	comm=$(cat "$dir/comm" 2>/dev/null | tr -cd '[:alnum:]_.-')
	if [ $rc -eq 4 ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n # SKIP pid $pid ($comm) kept changing its maps"
		continue
	fi
	ok $rc "pid $pid ($comm): tree adds up"
	[ $rc -eq 0 ] || sed 's/^/# /' "$tap_tmpdir/out" | head -n 10
done
[ $checked -gt 0 ] || bail "no readable process"

done_testing
