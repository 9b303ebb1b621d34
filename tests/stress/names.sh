#!/bin/sh
# Stress: hostile names.  A process whose name holds an escape sequence,
# a tab and a byte that is not UTF-8, with such arguments too, and a
# process mapping files whose names hold spaces, tabs, a newline and a
# real " (deleted)": the text output carries no control byte and is
# valid UTF-8; the JSON gives back the exact bytes through python's
# surrogateescape.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_names" ] || bail "fix_names fixture not built"

evil_name=$(printf '\033[31mx\tq\377')
evil_arg1=$(printf 'a\033]0;title\007b')
evil_arg2=$(printf '\303\050\177\302\233z')	# bad UTF-8, DEL, C1 CSI
"$FIXTURES/fix_sleep" "$evil_name" "$evil_arg1" "$evil_arg2" >"$tap_tmpdir/evil" &
spawn_register $!
TMPDIR=$tap_tmpdir "$FIXTURES/fix_names" >"$tap_tmpdir/names" &
spawn_register $!
# and a file whose name is not UTF-8 and holds an escape, mapped by python
python3 - "$tap_tmpdir" >"$tap_tmpdir/py" <<'PY' &
import mmap, os, sys, time
path = os.fsencode(sys.argv[1]) + b"/bad\xff\xfe\x1b[0m\x7f name"
with open(path, "wb") as f:
    f.write(b"x" * 4096)
fd = os.open(path, os.O_RDONLY)
m = mmap.mmap(fd, 4096, prot=mmap.PROT_READ)
print(os.getpid(), os.stat(path).st_ino, path.hex(), flush=True)
time.sleep(3600)
PY
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/evil" || bail "fix_sleep did not start"
wait_for 10 test -s "$tap_tmpdir/py" || bail "the python mapper did not start"
wait_for 10 grep -q '^end' "$tap_tmpdir/names" || bail "fix_names did not start"
evil=$(cat "$tap_tmpdir/evil")
names=$(sed -n 's/^pid //p' "$tap_tmpdir/names")
py=$(cut -d' ' -f1 "$tap_tmpdir/py")

# clean FILE: no byte < 0x20 but newline, no DEL, no C1, valid UTF-8
clean() {
	python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
bad = [(i, b) for i, b in enumerate(data) if (b < 0x20 and b != 0x0a) or b == 0x7f]
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    print("# not UTF-8: %s" % e)
    sys.exit(1)
c1 = [i for i, ch in enumerate(text) if 0x80 <= ord(ch) < 0xa0]
if bad or c1:
    print("# control bytes at %r, C1 at %r" % (bad[:5], c1[:5]))
    sys.exit(1)
PY
}

for args in "-b -n 1" "-b -n 1 -c" "-b -n 1 -m -p $evil,$names,$py" \
	"-b -n 1 -m -c -p $evil,$names,$py"; do
	# shellcheck disable=SC2086
	"$VMTOP" $args >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
	is "$?" 0 "vmtop $args exits 0"
	clean "$tap_tmpdir/out"
	ok $? "vmtop $args: no control byte, valid UTF-8"
done
grep -q '\\e\[31mx\\tq\\xff' "$tap_tmpdir/out"
ok $? "text: the name is shown escaped"
grep -q 'nl\\nname' "$tap_tmpdir/out" && grep -q 'a b\\tc' "$tap_tmpdir/out"
ok $? "text: the newline and the tab of the file names are shown escaped"

"$VMTOP" -b -n 1 -J -m -p "$evil,$names,$py" >"$tap_tmpdir/j" 2>"$tap_tmpdir/err"
is "$?" 0 "-J -m on both exits 0"
python3 - "$tap_tmpdir/j" "$evil" "$names" "$tap_tmpdir/names" "$tap_tmpdir/py" <<'PY' >"$tap_tmpdir/res"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert all(b >= 0x20 or b == 0x0a for b in raw), "raw control byte in JSON"
raw.decode("ascii") if False else raw.decode("utf-8")
doc = json.loads(raw)
evil, names = int(sys.argv[2]), int(sys.argv[3])
procs = {p["pid"]: p for p in doc["processes"]}

def back(s):
    return s.encode("utf-8", "surrogateescape")

e = procs[evil]
comm = open("/proc/%d/comm" % evil, "rb").read().rstrip(b"\n")
print("comm", back(e["comm"]) == comm, repr(e["comm"]))
cmd = open("/proc/%d/cmdline" % evil, "rb").read().rstrip(b"\0").replace(b"\0", b" ")
print("cmdline", back(e["cmdline"]) == cmd, repr(e["cmdline"]))

regions = {}
for c in procs[names]["maps"]["categories"]:
    for g in c["groups"]:
        for r in g["regions"]:
            regions[int(r["start"], 16)] = r
want = [l.split() for l in open(sys.argv[4]) if l.startswith("map ")]
good = 0
for _, start, deleted, hexname in want:
    r = regions.get(int(start, 16))
    if r is None:
        print("# no region at %s" % start)
        continue
    name = bytes.fromhex(hexname)
    path_ok = back(r["path"]) == name
    del_ok = ("deleted" in r["tags"]) == (deleted == "1")
    if path_ok and del_ok:
        good += 1
    else:
        print("# %s: path %r (want %r), tags %r (deleted %s)"
              % (start, r["path"], name, r["tags"], deleted))
print("maps", good, len(want))

pypid, ino, hexname = open(sys.argv[5]).read().split()
found = [r for c in procs[int(pypid)]["maps"]["categories"]
         for g in c["groups"] for r in g["regions"] if r["inode"] == int(ino)]
print("badname", len(found) == 1 and back(found[0]["path"]) == bytes.fromhex(hexname),
      [r["path"] for r in found])
PY
st=$?
sed 's/^/# /' "$tap_tmpdir/res"
is "$st" 0 "the JSON is valid UTF-8 with no raw control byte"
grep -q "^comm True" "$tap_tmpdir/res"
ok $? "JSON: comm round-trips to /proc/PID/comm's bytes"
grep -q "^cmdline True" "$tap_tmpdir/res"
ok $? "JSON: cmdline round-trips to /proc/PID/cmdline's bytes"
n=$(grep -c '^map ' "$tap_tmpdir/names")
is "$(sed -n 's/^maps //p' "$tap_tmpdir/res")" "$n $n" \
	"JSON: every mapping's path and deleted flag round-trip exactly"
grep -q "^badname True" "$tap_tmpdir/res"
ok $? "JSON: a file name that is not UTF-8 round-trips exactly"
done_testing
