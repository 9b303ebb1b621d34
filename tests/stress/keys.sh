#!/bin/sh
# Stress: every key of the memory-map view answers within 50 ms on a
# process with 60 000 mappings (fix_maps 50000 10000), at 80x24 and
# 160x50, folded and all unfolded: moves, fold and unfold, the detail
# pane, the search as it is typed and its next match, the panes, the
# sort keys (bench/tui.py's key list).  Latency is from tmux send-keys to
# a changed pane, less tmux's own send and capture; vmtop runs with
# -d 3600 so that no refresh changes the screen meanwhile.  A key over
# the limit is tried once more before it fails (a busy machine).
# Then the same keys while vmtop refreshes that map every second (-d 1):
# a refresh is read on a thread of its own, so a key sent during the
# read answers as fast; moves and search typing are sent at random
# moments for 20 s (some right after a ^R, so that they land during a
# read) and timed until their own effect shows.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -x "$FIXTURES/fix_maps" ] || bail "fix_maps fixture not built"
# latency is a property of the real build: a sanitized one is several
# times slower by design (its own run checks memory, not time)
nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init &&
	skip_all "key latency is measured on the unsanitized build"

for size in 80x24 160x50; do
	FIX_MAPS="$FIXTURES/fix_maps" VMTOP="$VMTOP" python3 \
		"$TOP_SRCDIR/bench/tui.py" --size "$size" --tap keys \
		>"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
	[ -s "$tap_tmpdir/out" ] ||
		bail "bench/tui.py: $(cat "$tap_tmpdir/err")"
	while IFS= read -r line; do
		case $line in
		"not ok "*) ok 1 "${line#not ok * - }" ;;
		"ok "*) ok 0 "${line#ok * - }" ;;
		esac
	done <"$tap_tmpdir/out"
done
FIX_MAPS="$FIXTURES/fix_maps" VMTOP="$VMTOP" python3 \
	"$TOP_SRCDIR/bench/tui.py" --size 80x24 --seconds 20 --tap \
	refreshing >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
[ -s "$tap_tmpdir/out" ] || bail "bench/tui.py: $(cat "$tap_tmpdir/err")"
while IFS= read -r line; do
	case $line in
	"not ok "*) ok 1 "${line#not ok * - }" ;;
	"ok "*) ok 0 "${line#ok * - }" ;;
	esac
done <"$tap_tmpdir/out"
done_testing
