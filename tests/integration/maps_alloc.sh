#!/bin/sh
# glibc's large blocks: fix_bigmalloc's malloc() blocks above
# M_MMAP_THRESHOLD are the malloc_block kind, counted exactly as glibc's
# own malloc_info() counts its mmapped chunks (<total type="mmap">), at
# the size it gives; the program's own mmap() stays anon; the insight
# names M_MMAP_THRESHOLD; the tree adds up.  Then the cost of the chunk
# walk: at most 1 ms.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

"$FIXTURES/fix_bigmalloc" 24 "$tap_tmpdir/big.xml" >"$tap_tmpdir/big.out" &
spawn_register $!
wait_for 10 grep -q "^own" "$tap_tmpdir/big.out" ||
	bail "fix_bigmalloc did not start"
pid=$(head -n 1 "$tap_tmpdir/big.out")
"$VMTOP" -b -n 1 -m -J -p "$pid" >"$tap_tmpdir/big.json"
ok $? "vmtop reads fix_bigmalloc"
python3 - "$tap_tmpdir/big.json" "$tap_tmpdir/big.xml" \
	"$tap_tmpdir/big.out" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
tot = re.search(r'<total type="mmap" count="(\d+)" size="(\d+)"/>',
                open(sys.argv[2]).read())
count, size = int(tot.group(1)), int(tot.group(2)) // 1024
out = open(sys.argv[3]).read().split("\n")
blocks = [int(l.split()[1], 16) for l in out if l.startswith("block ")]
own = [int(l.split()[1], 16) for l in out if l.startswith("own ")][0]
assert count == len(blocks) == 24, (count, len(blocks))
cat = [c for c in m["categories"] if c["kind"] == "malloc_block"]
assert cat, [c["kind"] for c in m["categories"]]
g = cat[0]["groups"]
assert [x["name"] for x in g] == ["%d malloc() blocks" % count], g
regs = g[0]["regions"]
def inside(a):
    return any(int(r["start"], 16) <= a < int(r["end"], 16) for r in regs)
assert all(inside(b) for b in blocks), "a block outside malloc_block"
assert not inside(own), "the program's own mmap() is a malloc_block"
# merged mappings may hold a few pages that are no block (the reason
# says how many): never more than 1/8 of the kind
vsz = cat[0]["vsz_kib"]
assert size <= vsz <= size * 8 // 7, (vsz, size)
ins = [i["text"] for i in m["insights"] if i["id"] == "malloc_blocks"]
assert ins and "M_MMAP_THRESHOLD" in ins[0], m["insights"]
print("# %d blocks, malloc_info %d KiB, malloc_block %d KiB" %
      (count, size, vsz))
PY
ok $? "malloc_block holds malloc_info()'s mmapped chunks, counted exactly"
check "the tree adds up to VmSize and smaps_rollup's Rss" \
	python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" invariants "$pid"
done_testing
