#!/bin/sh
# Thread stacks of threads that never block: their task/TID/syscall
# always says "running", so no stack pointer ties them to their stacks.
# Over 20 refreshes of one `vmtop -J -m` every stack keeps the owner
# pthread_getattr_np() names, none is "unowned", and the insight never
# calls one cached.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

# 4 threads of 256 KiB stacks, the first 2 spinning
"$FIXTURES/fix_stacks" 4 256 2 >"$tap_tmpdir/stacks.out" &
spawn_register $!
wait_for 10 grep -q '^end' "$tap_tmpdir/stacks.out" ||
	bail "fix_stacks did not start"
pid=$(sed -n 's/^pid //p' "$tap_tmpdir/stacks.out")
spinners=$(sed -n 's/^thread \([0-9]*\) .*/\1/p' "$tap_tmpdir/stacks.out" |
	head -n 2)

running=0
for tid in $spinners; do
	grep -q '^running' "/proc/$pid/task/$tid/syscall" &&
		running=$((running + 1))
done
is "$running" 2 "the spinning threads' syscall files say running"

"$VMTOP" -J -n 20 -d 0.1 -m -p "$pid" >"$tap_tmpdir/stacks.json"
python3 - "$tap_tmpdir/stacks.out" "$tap_tmpdir/stacks.json" <<'PY'
import json, sys

want = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "thread":
        want[int(f[1])] = (int(f[2], 16), int(f[3], 16))
docs = [json.loads(l) for l in open(sys.argv[2])]
assert len(docs) == 20, len(docs)
for n, d in enumerate(docs):
    m = d["processes"][0]["maps"]
    cat = [c for c in m["categories"] if c["kind"] == "thread_stack"][0]
    names = sorted(g["name"] for g in cat["groups"])
    assert "unowned" not in names, (n, names)
    assert names == sorted("tid %d" % t for t in want), (n, names)
    for g in cat["groups"]:
        tid = int(g["name"].split()[1])
        st = [r for r in g["regions"] if "guard" not in r["tags"]]
        assert len(st) == 1, (n, g)
        got = (int(st[0]["start"], 16), int(st[0]["end"], 16))
        assert got == want[tid], (n, tid, got, want[tid])
    th = {t["tid"]: t for t in m["threads"]}
    for tid, (lo, hi) in want.items():
        s = th[tid]["stack"]
        assert s and int(s["start"], 16) == lo and s["guard_kib"] == 4, \
            (n, tid, th[tid])
    for i in m["insights"]:
        assert "cached" not in i["text"], (n, i["text"])
PY
ok $? "20 refreshes: every stack owned by its thread, none cached"

done_testing
