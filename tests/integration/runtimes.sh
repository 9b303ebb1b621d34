#!/bin/sh
# Runtimes on real programs: a Node HTTP server and a CPython process with
# 8 threads and a million small objects, each compared with the program's
# own account: process.memoryUsage() (heapTotal, the V8 heap pages) and
# node's build flags (the code range's size); sys._debugmallocstats()
# (the pymalloc arena count).  Every tree adds up to VmSize and
# smaps_rollup's Rss, and at least 95 % of VSZ and 90 % of RSS land in a
# named kind (not anon).  Needs nodejs and python3 (.ci/run installs
# them); each part is skipped without its program.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
check_maps() { python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" "$@"; }
t="$tap_tmpdir"

# facts PID: one line from vmtop -J -n 1 -m -p PID: language version
# allocator, named VSZ % and RSS % (tenths), the kinds' VSZ in KiB, the
# v8_heap rw-p KiB, the pymalloc arena count of its insight, the number
# of thread_stack groups, the insight ids
facts() {
	"$VMTOP" -J -n 1 -m -p "$1" >"$t/j$1" 2>"$t/j$1.err" ||
		{ echo "vmtop-failed"; return; }
	python3 - "$t/j$1" "$1" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
p = [p for p in doc["processes"] if p["pid"] == int(sys.argv[2])][0]
m = p["maps"]
cats = {c["kind"]: c for c in m["categories"]}
T = m["totals"]
def vsz(k):
    return cats[k]["vsz_kib"] if k in cats else 0
nv = sum(c["vsz_kib"] for k, c in cats.items() if k != "anon")
nr = sum(c["rss_kib"] for k, c in cats.items() if k != "anon")
heap_rw = sum(r["vsz_kib"] for g in cats.get("v8_heap", {"groups": []})
              ["groups"] for r in g["regions"] if r["perms"] == "rw-p")
arenas = 0
for i in m["insights"]:
    x = re.match(r"(\d+) pymalloc arenas? hold", i["text"])
    if x:
        arenas = int(x.group(1))
rt = m["runtime"]
print(rt["language"], rt["version"] or "-", rt["allocator"] or "-",
      int(1000 * nv / T["vsz_kib"]), int(1000 * nr / T["rss_kib"]),
      vsz("v8_code_range"), vsz("v8_heap"), heap_rw, vsz("pymalloc"),
      arenas, len(cats.get("thread_stack", {"groups": []})["groups"]),
      T["vsz_kib"], ",".join(i["id"] for i in m["insights"]))
PY
}
pct() { awk -v x="$1" 'BEGIN { printf "%.1f", x / 10 }'; }

# --- Node ---------------------------------------------------------------
if command -v node >/dev/null 2>&1; then
	cat >"$t/srv.js" <<'JS'
const http = require("http");
const v8 = require("v8");
const s = http.createServer((q, r) => {
	const h = v8.getHeapStatistics();
	r.end(JSON.stringify({ heapTotal: process.memoryUsage().heapTotal,
			       executable: h.total_heap_size_executable }));
});
s.listen(0, "127.0.0.1", () => {
	const pc = process.config.variables.v8_enable_pointer_compression;
	console.log(process.pid, s.address().port, pc ? 1 : 0);
});
JS
	node "$t/srv.js" >"$t/node.out" 2>"$t/node.err" &
	npid=$!
	spawn_register $npid
	wait_for 10 test -s "$t/node.out" || bail "node did not start"
	read -r pid port pc <"$t/node.out"
	is "$pid" "$npid" "node: its pid is the one started"
	diag "node $(node --version): pid $npid, port $port, pointer compression $pc"
	mem=$(python3 - "$port" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1],
                            timeout=30) as r:
    d = json.load(r)
