#!/bin/sh
# --capture of a live fixture and --load of the archive after the process
# is gone: the same tree and knobs, the knobs kept and the secrets left
# out (a variable, a -Dpassword= in JAVA_TOOL_OPTIONS), limits as
# /proc's; hostile archives refused with one line and status 1, nothing
# written outside the private directory, which is removed.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
d=$tap_tmpdir
# where --load unpacks: checked empty after each run
mkdir "$d/tmp"
export TMPDIR="$d/tmp"
secret=vmtopSecretValue7f3a9c

# a JVM's options hold secrets next to memory flags: -Xmx64m is a knob,
# the password never leaves the process
env MALLOC_ARENA_MAX=2 SECRET_TOKEN=$secret \
	JAVA_TOOL_OPTIONS="-Xmx64m -Dpassword=hunter2" \
	"$FIXTURES/fix_arenas" 4 "$d/fix.xml" >"$d/fix.out" &
spawn_register $!
wait_for 10 test -s "$d/fix.xml" || bail "fix_arenas did not start"
wait_for 10 grep -q . "$d/fix.out"
pid=$(head -n 1 "$d/fix.out")
grep -q "SECRET_TOKEN=$secret" "/proc/$pid/environ" ||
	bail "the fixture's environment lacks the secret"

"$VMTOP" --capture "$d/cap.tar" -p "$pid"
ok $? "--capture -p PID writes the archive"
"$VMTOP" -b -n 1 -m -p "$pid" >"$d/live.txt"
"$VMTOP" -b -n 1 -m -J -p "$pid" >"$d/live.json"
cat "/proc/$pid/limits" >"$d/live.limits"
"$VMTOP" --capture "$d/cap.tar.gz" -p "$pid"
ok $? "--capture to a .gz name writes a gzip archive"
kill "$pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"

is "$(stat -c %a "$d/cap.tar")" 600 "the archive has mode 0600"
tar tf "$d/cap.tar" >"$d/list" 2>/dev/null
is "$(head -n 1 "$d/list")" vmtop-capture "the manifest comes first"
check "the task list, each thread's syscall and the facts are in it" \
	grep -q "^$pid/task/[0-9]*/syscall\$" "$d/list"
grep -q "^$pid/vmtop-facts\$" "$d/list" && grep -q "^$pid/smaps\$" "$d/list"
ok $? "smaps and the facts are in it"
tar xOf "$d/cap.tar" "$pid/environ" | tr '\0' '\n' | sort >"$d/env"
is "$(cat "$d/env")" "JAVA_TOOL_OPTIONS=-Xmx64m
MALLOC_ARENA_MAX=2" "environ holds the knobs and only them, -Xmx64m only"
# byte-searched, in the archive and in every entry unpacked
! grep -q "$secret" "$d/cap.tar" && ! grep -q SECRET_TOKEN "$d/cap.tar"
ok $? "the secret variable is not in the archive"
! grep -q hunter2 "$d/cap.tar" && ! grep -q password "$d/cap.tar"
ok $? "nor the password of JAVA_TOOL_OPTIONS"
mkdir "$d/x" && tar xf "$d/cap.tar" -C "$d/x" &&
	! grep -rq -e "$secret" -e hunter2 -e password "$d/x"
ok $? "nor in any of its files"
gzip -dc "$d/cap.tar.gz" | grep -q -e "$secret" -e hunter2 -e password
ok $((!$?)) "nor in the gzip one"
check "limits is the process's /proc/PID/limits" \
	cmp "$d/live.limits" "$d/x/$pid/limits"
grep -q "^knobs.cgroup " "$d/x/$pid/vmtop-facts"
ok $? "the facts hold the knobs view's cgroup"

# the same tree as the live one had: the text with its header's clock and
# the machine's available memory left out, which are now's, and PSS, which
# changes as other processes map the same pages (as in -J below)
"$VMTOP" -b -m --load "$d/cap.tar" >"$d/load.txt" 2>"$d/load.err"
ok $? "-b -m --load reads the archive, the process being gone"
sed -E '1,2d; s/ pss [0-9.]+[KMGTP]?//' "$d/live.txt" >"$d/live.body"
sed -E '1,2d; s/ pss [0-9.]+[KMGTP]?//' "$d/load.txt" >"$d/load.body"
diff "$d/live.body" "$d/load.body" | head -n 20 | sed 's/^/# /'
check "-b -m: the same tree as the live process had" \
	cmp "$d/live.body" "$d/load.body"
grep -q "MALLOC_ARENA_MAX" "$d/load.txt"
ok $? "the arena cap's knob is read from the archive"
grep -q "^knobs:" "$d/load.txt" &&
	grep -q "^  JAVA_TOOL_OPTIONS: -Xmx64m\$" "$d/load.txt" &&
	grep -q "(1 other option of \*_OPTIONS variables not shown)" \
		"$d/load.txt"
