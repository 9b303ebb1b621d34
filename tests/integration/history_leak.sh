#!/bin/sh
# The history in batch mode: two fix_leak processes leak at known rates,
# one by malloc() into [heap] (1024 KiB/s), one by mmap() of anonymous
# pieces (512 KiB/s); `vmtop -b -m -d 0.5 -n 20` keeps each one's
# history, and its last refresh's growth insight names the kind and a
# rate within 10 % of the fixture's (60 and 30 MiB/min).  The JSON of
# -J carries the same insight, with the id "growth", first.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_leak" ] || bail "fix_leak fixture not built"

"$FIXTURES/fix_leak" heap 1024 >"$tap_tmpdir/heap.out" &
spawn_register $!
"$FIXTURES/fix_leak" anon 512 >"$tap_tmpdir/anon.out" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/heap.out" &&
	wait_for 10 test -s "$tap_tmpdir/anon.out" ||
	bail "fix_leak did not start"
hp=$(head -n 1 "$tap_tmpdir/heap.out")
ap=$(head -n 1 "$tap_tmpdir/anon.out")

"$VMTOP" -b -m -d 0.5 -n 20 -p "$hp,$ap" >"$tap_tmpdir/text"
ok $? "vmtop -b -m -d 0.5 -n 20 reads both"

# rate PID KIND WANT_MIB_PER_MIN: the rate of the growth insight of the
# last tree of PID, within 10 %
rate() {
	python3 - "$tap_tmpdir/text" "$1" "$2" "$3" <<'PY'
import re, sys
text, pid, kind, want = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
# the last report's tree of pid: from its "== PID" line to the next
blocks = re.split(r"^== ", open(text).read(), flags=re.M)
mine = [b for b in blocks if b.startswith(pid + " ")]
assert mine, "no tree of %s" % pid
last = mine[-1]
m = re.search(r"^  - %s grew ([0-9.]+) (KiB|MiB) in ([0-9.]+) (s|min) "
              r"\(([0-9.]+) (KiB|MiB)/min, in (\d+) of the last (\d+) "
              r"refreshes\)$" % kind, last, re.M)
assert m, "no growth insight for %s in:\n%s" % (kind, last)
r = float(m.group(5)) / (1024 if m.group(6) == "KiB" else 1)
print("# %s: %s (want %.0f MiB/min)" % (kind, m.group(0).strip(), want))
assert abs(r - want) <= want * 0.10, (r, want)
assert int(m.group(7)) * 4 >= int(m.group(8)) * 3
PY
}
check "the heap leak is reported within 10 % of 60 MiB/min" rate "$hp" heap 60
check "the anon leak is reported within 10 % of 30 MiB/min" rate "$ap" anon 30

"$VMTOP" -b -m -J -d 0.5 -n 12 -p "$hp" >"$tap_tmpdir/json"
ok $? "vmtop -J -m -d 0.5 -n 12 reads the heap leak"
python3 - "$tap_tmpdir/json" <<'PY'
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 12, len(lines)
first = json.loads(lines[0])["processes"][0]["maps"]["insights"]
assert not [i for i in first if i["id"] == "growth"], "growth at once"
last = json.loads(lines[-1])["processes"][0]["maps"]["insights"]
assert last[0]["id"] == "growth", last
m = re.match(r"heap grew .* \(([0-9.]+) MiB/min, in", last[0]["text"])
assert m and abs(float(m.group(1)) - 60) <= 6, last[0]["text"]
PY
ok $? "JSON: the growth insight comes first once the history shows it"
done_testing
