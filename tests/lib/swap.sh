# swap.sh: a small swap file for the duration of a test, on a machine
# without swap (root only; the test is skipped where swap cannot be
# enabled).  Source it after tap.sh; it sets the EXIT trap.
command -v mkswap >/dev/null && command -v swapon >/dev/null ||
	skip_all "mkswap and swapon are needed"
[ "$(id -u)" -eq 0 ] || skip_all "adding swap needs root"

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
	# the fixtures' pages must leave the swap file before swapoff, and
	# an active swap file cannot be removed: kill, swapoff, then clean up
	tap_stop_pids
	[ -n "${added_swap:-}" ] && swapoff "$swapfile" 2>/dev/null
	tap_cleanup
}
trap swap_cleanup EXIT
