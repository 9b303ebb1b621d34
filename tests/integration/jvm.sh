#!/bin/sh
# The JVM on this machine, against its own account: tests/fixtures/jvm's
# Hold.java run with G1, with ZGC, and with G1 without hsperfdata
# (-XX:-UsePerfData), each with -Xmx2g and native memory tracking.  vmtop's
# java_* kinds are compared with `jcmd PID VM.native_memory summary` and
# `jcmd PID VM.flags`; its reading of hsperfdata with jstat's; every tree
# must still add up to VmSize and smaps_rollup's Rss; and at least 95 % of
# VSZ and 90 % of RSS must land in a named kind (anything but anon).
# Needs a JDK (Debian: openjdk-17-jdk-headless, which .ci/run installs).
. "$TOP_SRCDIR/tests/lib/tap.sh"
for t in java javac jcmd jstat python3; do
	command -v $t >/dev/null 2>&1 ||
		skip_all "$t is not installed (Debian: openjdk-17-jdk-headless)"
done

jdir="$tap_tmpdir/jvm"
mkdir -p "$jdir"
javac -d "$jdir" "$TOP_SRCDIR/tests/fixtures/jvm/Hold.java" \
	>"$jdir/javac.log" 2>&1
st=$?
[ $st -ne 0 ] && sed 's/^/#   /' "$jdir/javac.log"
is "$st" 0 "javac compiles the fixture"
[ $st -eq 0 ] || done_testing
diag "$(java -version 2>&1 | head -1)"

# start NAME OPTIONS...: a JVM in the background; sets $pid
start() {
	name=$1
	shift
	java -Xmx2g -XX:NativeMemoryTracking=summary "$@" -cp "$jdir" Hold 4 \
		>"$jdir/$name.out" 2>"$jdir/$name.err" &
	pid=$!
	spawn_register $pid
	wait_for 30 grep -q ready "$jdir/$name.out" ||
		bail "java ($name) did not start: $(cat "$jdir/$name.err")"
}

