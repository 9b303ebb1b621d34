#!/bin/sh
# The batch process list against ps and /proc/PID/status.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

# a fixture with 6 threads, and an idle one with a distinctive name
"$FIXTURES/fix_threads" 6 >"$tap_tmpdir/thr" &
thr=$!
spawn_register $thr
"$FIXTURES/fix_sleep" vmtopListFix >"$tap_tmpdir/sl" &
sl=$!
spawn_register $sl
wait_for 10 test -s "$tap_tmpdir/thr" || bail "fix_threads did not start"
wait_for 10 test -s "$tap_tmpdir/sl" || bail "fix_sleep did not start"

# every process of ps -e is listed (bar races: compare with ps both sides)
ps -e -o pid= | sort -n >"$tap_tmpdir/ps1"
"$VMTOP" -b -n 1 -J >"$tap_tmpdir/j1"
ok $? "vmtop -b -n 1 -J runs"
ps -e -o pid= | sort -n >"$tap_tmpdir/ps2"
python3 - "$tap_tmpdir" <<'PY'
import json, sys, os
d = sys.argv[1]
doc = json.load(open(d + "/j1"))
got = {p["pid"] for p in doc["processes"]}
ps1 = {int(x) for x in open(d + "/ps1").read().split()}
ps2 = {int(x) for x in open(d + "/ps2").read().split()}
stable = ps1 & ps2
missing = sorted(stable - got - {os.getpid()})
# ps itself and its pipeline come and go
missing = [p for p in missing if os.path.exists("/proc/%d" % p)]
open(d + "/missing", "w").write(" ".join(map(str, missing)))
PY
is "$(cat "$tap_tmpdir/missing")" "" "every process that ps -e lists is there"

python3 - "$tap_tmpdir/j1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "vmtop/1"
keys = {"pid", "ppid", "uid", "user", "comm", "cmdline", "state", "threads",
        "vsz_kib", "rss_kib", "swap_kib", "cpu_pct", "access"}
for p in doc["processes"]:
    assert keys <= set(p), sorted(keys - set(p))
    assert p["access"] in ("full", "limited")
for k in ("cpus", "page_size", "mem_total_kib"):
    assert doc["host"][k] > 0
PY
ok $? "the document has schema vmtop/1's fields"

# the fixture's figures equal /proc/PID/status at that moment
pid=$(cut -d' ' -f1 "$tap_tmpdir/thr")
"$VMTOP" -b -n 1 -J -p "$pid" >"$tap_tmpdir/j2"
grep -E '^(VmSize|VmRSS|Threads):' "/proc/$pid/status" >"$tap_tmpdir/st"
python3 - "$tap_tmpdir/j2" "$tap_tmpdir/st" <<'PY' >"$tap_tmpdir/cmp"
import json, sys
p = json.load(open(sys.argv[1]))["processes"]
st = dict(l.split(":") for l in open(sys.argv[2]).read().splitlines())
st = {k: int(v.split()[0]) for k, v in st.items()}
assert len(p) == 1, p
p = p[0]
print(p["vsz_kib"], st["VmSize"], p["rss_kib"], st["VmRSS"], p["threads"], st["Threads"])
PY
set -- $(cat "$tap_tmpdir/cmp")
is "$1" "$2" "vsz_kib equals VmSize"
is "$3" "$4" "rss_kib equals VmRSS"
is "$5" "$6" "threads equals Threads"
is "$5" 7 "the fixture has 6 threads and main"

# a second refresh has cpu_pct for every process that lived through both
"$VMTOP" -b -n 2 -d 0.3 -J >"$tap_tmpdir/j3"
python3 - "$tap_tmpdir/j3" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert len(docs) == 2, len(docs)
first = {p["pid"] for p in docs[0]["processes"]}
assert all(p["cpu_pct"] is None for p in docs[0]["processes"])
none = [p["pid"] for p in docs[1]["processes"] if p["cpu_pct"] is None]
assert not none, none
PY
ok $? "CPU% is null on the first refresh and known on the second"

# the pattern selects by name; text output shows it
"$VMTOP" -b -n 1 vmtoplistfix >"$tap_tmpdir/t1"
grep -q "vmtopListFix" "$tap_tmpdir/t1"
ok $? "a lower-case pattern finds the fixture by name"
is "$(grep -c '^ *[0-9]' "$tap_tmpdir/t1")" 1 "and only it"
"$VMTOP" -b -n 1 -f 'VMTOPLISTFIX' >"$tap_tmpdir/t2"
is "$(grep -c '^ *[0-9]' "$tap_tmpdir/t2")" 0 "an upper-case pattern is case-sensitive"
"$VMTOP" -b -n 1 -u "$(id -u)" -p "$sl" >"$tap_tmpdir/t3"
is "$(grep -c '^ *[0-9]' "$tap_tmpdir/t3")" 1 "-u and -p combine"

# -n 3 -d 0.1 prints three refreshes and takes about 0.2 s
start=$(date +%s%N)
"$VMTOP" -b -n 3 -d 0.1 -p "$sl" >"$tap_tmpdir/t4"
ms=$((($(date +%s%N) - start) / 1000000))
is "$(grep -c '^vmtop - ' "$tap_tmpdir/t4")" 3 "-n 3 prints three refreshes"
[ "$ms" -ge 190 ] && [ "$ms" -lt 3000 ]
ok $? "-d 0.1 paces them ($ms ms for three)"
done_testing
