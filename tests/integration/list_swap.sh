#!/bin/sh
# The SWAP column on a machine with swap: vmtop loads libproc2 for it, and
# its figure equals VmSwap of /proc/PID/status.  The test adds a small
# swap file for its duration (root only), so it runs on machines without
# swap too.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ "$(id -u)" -eq 0 ] || skip_all "adding swap needs root"
command -v mkswap >/dev/null && command -v swapon >/dev/null ||
	skip_all "mkswap and swapon are needed"

swapfile="$tap_tmpdir/swap"
if ! grep -q '^SwapTotal: *0 kB' /proc/meminfo; then
	diag "the machine has swap already"
else
	dd if=/dev/zero of="$swapfile" bs=1M count=32 status=none &&
		chmod 600 "$swapfile" && mkswap "$swapfile" >/dev/null 2>&1 &&
		swapon "$swapfile" 2>/dev/null ||
		skip_all "swap cannot be enabled here"
	added_swap=1
fi
swap_cleanup() {
	# the fixture's pages must leave the swap file before swapoff, and an
	# active swap file cannot be removed: kill, swapoff, then clean up
	for p in $tap_pids; do
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "${added_swap:-}" ] && swapoff "$swapfile" 2>/dev/null
	tap_cleanup
}
trap swap_cleanup EXIT

"$FIXTURES/fix_swap" 4096 >"$tap_tmpdir/pid" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/pid" || bail "fix_swap did not start"
pid=$(cat "$tap_tmpdir/pid")

swapped() { [ "$(awk '/^VmSwap:/ {print $2}' "/proc/$pid/status")" -gt 0 ]; }
wait_for 10 swapped
ok $? "the fixture has pages in swap"

"$VMTOP" -b -n 1 -J -p "$pid" >"$tap_tmpdir/j"
ok $? "vmtop -J runs with swap present"
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["swap_kib"])' "$tap_tmpdir/j")
want=$(awk '/^VmSwap:/ {print $2}' "/proc/$pid/status")
is "$got" "$want" "swap_kib equals VmSwap ($want KiB)"

"$VMTOP" -b -n 1 -p "$pid" >"$tap_tmpdir/t"
# PID USER THR VIRT RES SWAP ...: the sixth column
col=$(awk -v p="$pid" '$1 == p { print $6 }' "$tap_tmpdir/t")
case $col in
[0-9]*[KMGT]) ok 0 "the text SWAP column shows it ($col)" ;;
*) ok 1 "the text SWAP column shows it ('$col')" ;;
esac
done_testing
