#!/bin/sh
# The SWAP column on a machine with swap: vmtop loads libproc2 for it, and
# its figure equals VmSwap of /proc/PID/status.  The test adds a small
# swap file for its duration (root only), so it runs on machines without
# swap too.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

. "$TOP_SRCDIR/tests/lib/swap.sh"

"$FIXTURES/fix_swap" 4096 >"$tap_tmpdir/pid" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/pid" || bail "fix_swap did not start"
pid=$(cat "$tap_tmpdir/pid")

swapped() { [ "$(awk '/^VmSwap:/ {print $2}' "/proc/$pid/status")" -gt 0 ]; }
wait_for 10 swapped
ok $? "the fixture has pages in swap"

# The kernel may bring a page back in or push one out while vmtop runs:
# VmSwap is read before and after, and a run in which it moved is tried
# again (up to five times).
vmswap() { awk '/^VmSwap:/ {print $2}' "/proc/$pid/status"; }
try=0
while :; do
	before=$(vmswap)
	"$VMTOP" -b -n 1 -J -p "$pid" >"$tap_tmpdir/j"
	rc=$?
	after=$(vmswap)
	try=$((try + 1))
	[ "$before" = "$after" ] || [ "$try" -ge 5 ] && break
done
ok $rc "vmtop -J runs with swap present"
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["swap_kib"])' "$tap_tmpdir/j")
if [ "$before" != "$after" ]; then
	# still moving: vmtop's figure must lie between the two
	lo=$before hi=$after
	[ "$lo" -gt "$hi" ] && lo=$after hi=$before
	[ "$got" -ge "$lo" ] && [ "$got" -le "$hi" ]
	ok $? "swap_kib ($got) between VmSwap before and after ($lo, $hi KiB)"
else
	is "$got" "$after" "swap_kib equals VmSwap ($after KiB)"
fi

"$VMTOP" -b -n 1 -p "$pid" >"$tap_tmpdir/t"
# PID USER THR VIRT RES SWAP ...: the sixth column
col=$(awk -v p="$pid" '$1 == p { print $6 }' "$tap_tmpdir/t")
case $col in
[0-9]*[KMGT]) ok 0 "the text SWAP column shows it ($col)" ;;
*) ok 1 "the text SWAP column shows it ('$col')" ;;
esac
done_testing
