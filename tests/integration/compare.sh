#!/bin/sh
# --compare of two live processes that differ by a known number of glibc
# arenas, thread stacks and one library: fix_arenas with 2 threads, and
# with 6 and libz preloaded.  The difference per cause is checked against
# each process's /proc/PID/maps (arenas by their 64 MiB heaps, stacks by
# their shape, the library by its path) and glibc's malloc_info(); the
# words name them; the kinds add up to the VSZ difference of status.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_arenas" ] || bail "fix_arenas fixture not built"
libz=
for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 \
	/usr/lib/aarch64-linux-gnu /usr/lib; do
	[ -e "$d/libz.so.1" ] && libz=libz.so.1 && break
done
[ -n "$libz" ] || skip_all "libz.so.1 is not installed"

start_fix() {	# start_fix NAME [ENV...] -- ARGS: sets $pid
	name=$1
	shift
	env "$@" >"$tap_tmpdir/$name.out" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/$name.xml" ||
		bail "fix_arenas ($name) did not start"
	wait_for 10 grep -q . "$tap_tmpdir/$name.out"
	pid=$(head -n 1 "$tap_tmpdir/$name.out")
}

start_fix two "$FIXTURES/fix_arenas" 2 "$tap_tmpdir/two.xml"
p1=$pid
start_fix six LD_PRELOAD="$libz" "$FIXTURES/fix_arenas" 6 \
	"$tap_tmpdir/six.xml"
p2=$pid

"$VMTOP" -J -n 1 --compare -p "$p1,$p2" >"$tap_tmpdir/c.json"
ok $? "vmtop -J --compare -p A,B"
"$VMTOP" -b -m -n 1 --compare -p "$p1,$p2" >"$tap_tmpdir/c.txt"
ok $? "vmtop -b -m --compare -p A,B"

python3 - "$tap_tmpdir" "$p1" "$p2" <<'PY'
import json, re, sys
tmp, p1, p2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
KIB = 1024

def maps(pid):
    out = []
    for line in open("/proc/%d/maps" % pid):
        f = line.split()
        a, b = (int(x, 16) for x in f[0].split("-"))
        out.append((a, b, f[1], f[5] if len(f) > 5 else ""))
    return out

def arenas(m):
    # glibc's non-main heaps: 64 MiB aligned, rw-p then ---p, 64 MiB in all
    n = 0
    for i, (a, b, perms, path) in enumerate(m):
        if path or a % (64 << 20) or perms != "rw-p":
            continue
        end = b
        if i + 1 < len(m) and m[i + 1][0] == b and m[i + 1][2] == "---p" \
           and not m[i + 1][3]:
            end = m[i + 1][1]
        if end - a == 64 << 20:
            n += 1
    return n

def stacks(m):
    # a pthread stack: a 4 KiB ---p guard right below an 8 MiB rw-p region
    n = 0
    for i in range(1, len(m)):
        g, s = m[i - 1], m[i]
        if g[2] == "---p" and not g[3] and g[1] == s[0] and \
           g[1] - g[0] == 4096 and s[2] == "rw-p" and not s[3] and \
           s[1] - s[0] == 8 << 20:
            n += 1
    return n

def libs(m):
    out = {}
    for a, b, perms, path in m:
        if re.search(r"/lib[^/]*\.so", path):
            out[path] = out.get(path, 0) + (b - a) // KIB
    return out

