#!/bin/sh
# The arenas of `vmtop -b -m -J` against glibc's own malloc_info(), with
# and without arena caps, and pthread stacks against the size asked for.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
check_maps() { python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" "$@"; }

# start_fix NAME [ENV...] -- ARGS: runs fix_arenas, sets $pid
start_fix() {
	name=$1
	shift
	env "$@" >"$tap_tmpdir/$name.out" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/$name.xml" ||
		bail "fix_arenas ($name) did not start"
	wait_for 10 grep -q . "$tap_tmpdir/$name.out"
	pid=$(head -n 1 "$tap_tmpdir/$name.out")
}

start_fix four "$FIXTURES/fix_arenas" 4 "$tap_tmpdir/four.xml"
check "4 threads: arenas match malloc_info" \
	check_maps arenas "$pid" "$tap_tmpdir/four.xml"
check "4 threads: categories add up to VmSize, rss to smaps_rollup" \
	check_maps invariants "$pid"
check "4 threads: each thread has an 8 MiB stack with its guard" \
	check_maps stacks "$pid" 8192 \
	$(sed -n 's/^tid //p' "$tap_tmpdir/four.out")
"$VMTOP" -b -n 1 -m -J -p "$pid" | python3 -c '
import json, sys
m = json.load(sys.stdin)["processes"][0]["maps"]
ids = [i["id"] for i in m["insights"]]
assert ids[0] == "arenas", ids
t = m["insights"][0]["text"]
assert t.startswith("4 glibc malloc arenas map 256 MiB (64 MiB each; "), t
assert "MALLOC_ARENA_MAX=1" in t, t
'
ok $? "the largest insight names the 4 arenas and MALLOC_ARENA_MAX"

start_fix one MALLOC_ARENA_MAX=1 "$FIXTURES/fix_arenas" 4 "$tap_tmpdir/one.xml"
check "MALLOC_ARENA_MAX=1: no arena" \
	check_maps arenas "$pid" "$tap_tmpdir/one.xml" 1

start_fix cap3 MALLOC_ARENA_MAX=3 "$FIXTURES/fix_arenas" 10 \
	"$tap_tmpdir/cap3.xml"
check "MALLOC_ARENA_MAX=3 and 10 threads: exactly the cap" \
	check_maps arenas "$pid" "$tap_tmpdir/cap3.xml" 3

start_fix tun GLIBC_TUNABLES=glibc.malloc.arena_max=2 \
	"$FIXTURES/fix_arenas" 10 "$tap_tmpdir/tun.xml"
check "glibc.malloc.arena_max=2 and 10 threads: exactly the cap" \
	check_maps arenas "$pid" "$tap_tmpdir/tun.xml" 2

cap=$((8 * $(getconf _NPROCESSORS_ONLN)))
start_fix many "$FIXTURES/fix_arenas" $((cap + 4)) "$tap_tmpdir/many.xml"
check "$((cap + 4)) threads: the default cap of 8 x CPUs = $cap" \
	check_maps arenas "$pid" "$tap_tmpdir/many.xml" "$cap"
check "$((cap + 4)) threads: categories add up" check_maps invariants "$pid"

start_fix small "$FIXTURES/fix_arenas" -s 1024 3 "$tap_tmpdir/small.xml"
check "pthread_attr_setstacksize(1 MiB): 1 MiB stack per TID" \
	check_maps stacks "$pid" 1024 \
	$(sed -n 's/^tid //p' "$tap_tmpdir/small.out")

start_fix quit "$FIXTURES/fix_arenas" -x 3 2 "$tap_tmpdir/quit.xml"
check "threads that exited: arenas still match malloc_info" \
	check_maps arenas "$pid" "$tap_tmpdir/quit.xml"
"$VMTOP" -b -n 1 -m -J -p "$pid" | python3 -c '
import json, sys
m = json.load(sys.stdin)["processes"][0]["maps"]
cat = [c for c in m["categories"] if c["kind"] == "thread_stack"][0]
unowned = [g for g in cat["groups"] if g["name"] == "unowned"]
assert len(unowned) == 1, [g["name"] for g in cat["groups"]]
regs = unowned[0]["regions"]
stacks = [r for r in regs if "guard" not in r["tags"]]
guards = [r for r in regs if "guard" in r["tags"]]
assert len(stacks) == 3 and len(guards) == 3, regs
assert all(r["vsz_kib"] == 8192 for r in stacks), stacks
assert all(r["vsz_kib"] == 4 and r["perms"] == "---p" for r in guards)
'
ok $? "3 exited threads leave 3 unowned (cached) stacks with guards"

done_testing
