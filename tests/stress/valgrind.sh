#!/bin/sh
# Stress: three refreshes of every process's memory-map tree under
# valgrind's memcheck: no invalid access, no use of uninitialised memory,
# no definite leak.  Skipped (not passed) when valgrind is missing or the
# build is instrumented by ASan, which valgrind cannot run.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v valgrind >/dev/null 2>&1 || skip_all "valgrind is not installed"
if nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init; then
	skip_all "ASan build: valgrind cannot run it (the ASan run covers it)"
fi

# a few interesting processes besides the machine's own: arenas, threads
"$FIXTURES/fix_threads" 8 >"$tap_tmpdir/thr" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/thr" || bail "fix_threads did not start"

vg() {	# vg LOG ARGS...: vmtop under memcheck, output to $tap_tmpdir/out
	log=$1
	shift
	timeout 300 valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--track-fds=no --log-file="$tap_tmpdir/$log" \
		"$VMTOP" "$@" >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
}

vg vg1.log -b -n 3 -d 0.2 -m
rc=$?
is "$rc" 0 "valgrind: -b -n 3 -d 0.2 -m over all processes is clean"
[ "$rc" -ne 0 ] && sed 's/^/#   /' "$tap_tmpdir/vg1.log" | head -60
is "$(grep -c '^vmtop - ' "$tap_tmpdir/out")" 3 "and printed three refreshes"
is "$(cat "$tap_tmpdir/err")" "" "with nothing on stderr"

# JSON and a pattern (PCRE2 matching on command lines) over a subset
vg vg2.log -b -n 2 -d 0.2 -m -J 'fix_|bash'
rc=$?
is "$rc" 0 "valgrind: -J -m with a pattern is clean"
[ "$rc" -ne 0 ] && sed 's/^/#   /' "$tap_tmpdir/vg2.log" | head -60
is "$(wc -l <"$tap_tmpdir/out")" 2 "and printed two documents"

# error paths: an invalid regex, a missing PID
vg vg3.log -b -n 1 '('
is "$?" 2 "valgrind: an invalid regex exits 2 (no leak on the way out)"
[ -s "$tap_tmpdir/vg3.log" ] && sed 's/^/#   /' "$tap_tmpdir/vg3.log" | head -40
vg vg4.log -b -n 1 -m -p 999999999
is "$?" 1 "valgrind: a missing PID exits 1 (no leak on the way out)"
[ -s "$tap_tmpdir/vg4.log" ] && sed 's/^/#   /' "$tap_tmpdir/vg4.log" | head -40
done_testing