def vmsize(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmSize:"):
            return int(line.split()[1])

def xml_arenas(name):
    # malloc_info(): one <heap nr=...> per arena, the main one included
    return len(re.findall(r'<heap nr=', open("%s/%s.xml" % (tmp, name)).read())) - 1

m1, m2 = maps(p1), maps(p2)
doc = json.load(open(tmp + "/c.json"))
c = doc["compare"]
rows = {(r["kind"], r["group"]): r for r in c["rows"]}
fails = []
def want(cond, what):
    print("# " + ("ok" if cond else "FAIL") + ": " + what)
    if not cond:
        fails.append(what)

want([p["pid"] for p in c["processes"]] == [p1, p2], "processes in -p order")
a = rows[("arena", None)]
want(a["merged"], "arenas are one row")
want(a["cells"][0]["count"] == arenas(m1) == xml_arenas("two") == 2,
     "2 arenas in the first (maps, malloc_info)")
want(a["cells"][1]["count"] == arenas(m2) == xml_arenas("six") == 6,
     "6 arenas in the second")
want(a["diff_kib"] == (arenas(m2) - arenas(m1)) * 64 * KIB,
     "arena difference exact: %d KiB" % a["diff_kib"])
s = rows[("thread_stack", None)]
want(s["cells"][1]["count"] - s["cells"][0]["count"] == stacks(m2) - stacks(m1) == 4,
     "4 more thread stacks")
want(s["diff_kib"] == (stacks(m2) - stacks(m1)) * (8 * KIB + 4),
     "stack difference exact: %d KiB" % s["diff_kib"])
l1, l2 = libs(m1), libs(m2)
extra = sorted(set(l2) - set(l1))
want(len(extra) == 1 and "libz" in extra[0], "the maps differ by libz: %s" % extra)
lz = rows.get(("library", extra[0])) if extra else None
want(lz is not None and not lz["cells"][0]["present"] and
     lz["diff_kib"] == l2[extra[0]], "libz's row: %s KiB" % (lz and lz["diff_kib"]))
lib = rows[("library", None)]
want(lib["diff_kib"] == sum(l2.values()) - sum(l1.values()),
     "library difference exact")
kinds = sum(r["diff_kib"] for r in c["rows"] if r["group"] is None)
want(kinds == c["processes"][1]["diff_kib"] ==
     c["processes"][1]["vsz_kib"] - c["processes"][0]["vsz_kib"],
     "the kinds add up to the VSZ difference")
want(c["processes"][1]["diff_kib"] == vmsize(p2) - vmsize(p1),
     "the VSZ difference is VmSize's")
words = c["summary"]
want(re.match(r"fix_arenas\[%d\] maps [0-9.]+ MiB more than fix_arenas\[%d\]: "
              r"4 glibc arenas 256 MiB, 4 thread stacks 32\.0 MiB, "
              r"1 shared library [0-9.]+ KiB \(libz\.so" % (p2, p1), words),
     "the words: " + words)
txt = open(tmp + "/c.txt").read()
want(words in txt and re.search(r"^glibc arenas +2 .* 6 .*\+256M$", txt, re.M),
     "the text has the words and the arenas' row")
sys.exit(1 if fails else 0)
PY
ok $? "per-cause differences match /proc/PID/maps and malloc_info"

# processes whose maps never hold still: -J -m --compare shows each tree
# once, the same read in "processes" and in "compare" (one read a report)
"$FIXTURES/fix_mapchurn" 60 >"$tap_tmpdir/ch1" 2>&1 &
l1=$!
spawn_register $l1
"$FIXTURES/fix_mapchurn" 60 >"$tap_tmpdir/ch2" 2>&1 &
l2=$!
spawn_register $l2
wait_for 10 test -s "$tap_tmpdir/ch2" || bail "fix_mapchurn did not start"
"$VMTOP" -b -n 2 -d 0.5 -J -m --compare -p "$l1,$l2" >"$tap_tmpdir/grow.json"
python3 - "$tap_tmpdir/grow.json" <<'PY'
import json, sys
bad = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    maps = {p["pid"]: p["maps"]["totals"]["vsz_kib"] for p in d["processes"]}
    for p in d["compare"]["processes"]:
        if maps[p["pid"]] != p["vsz_kib"]:
            print("#", p["pid"], maps[p["pid"]], p["vsz_kib"])
            bad += 1
sys.exit(1 if bad else 0)
PY
ok $? "churning processes: the compare's VSZ is the maps' of the same report"

"$VMTOP" -b -n 1 --compare -p "$p1" >/dev/null 2>"$tap_tmpdir/err"
rc=$?
is "$rc" 1 "one process: exit 1"
grep -q "two or more" "$tap_tmpdir/err"
ok $? "... with a message: $(cat "$tap_tmpdir/err")"
done_testing
