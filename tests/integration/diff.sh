#!/bin/sh
# vmtop --diff OLD [NEW]: fix_leak grows its anonymous memory by a known
# step (8 MiB on each SIGUSR1) between two snapshots (vmtop -b -J -m).
# The difference per cause is exact, checked against the two files' own
# totals and /proc/PID/status (VmSize, VmRSS) read at each snapshot; the
# live side; a PID that another program reused is refused; bad files and
# processes not found give one line and exit 1.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_leak" ] || bail "fix_leak fixture not built"

t=$tap_tmpdir
STEP=8192

# a name of its own: other tests run fix_leak at the same time, and the
# live side may be matched by name
comm=vdiff$$
cp "$FIXTURES/fix_leak" "$t/$comm" || bail "cannot copy fix_leak"
"$t/$comm" anon 0 $STEP >"$t/leak.out" &
spawn_register $!
wait_for 10 grep -q . "$t/leak.out" || bail "fix_leak did not start"
pid=$(head -n 1 "$t/leak.out")
sleep 1 >/dev/null &
spawn_register $!	# only to be gone: a PID no one has
gone=$!
wait "$gone"
sleep 60 &
spawn_register $!
other=$!

status() {	# status NAME: VmSize and VmRSS of the fixture now
	grep -E '^Vm(Size|RSS):' "/proc/$pid/status" >"$t/$1.status"
}

grow() {	# grow N: the Nth step, waited for
	kill -USR1 "$pid"
	wait_for 10 grep -q "grew $(($1 * STEP))\$" "$t/leak.out" ||
		bail "fix_leak did not grow"
}

"$VMTOP" -b -J -m -n 1 -p "$pid" >"$t/a.json" && status a
ok $? "snapshot a"
grow 1
"$VMTOP" -b -J -m -n 1 -p "$pid" >"$t/b.json" && status b
ok $? "snapshot b, $STEP KiB later"

"$VMTOP" --diff "$t/a.json" "$t/b.json" -J >"$t/ab.json"
ok $? "--diff a.json b.json -J"
"$VMTOP" --diff "$t/a.json" "$t/b.json" -b >"$t/ab.txt"
ok $? "--diff a.json b.json -b"

