#!/bin/sh
# Regions that used to be misfiled, on a live process: a plain file
# mapped r--s (as gconv-modules.cache and nscd's caches are) is a file
# with the shared tag, not shared memory.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

printf 'gconv-like cache\n' >"$tap_tmpdir/cache.bin"
python3 -c '
import mmap, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
m = mmap.mmap(fd, 0, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
print(os.getpid(), flush=True)
time.sleep(60)
' "$tap_tmpdir/cache.bin" >"$tap_tmpdir/mapper.out" &
spawn_register $!
wait_for 10 grep -q . "$tap_tmpdir/mapper.out" || bail "mapper did not start"
pid=$(head -n 1 "$tap_tmpdir/mapper.out")
"$VMTOP" -J -n 1 -m -p "$pid" | python3 -c '
import json, sys
path = sys.argv[1]
m = json.load(sys.stdin)["processes"][0]["maps"]
got = [(c["kind"], r["perms"], r["tags"]) for c in m["categories"]
       for g in c["groups"] for r in g["regions"] if r["path"] == path]
assert got == [("file", "r--s", ["shared"])], got
' "$tap_tmpdir/cache.bin"
ok $? "a file mapped r--s is a file tagged shared"

done_testing
