#!/bin/sh
# The tree (-b --tree, -J --tree) against ps's ppid, and a family's
# subtree totals against each member's own figures: a parent and 5
# children sharing a 64 MiB MAP_SHARED mapping that each touches whole
# (tests/fixtures/fix_family.c).  RSS summed counts the shared pages once
# per process; PSS summed (when this build lists PSS) counts them once,
# as the processes' smaps_rollup Pss add up to.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
command -v ps >/dev/null || skip_all "ps is needed"

"$FIXTURES/fix_family" 5 64 >"$tap_tmpdir/fam" &
fam=$!
spawn_register $fam
wait_for 20 grep -qx ready "$tap_tmpdir/fam" || bail "fix_family did not start"
kids=$(sed -n '2,6p' "$tap_tmpdir/fam")
for k in $kids; do
	spawn_register "$k"
done
all=$(sed -n '1,6p' "$tap_tmpdir/fam" | paste -sd, -)

# --- the shape: every process under its ps parent ------------------------
ps -e -o pid=,ppid= >"$tap_tmpdir/ps1"
"$VMTOP" -b -n 1 -J --tree >"$tap_tmpdir/j1"
ok $? "vmtop -b -n 1 -J --tree runs"
ps -e -o pid=,ppid= >"$tap_tmpdir/ps2"
python3 - "$tap_tmpdir" <<'PY' >"$tap_tmpdir/shape"
import json, sys
d = sys.argv[1]
procs = json.load(open(d + "/j1"))["processes"]
def ps(name):
    return {int(a): int(b) for a, b in
            (l.split() for l in open(d + "/" + name) if l.strip())}
ps1, ps2 = ps("ps1"), ps("ps2")
shown = {p["pid"] for p in procs}
stack, bad, checked = [], [], 0
for p in procs:
    depth = p["tree"]["depth"]
    del stack[depth:]
    parent = stack[-1] if stack else None
    stack.append(p["pid"])
    pid = p["pid"]
    if pid not in ps1 or ps1.get(pid) != ps2.get(pid):
        continue  # came or went while read
    ppid = ps1[pid]
    want = ppid if ppid in shown and ppid != pid else None
    checked += 1
    if parent != want:
        bad.append("%d under %s, ps says %s" % (pid, parent, ppid))
print(checked, len(bad), "; ".join(bad[:5]))
PY
read -r checked bad why <"$tap_tmpdir/shape"
diag "$checked processes checked against ps -o pid,ppid"
ok $([ "$checked" -gt 5 ] && [ "$bad" -eq 0 ]; echo $?) \
	"each process is under the parent ps names (${why:-none otherwise})"

"$VMTOP" -b -n 1 --tree -p "$all" >"$tap_tmpdir/t1"
python3 - "$tap_tmpdir/t1" "$tap_tmpdir/fam" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
fam = open(sys.argv[2]).read().split()
rows = [l for l in lines if l.strip() and l.split()[0].isdigit()]
assert rows[0].split()[0] == fam[0], rows
assert rows[0].rstrip().endswith("  fix_family"), rows[0]
for r in rows[1:]:
    assert r.split()[0] in fam[1:6], r
    assert r.rstrip().endswith(" \\_ fix_family"), r
assert len(rows) == 6, rows
PY
ok $? "-b --tree draws the children under the parent as ps --forest does"

# --- the family's totals -------------------------------------------------
"$VMTOP" -b -n 1 -J --tree --columns +PSS -p "$all" >"$tap_tmpdir/j2"
for p in $(sed -n '1,6p' "$tap_tmpdir/fam"); do
	echo "$p $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup") \
$(awk '/^VmSize:/ { print $2 }' "/proc/$p/status")"
done >"$tap_tmpdir/own"
python3 - "$tap_tmpdir/j2" "$tap_tmpdir/own" "$tap_tmpdir/fam" \
	<<'PY' >"$tap_tmpdir/sums"
import json, sys
procs = json.load(open(sys.argv[1]))["processes"]
own = {int(a): (int(b), int(c)) for a, b, c in
       (l.split() for l in open(sys.argv[2]) if l.strip())}
parent = int(open(sys.argv[3]).read().split()[0])
top = [p for p in procs if p["pid"] == parent][0]
sub = top["tree"].get("subtree", {})
rss = sum(p["rss_kib"] for p in procs)
pss_want = sum(v[0] for v in own.values())
vsz_want = sum(v[1] for v in own.values())
print(top["tree"]["descendants"], sub.get("processes"),
      sub.get("vsz_kib"), vsz_want, sub.get("rss_kib"), rss,
      sub.get("pss_kib", "none"), pss_want)
PY
read -r desc nproc vsz vsz_want rss rss_rows pss pss_want <"$tap_tmpdir/sums"
is "$desc/$nproc" "5/6" "the parent has 5 descendants, its subtree 6 processes"
is "$vsz" "$vsz_want" "its VIRT total is the sum of the members' VmSize"
is "$rss" "$rss_rows" "its RES total is the sum of the members' RES"
ok $([ "$rss" -ge $((6 * 65536)) ]; echo $?) \
	"RES summed counts the shared 64 MiB once per process ($rss KiB)"
ok $([ "$pss_want" -ge 65536 ] && [ "$pss_want" -lt $((2 * 65536)) ]; echo $?) \
	"the members' smaps_rollup Pss add up to the 64 MiB once ($pss_want KiB)"
if [ "$pss" = none ]; then
	echo "ok $((tap_n + 1)) # SKIP this build lists no PSS to sum"
	tap_n=$((tap_n + 1))
else
	# a sanitized vmtop maps the sanitizers' runtimes, which the
	# sanitized fixtures map too: while it reads, those pages have one
	# more sharer and each member's PSS is lower by up to half of them
	per=4
	nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init && per=256
	d=$((pss - pss_want))
	ok $([ "${d#-}" -le $((6 * per)) ]; echo $?) \
		"its PSS total, $pss KiB, is the sum of smaps_rollup's within a page per process ($pss_want KiB)"
fi

done_testing