# check NAME OLD NEW OUT.json: the compare object against the files and
# the status files (NEW "live": status read right after)
check_diff() {
	python3 - "$t" "$2" "$3" "$4" "$STEP" "$pid" "$5" <<'PY'
import json, sys
t, old, new, out, step, pid, grown = sys.argv[1:8]
step, pid, grown = int(step), int(pid), int(grown)

def snap(name):
    d = json.loads(open("%s/%s.json" % (t, name)).read().splitlines()[-1])
    return d["processes"][0]["maps"]["totals"]

def status(name):
    v = {}
    for line in open("%s/%s.status" % (t, name)):
        k, n = line.split(":")
        v[k] = int(n.split()[0])
    return v

c = json.load(open("%s/%s" % (t, out)))["compare"]
bad = []
def want(what, got, exp):
    if got != exp:
        bad.append("%s: %r, want %r" % (what, got, exp))

want("sides' pids", [s["pid"] for s in c["sides"]], [pid, pid])
want("old side's file", c["sides"][0]["file"].endswith("/%s.json" % old),
     True)
want("new side live", c["sides"][1]["live"], new == "live")
so, sn = status(old), status(new)
tot = c["processes"]
# the difference is NEW - OLD, the model's "now" minus "then"
want("total diff = VmSize(new) - VmSize(old)", tot[1]["diff_kib"],
     sn["VmSize"] - so["VmSize"])
want("total diff = the grown steps", tot[1]["diff_kib"], grown)
want("old total = a's own VmSize", tot[0]["vsz_kib"], so["VmSize"])
want("old total = the file's own total", tot[0]["vsz_kib"],
     snap(old)["vsz_kib"])
if new != "live":
    want("new total = the file's own total", tot[1]["vsz_kib"],
         snap(new)["vsz_kib"])
anon = [r for r in c["rows"] if r["kind"] == "anon" and r["group"] is None]
want("one anon kind row", len(anon), 1)
if anon:
    want("anon diff", anon[0]["diff_kib"], grown)
    d_rss = anon[0]["cells"][1]["rss_kib"] - anon[0]["cells"][0]["rss_kib"]
    # touched: RSS grew by the step, as VmRSS did (within 256 KiB of
    # what the fixture's own stdio and stack touched meanwhile)
    want("anon RSS grew by the step", abs(d_rss - grown) <= 256, True)
    want("VmRSS grew as the tree's RSS",
         abs((sn["VmRSS"] - so["VmRSS"]) - d_rss) <= 256, True)
others = [r for r in c["rows"] if r["group"] is None and r["kind"] != "anon"
          and r["diff_kib"] != 0]
want("no other kind differs", [r["kind"] for r in others], [])
want("words", c["summary"].startswith("now maps %d MiB more than then: "
                                      "anonymous memory %d MiB" %
                                      (grown // 1024, grown // 1024)), True)
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
PY
	ok $? "$1"
}

check_diff "a.json to b.json: +$STEP KiB, all of it anon" a b ab.json $STEP
grep -q "^vmtop --diff: comparing PID $pid ($comm) of .*/a\.json, [0-9:]*, with PID $pid ($comm) of .*/b\.json" \
	"$t/ab.txt" &&
	grep -Eq "^anonymous memory .* \+8\.00M\$" "$t/ab.txt" &&
	grep -q "^now maps 8 MiB more than then: anonymous memory 8 MiB" \
		"$t/ab.txt"
ok $? "-b: what was matched, the words, the anon row"

# against the live process, two steps on
grow 2
"$VMTOP" --diff "$t/a.json" -J >"$t/live.json" && status live
ok $? "--diff a.json -J (live)"
check_diff "a.json to the live process: +$((2 * STEP)) KiB" a live \
	live.json $((2 * STEP))
"$VMTOP" --diff "$t/a.json" -b >"$t/live.txt"
grep -q "comparing PID $pid ($comm) of .*a\.json, [0-9:]*, with the live PID $pid\$" \
	"$t/live.txt"
ok $? "-b names the live PID matched"

# a snapshot whose PID another program runs now: matched by name, not
# by PID; and refused when no process has the name
python3 - "$t" "$other" <<'PY'
import json, sys
t, other = sys.argv[1], int(sys.argv[2])
d = json.loads(open(t + "/a.json").read().splitlines()[-1])
d["processes"][0]["pid"] = other
open(t + "/reused.json", "w").write(json.dumps(d) + "\n")
d["processes"][0]["comm"] = "vmtop_no_such"
open(t + "/reused2.json", "w").write(json.dumps(d) + "\n")
PY
"$VMTOP" --diff "$t/reused.json" -b >"$t/reused.txt" 2>"$t/reused.err"
ok $? "a reused PID: the process of the same name instead"
grep -q "with the live PID $pid ($comm) (PID $other now runs sleep)" \
	"$t/reused.txt"
ok $? "... and it says so"
"$VMTOP" --diff "$t/reused2.json" -b >/dev/null 2>"$t/reused2.err"
is $? 1 "a reused PID and no process of its name: exit 1"
grep -q "^vmtop: /proc holds no process named 'vmtop_no_such' .*PID $other now runs another program (sleep)\$" \
	"$t/reused2.err" && [ "$(wc -l <"$t/reused2.err")" -eq 1 ]
ok $? "... one line that says why"

# bad files and processes not found: one line, exit 1
for f in missing empty garbage truncated; do
	case $f in
	empty) : >"$t/$f" ;;
	garbage) printf 'not a snapshot\n' >"$t/$f" ;;
	truncated) head -c 300 "$t/a.json" >"$t/$f" ;;
	esac
	"$VMTOP" --diff "$t/$f" -b >"$t/$f.out" 2>"$t/$f.err"
	st=$?
	[ $st -eq 1 ] && [ "$(wc -l <"$t/$f.err")" -eq 1 ] &&
		grep -q "^vmtop: .*$f" "$t/$f.err" && [ ! -s "$t/$f.out" ]
	ok $? "OLD $f: exit 1, one line naming the file"
	[ $st -eq 1 ] || sed 's/^/# /' "$t/$f.err"
done
"$VMTOP" --diff "$t/a.json" "$t/garbage" -b >/dev/null 2>"$t/new.err"
is $? 1 "NEW garbage: exit 1"
grep -q "garbage" "$t/new.err"
ok $? "... naming it"
"$VMTOP" --diff "$t/a.json" -p "$gone" -b >/dev/null 2>"$t/nopid.err"
is $? 1 "-p PID not in the file: exit 1"
grep -q "no process with PID $gone with a memory map" "$t/nopid.err"
ok $? "... naming the PID"
"$VMTOP" --diff "$t/a.json" -f 'vmtop_no_such' -b >/dev/null 2>"$t/nopat.err"
is $? 1 "a PATTERN nothing matches: exit 1"
grep -q "matching 'vmtop_no_such'" "$t/nopat.err"
ok $? "... naming the pattern"

# a file of two processes: which one must be said
"$VMTOP" -b -J -m -n 1 -p "$pid,$other" >"$t/two.json"
"$VMTOP" --diff "$t/two.json" -b >/dev/null 2>"$t/two.err"
is $? 1 "two processes and no -p: exit 1"
grep -q "holds 2 processes with a memory map: PID [0-9]* (.*), PID [0-9]* (.*); choose one with -p PID or a PATTERN" \
	"$t/two.err" && grep -q "PID $pid ($comm)" "$t/two.err" &&
	grep -q "PID $other (sleep)" "$t/two.err"
ok $? "... listing them"
"$VMTOP" --diff "$t/two.json" "$comm" -b >"$t/two.txt"
ok $? "a PATTERN picks one"
grep -q "comparing PID $pid ($comm)" "$t/two.txt"
ok $? "... the one it matches"

done_testing