ok $? "the knobs: -Xmx64m, the other option counted, not shown"
"$VMTOP" -b -m -J --load "$d/cap.tar.gz" >"$d/load.json"
ok $? "-b -m -J --load reads the gzip archive"
# live-only: the document's time and available memory (read now), PSS
# (it changes as other processes map the same pages), CPU% (a rate)
python3 - "$d/live.json" "$d/load.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
LIVE = {"time", "pss_kib", "cpu_pct", "mem_available_kib"}
diffs = []
def walk(x, y, p):
    if isinstance(x, dict) and isinstance(y, dict):
        if set(x) != set(y):
            diffs.append(p + ": keys " + str(set(x) ^ set(y)))
        for k in set(x) & set(y):
            if k not in LIVE:
                walk(x[k], y[k], p + "/" + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            diffs.append("%s: %d items, %d" % (p, len(x), len(y)))
        for i, (u, v) in enumerate(zip(x, y)):
            walk(u, v, "%s/%d" % (p, i))
    elif x != y:
        diffs.append("%s: %r != %r" % (p, x, y))
walk(a, b, "")
m = b["processes"][0]["maps"]
if m["arenas"]["arena_max"] != "MALLOC_ARENA_MAX" or m["arenas"]["limit"] != 2:
    diffs.append("arenas: %r" % m["arenas"])
for line in diffs[:20]:
    print("# " + line)
sys.exit(1 if diffs else 0)
PY
ok $? "-J: the same document but for time, PSS, CPU% and available memory"
is "$(ls -A "$d/tmp")" "" "the unpacked directory is removed at exit"

# the file is created new: never over a file, never through a link
: >"$d/exists"
"$VMTOP" --capture "$d/exists" -p $$ 2>"$d/err"
is "$?:$(wc -l <"$d/err"):$(wc -c <"$d/exists")" "1:1:0" \
	"--capture never overwrites a file"
ln -s "$d/target" "$d/link"
"$VMTOP" --capture "$d/link" -p $$ 2>/dev/null
is "$?:$(test -e "$d/target" && echo made)" "1:" \
	"--capture never writes through a symbolic link"
"$VMTOP" --capture "$d/none.tar" 2>/dev/null
is "$?:$(test -e "$d/none.tar" && echo made)" "2:" "--capture needs -p"

# hostile archives: one line, status 1, nothing outside, no leftovers
python3 - "$d" "$d/cap.tar" <<'PY'
import io, os, sys, tarfile
d, good = sys.argv[1], sys.argv[2]
man = open(good, "rb").read()
with tarfile.open(good) as t:
    manifest = t.extractfile("vmtop-capture").read()
def arc(name, entries, fmt=tarfile.PAX_FORMAT):
    with tarfile.open(os.path.join(d, name), "w", format=fmt) as t:
        for e in entries:
            ti = tarfile.TarInfo(e[0])
            if len(e) == 2:
                ti.size = len(e[1])
                t.addfile(ti, io.BytesIO(e[1]))
            else:
                ti.type = e[1]
                ti.linkname = e[2]
                t.addfile(ti)
m = ("vmtop-capture", manifest)
arc("dotdot.tar", [m, ("../escaped", b"x")])
arc("dotdot2.tar", [m, ("1/../../escaped", b"x")])
arc("absolute.tar", [m, (d + "/escaped", b"x")])
arc("symlink.tar", [m, ("1/maps", tarfile.SYMTYPE, "/etc/passwd")])
arc("hardlink.tar", [m, ("1/maps", tarfile.LNKTYPE, "vmtop-capture")])
arc("device.tar", [m, ("1/maps", tarfile.CHRTYPE, "")])
arc("nomanifest.tar", [("1/maps", b"x")])
arc("twice.tar", [m, ("1/maps", b"x"), ("1/maps", b"y")])
arc("newer.tar", [("vmtop-capture", b"vmtop-capture 99\n")])
# a header that says 1 TiB, with little behind it
ti = tarfile.TarInfo("1/smaps")
ti.size = 1 << 40
hdr = ti.tobuf(tarfile.PAX_FORMAT)
with tarfile.open(os.path.join(d, "huge.tar"), "w",
                  format=tarfile.PAX_FORMAT) as t:
    t.addfile(tarfile.TarInfo("vmtop-capture"), io.BytesIO(b""))
raw = bytearray(open(os.path.join(d, "huge.tar"), "rb").read())
with tarfile.open(os.path.join(d, "huge.tar"), "w",
                  format=tarfile.PAX_FORMAT) as t:
    ti0 = tarfile.TarInfo("vmtop-capture")
    ti0.size = len(manifest)
    t.addfile(ti0, io.BytesIO(manifest))
raw = open(os.path.join(d, "huge.tar"), "rb").read().rstrip(b"\0")
raw = raw + b"\0" * (-len(raw) % 512) + hdr + b"A" * 4096
open(os.path.join(d, "huge.tar"), "wb").write(raw)
open(os.path.join(d, "truncated.tar"), "wb").write(man[:len(man) // 2])
open(os.path.join(d, "text.tar"), "wb").write(b"hello, not an archive\n" * 40)
open(os.path.join(d, "empty.tar"), "wb").write(b"")
open(os.path.join(d, "zeros.tar"), "wb").write(b"\0" * 10240)
PY
for f in dotdot dotdot2 absolute symlink hardlink device nomanifest twice \
	newer huge truncated text empty zeros; do
	"$VMTOP" -b -m --load "$d/$f.tar" >"$d/$f.out" 2>"$d/$f.err"
	rc=$?
	lines=$(wc -l <"$d/$f.err")
	is "$rc:$lines:$(wc -c <"$d/$f.out")" "1:1:0" \
		"$f archive: status 1, one line: $(cat "$d/$f.err")"
done
grep -q "newer than this vmtop reads" "$d/newer.err"
ok $? "a newer format says so"
grep -q "symbolic link" "$d/symlink.err" && grep -q "too large" "$d/huge.err"
ok $? "a link and a huge entry are named as such"
test ! -e "$d/escaped" && test ! -e "$d/../escaped" &&
	test ! -e "$d/tmp/escaped"
ok $? "nothing was written outside the private directory"
is "$(ls -A "$d/tmp")" "" "no unpacked directory is left after a refusal"

done_testing