print(d["heapTotal"] // 1024, d["executable"] // 1024)
PY
)
	set -- $(facts "$npid")
	is "$#" 13 "node: vmtop -J -n 1 -m -p gives its tree" ||
		diag "$*: $(cat "$t/j$npid.err")"
	is "$1 $3" "Node.js glibc" "node: runtime Node.js, glibc malloc"
	check "node: leaves are /proc/PID/maps, the tree adds up to VmSize and Rss" \
		check_maps invariants "$npid" --loose
	want=524288
	[ "$pc" = 1 ] && want=131072
	is "$6" "$want" "node: the code range is $want KiB (pointer compression $pc)"
	set -- "$@" $mem
	# heapTotal counts the code space's pages too, which live in the
	# code range (total_heap_size_executable)
	diag "node: heapTotal ${14} KiB, of it executable ${15} KiB;" \
		"v8_heap $7 KiB, of it rw-p $8 KiB"
	d=$(($8 + ${15} - ${14}))
	[ ${d#-} -le 256 ]
	ok $? "node: v8_heap rw-p pages ($8 KiB) + code space (${15} KiB) = heapTotal (${14} KiB), within a page"
	[ "$4" -ge 950 ]
	ok $? "node: $(pct "$4") % of VSZ in a named kind (>= 95)"
	[ "$5" -ge 900 ]
	ok $? "node: $(pct "$5") % of RSS in a named kind (>= 90)"
	case ",${13}," in
	*,v8,*) st=0 ;;
	*) st=1 ;;
	esac
	ok $st "node: an insight on V8 (${13})"
	grep -q "UV_THREADPOOL_SIZE" "$t/j$npid" && grep -q -- "--max-old-space-size" "$t/j$npid"
	ok $? "node: the insights name UV_THREADPOOL_SIZE and --max-old-space-size"
	diag "TABLE node VSZ ${12} KiB named VSZ $(pct "$4") % named RSS $(pct "$5") %"
	kill -TERM "$npid"
	wait "$npid"
	is "$?" 143 "node stops on SIGTERM"
else
	ok 0 "# SKIP node is not installed (Debian: nodejs)"
fi

# --- CPython --------------------------------------------------------------
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
cat >"$t/py.py" <<'PY'
import os, re, sys, tempfile, threading, time
objs = [(i, str(i)) for i in range(500000)]
ev = threading.Event()
ts = [threading.Thread(target=ev.wait) for _ in range(8)]
for x in ts:
    x.start()
# _debugmallocstats() writes to C's stderr: through a file
fd, path = tempfile.mkstemp()
saved = os.dup(2)
os.dup2(fd, 2)
sys._debugmallocstats()
os.dup2(saved, 2)
text = open(path).read()
os.unlink(path)
n = re.search(r"# arenas allocated current\s*=\s*([\d,]+)", text)
print(os.getpid(), n.group(1).replace(",", ""),
      "%d.%d" % sys.version_info[:2], flush=True)
time.sleep(3600)
PY
"$py" "$t/py.py" >"$t/py.out" 2>"$t/py.err" &
ppid=$!
spawn_register $ppid
wait_for 30 test -s "$t/py.out" || bail "python did not start: $(cat "$t/py.err")"
read -r pid narenas pyver <"$t/py.out"
is "$pid" "$ppid" "python: its pid is the one started"
diag "$py ($pyver): pid $ppid, $narenas arenas by sys._debugmallocstats()"
set -- $(facts "$ppid")
is "$#" 13 "python: vmtop -J -n 1 -m -p gives its tree" ||
	diag "$*: $(cat "$t/j$ppid.err")"
is "$1 $2 $3" "Python $pyver glibc" "python: runtime Python $pyver, glibc malloc"
check "python: leaves are /proc/PID/maps, the tree adds up to VmSize and Rss" \
	check_maps invariants "$ppid" --loose
is "${10}" "$narenas" "python: pymalloc arenas = sys._debugmallocstats()'s ($narenas)"
[ "$9" -ge $((narenas * 1024)) ] && [ "$9" -lt $((narenas * 1024 * 2)) ]
ok $? "python: pymalloc holds $9 KiB for $narenas 1 MiB arenas"
is "${11}" 8 "python: 8 thread stacks"
[ "$4" -ge 950 ]
ok $? "python: $(pct "$4") % of VSZ in a named kind (>= 95)"
[ "$5" -ge 900 ]
ok $? "python: $(pct "$5") % of RSS in a named kind (>= 90)"
grep -q "PYTHONMALLOC" "$t/j$ppid"
ok $? "python: the pymalloc insight names PYTHONMALLOC"
diag "TABLE python VSZ ${12} KiB named VSZ $(pct "$4") % named RSS $(pct "$5") %"
kill -TERM "$ppid"
wait "$ppid"
is "$?" 143 "python stops on SIGTERM"
done_testing
