#!/bin/sh
# Stress: SWAP for more -p PIDs than libproc2 selects at once (255).  300
# processes with pages in swap, listed with one -p: every one has its
# swap_kib, equal to VmSwap of its status.  Like list_swap.sh, the test
# adds a small swap file for its duration (root only) when the machine
# has none.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
nproc=300

. "$TOP_SRCDIR/tests/lib/swap.sh"

i=0
while [ "$i" -lt "$nproc" ]; do
	"$FIXTURES/fix_swap" 16 >"$tap_tmpdir/pid.$i" &
	spawn_register $!
	i=$((i + 1))
done
started() { [ "$(cat "$tap_tmpdir"/pid.* | wc -l)" -eq "$nproc" ]; }
wait_for 30 started || bail "the $nproc fix_swap did not start"
pids=$(cat "$tap_tmpdir"/pid.* | paste -sd, -)

all_swapped() {
	for p in $(echo "$pids" | tr , ' '); do
		[ "$(awk '/^VmSwap:/ {print $2}' "/proc/$p/status")" -gt 0 ] ||
			return 1
	done
}
wait_for 20 all_swapped
ok $? "all $nproc fixtures have pages in swap"

"$VMTOP" -b -n 1 -J -p "$pids" >"$tap_tmpdir/j"
ok $? "vmtop -J -p with $nproc PIDs"
python3 - "$tap_tmpdir/j" "$nproc" >"$tap_tmpdir/check" <<'PY'
import json, sys
procs = json.load(open(sys.argv[1]))["processes"]
want = int(sys.argv[2])
bad = []
for p in procs:
    with open("/proc/%d/status" % p["pid"]) as f:
        swap = [int(l.split()[1]) for l in f if l.startswith("VmSwap:")][0]
    if p["swap_kib"] != swap:
        bad.append("%d: %s, VmSwap %d" % (p["pid"], p["swap_kib"], swap))
print(len(procs), len(bad), "; ".join(bad[:5]))
PY
read -r listed nbad detail <"$tap_tmpdir/check"
is "$listed" "$nproc" "$nproc processes listed"
is "$nbad" 0 "each swap_kib equals its VmSwap, past the 255th too"
[ "$nbad" = 0 ] || diag "$detail"
done_testing