# check NAME PID MODE: vmtop's JSON against jcmd and jstat, by PID
jcheck() {
	vm=$1
	jpid=$2
	mode=$3
	jcmd "$jpid" VM.native_memory summary >"$jdir/$vm.nmt" 2>&1
	jcmd "$jpid" VM.flags >"$jdir/$vm.flags" 2>&1
	if [ "$mode" = perf ]; then
		jstat -gc "$jpid" >"$jdir/$vm.jstat" 2>&1
	else
		: >"$jdir/$vm.jstat"
	fi
	"$VMTOP" -J -n 1 -m -p "$jpid" >"$jdir/$vm.json"
	python3 - "$vm" "$jdir" "$mode" <<'PY'
import json, re, sys
vm, d, mode = sys.argv[1:4]
doc = json.load(open("%s/%s.json" % (d, vm)))
maps = doc["processes"][0]["maps"]
nmt = open("%s/%s.nmt" % (d, vm)).read()
flags = open("%s/%s.flags" % (d, vm)).read()
n = 0
def ok(cond, name, why=""):
    global n
    n += 1
    print("%s %d - %s: %s" % ("ok" if cond else "not ok", n, vm, name))
    if not cond:
        print("# " + why)
def nmt_kib(cat, what="reserved", mmap=False):
    m = re.search(r"-\s+%s \(reserved=(\d+)KB, committed=(\d+)KB\)(.*?)\n -"
                  % re.escape(cat), nmt + "\n -", re.S)
    if not m:
        return None
    if mmap:
        mm = re.search(r"mmap: reserved=(\d+)KB, committed=(\d+)KB",
                       m.group(3))
        return int(mm.group(1 if what == "reserved" else 2)) if mm else None
    return int(m.group(1 if what == "reserved" else 2))
def flag(name):
    m = re.search(r"-XX:%s=(\d+)" % name, flags)
    return int(m.group(1)) // 1024 if m else None
cats = {c["kind"]: c for c in maps["categories"]}
def vsz(k):
    return cats[k]["vsz_kib"] if k in cats else 0
def regions(k):
    return [r for c in maps["categories"] if c["kind"] == k
            for g in c["groups"] for r in g["regions"]]
jvm = maps["jvm"]
ok(jvm is not None and maps["runtime"]["language"] == "Java",
   "detected as a JVM", str(jvm))
heap = nmt_kib("Java Heap")
ok(vsz("java_heap") == heap, "java_heap VSZ = NMT Java Heap reserved",
   "%s != %s" % (vsz("java_heap"), heap))
if mode != "zgc":
    ok(vsz("java_heap") == flag("MaxHeapSize"), "java_heap VSZ = MaxHeapSize",
       "%s != %s" % (vsz("java_heap"), flag("MaxHeapSize")))
else:
    ok(vsz("java_heap") == 3 * 16 * flag("MaxHeapSize"),
       "java_heap VSZ = three views of 16 x MaxHeapSize", str(vsz("java_heap")))
    ok(len(cats["java_heap"]["groups"]) == 3, "three ZGC views")
    ok(any(i["id"] == "java_heap" and "3 times" in i["text"]
           for i in maps["insights"]), "insight: the views are one memory")
cls = nmt_kib("Class", "reserved", True)
cds = nmt_kib("Shared class space")
ok(vsz("java_class_space") == cls + cds,
   "java_class_space VSZ = NMT class space + shared class space reserved",
   "%s != %s + %s" % (vsz("java_class_space"), cls, cds))
meta = nmt_kib("Metaspace", "reserved", True)
# a node's committed bottom can merge with the rw-p mapping below it
ok(meta <= vsz("java_metaspace") <= meta + 4096,
   "java_metaspace VSZ = NMT Metaspace mmap (+ a merged neighbour)",
   "%s != %s" % (vsz("java_metaspace"), meta))
code = flag("ReservedCodeCacheSize")
ok(vsz("java_code_cache") == code,
   "java_code_cache VSZ = ReservedCodeCacheSize",
   "%s != %s" % (vsz("java_code_cache"), code))
gc = nmt_kib("GC", "reserved", True)
ok(gc * 0.99 <= vsz("java_gc") <= gc + 4096,
   "java_gc VSZ = NMT GC mmap reserved (-1 %, + a merged neighbour)",
   "%s vs %s" % (vsz("java_gc"), gc))
heapregs = regions("java_heap")
if mode == "noperf":
    ok(jvm["perfdata"] == "absent" and jvm["flags"]["source"] == "cmdline"
       and jvm["flags"]["xmx_kib"] == 2 << 20,
       "without hsperfdata: the flags come from the command line", str(jvm))
    ok(all("verified" not in r["tags"] for r in heapregs),
       "without hsperfdata nothing is verified")
elif mode == "perf" or mode == "zgc":
    ok(jvm["perfdata"] == "read", "hsperfdata read", str(jvm))
    ok(jvm["heap"]["max_kib"] == flag("MaxHeapSize"),
       "hsperfdata heap max = MaxHeapSize", str(jvm["heap"]))
    ok(jvm["class_space"]["max_kib"] == cls,
       "hsperfdata class space max = NMT class space", str(jvm))
if mode == "perf":
    ok(all("verified" in r["tags"] for r in heapregs),
       "the heap is verified by the counters")
    js = open("%s/%s.jstat" % (d, vm)).read().split("\n")
    h = js[0].split()
    v = dict(zip(h, map(float, js[1].split())))
    cap = v["S0C"] + v["S1C"] + v["EC"] + v["OC"]
    ok(abs(cap - jvm["heap"]["capacity_kib"]) <= 2,
       "heap capacity = jstat's S0C+S1C+EC+OC",
       "%s vs %s" % (cap, jvm["heap"]["capacity_kib"]))
    ok(abs(v["CCSC"] - jvm["class_space"]["capacity_kib"]) <= 1,
       "class space capacity = jstat's CCSC", str(v))
tot = maps["totals"]
named_v = sum(c["vsz_kib"] for c in maps["categories"] if c["kind"] != "anon")
named_r = sum(c["rss_kib"] for c in maps["categories"] if c["kind"] != "anon")
pv, pr = 100.0 * named_v / tot["vsz_kib"], 100.0 * named_r / tot["rss_kib"]
print("# %s: VSZ %.2f GiB, named VSZ %.1f %%, named RSS %.1f %%"
      % (vm, tot["vsz_kib"] / 1048576.0, pv, pr))
if mode != "noperf":
    ok(pv >= 95 and pr >= 90, "95 % of VSZ and 90 % of RSS named",
       "%.1f %% %.1f %%" % (pv, pr))
print("n=%d" % n)
PY
}

# runs jcheck and renumbers its TAP lines into this script's count
run_check() {
	out=$(jcheck "$@")
	echo "$out" | while IFS= read -r l; do
		case $l in
		"ok "* | "not ok "*) : ;;
		n=*) : ;;
		*) echo "$l" ;;
		esac
	done
	echo "$out" | grep -E '^(not )?ok ' | while IFS= read -r l; do
		case $l in
		"ok "*) echo 0 "${l#ok [0-9]* - }" ;;
		*) echo 1 "${l#not ok [0-9]* - }" ;;
		esac
	done >"$jdir/results"
	while read -r st name; do
		ok "$st" "$name"
	done <"$jdir/results"
}

start g1 -XX:+UseG1GC
g1=$pid
start zgc -XX:+UseZGC
zgc=$pid
start noperf -XX:+UseG1GC -XX:-UsePerfData
noperf=$pid

run_check g1 "$g1" perf
run_check zgc "$zgc" zgc
run_check noperf "$noperf" noperf

for p in $g1 $zgc $noperf; do
	python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" invariants "$p" --loose \
		>"$jdir/inv" 2>&1
	ok $? "pid $p: the tree adds up to VmSize and smaps_rollup's Rss"
	sed 's/^/#   /' "$jdir/inv"
done

# reading hsperfdata through root/: the same counters as the file
hs=$(ls /tmp/hsperfdata_*/"$g1" 2>/dev/null | head -1)
[ -n "$hs" ]
ok $? "G1's hsperfdata file is in /tmp/hsperfdata_USER/"

for p in $g1 $zgc $noperf; do
	kill "$p"
done
done_testing
