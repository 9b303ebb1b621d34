#!/bin/sh
# Failures said as they are, and text that cannot fool a reader.  Too few
# descriptors (ulimit -n 5 to 9) is an error naming the limit, not an
# empty list; running out of memory ends with status 1 and a message, not
# abort(); -p with a pattern that leaves the process out says so.  A name
# with U+202E (right-to-left override) and a C1 control reaches neither
# the text output nor the JSON raw, and a wide character in a mapped path
# keeps the -m tree's columns aligned.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"

# --- descriptors ----------------------------------------------------------
if ! command -v prlimit >/dev/null 2>&1; then
	ok 0 "# SKIP prlimit (util-linux) is not installed"
else
	for n in 5 7 9; do
		prlimit --nofile=$n:$n "$VMTOP" -b -n 1 >"$tap_tmpdir/out" \
			2>"$tap_tmpdir/err"
		st=$?
		[ "$st" -eq 1 ] && [ ! -s "$tap_tmpdir/out" ] &&
			grep -q "ulimit -n.* is $n," "$tap_tmpdir/err"
		ok $? "ulimit -n $n: status 1 ($st), a message naming the limit"
	done
	# a low soft limit under a higher hard one is raised, not refused
	prlimit --nofile=5:64 "$VMTOP" -b -n 1 -p $$ >"$tap_tmpdir/out" \
		2>"$tap_tmpdir/err"
	is "$?" 0 "soft limit 5, hard 64: runs"
	grep -q "^ *$$ " "$tap_tmpdir/out"
	ok $? "soft limit 5, hard 64: the process is listed"
fi

# --- out of memory ----------------------------------------------------------
if nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init; then
	ok 0 "# SKIP out of memory: an ASan build reserves terabytes"
else
	# from too little to start at all up to enough: every run ends with
	# 0, 1, or the loader's 127, never a signal, and some run is 1 with
	# vmtop's message
	seen_oom=no bad=""
	for kib in 3000 4000 5000 6000 7000 8000 10000 12000 16000; do
		(ulimit -v $kib && exec "$VMTOP" -b -n 1 -m -c) \
			>/dev/null 2>"$tap_tmpdir/err"
		st=$?
		case $st in
		0|127) ;;
		1) grep -q "^vmtop: out of memory" "$tap_tmpdir/err" &&
			seen_oom=yes ;;
		*) bad="$bad $kib:$st" ;;
		esac
	done
	is "$bad" "" "ulimit -v: no run ends in a signal (abort is 134)"
	is "$seen_oom" yes "ulimit -v: out of memory ends with 1 and a message"
fi

# --- -p and a pattern ---------------------------------------------------------
"$VMTOP" -b -n 1 -p $$ vmtopNoSuchNameAtAll >"$tap_tmpdir/out" \
	2>"$tap_tmpdir/err"
is "$?" 1 "-p PID nomatch: status 1"
grep -q "PID $$ does not match the pattern 'vmtopNoSuchNameAtAll'" \
	"$tap_tmpdir/err"
ok $? "-p PID nomatch: says the pattern left it out ($(cat "$tap_tmpdir/err"))"
"$VMTOP" -b -n 1 -p 999999999 >/dev/null 2>"$tap_tmpdir/err"
grep -q "no process with PID 999999999" "$tap_tmpdir/err"
ok $? "-p of no process: says there is none"

# --- format characters and C1 ---------------------------------------------
rlo=$(printf '\342\200\256')
csi=$(printf '\302\233')
"$FIXTURES/fix_sleep" "${rlo}fdp.exe${csi}" "arg${rlo}x" >"$tap_tmpdir/rlo" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/rlo" || bail "fixture did not start"
rpid=$(cat "$tap_tmpdir/rlo")
"$VMTOP" -b -n 1 -c -p "$rpid" >"$tap_tmpdir/text"
"$VMTOP" -J -n 1 -p "$rpid" >"$tap_tmpdir/json"
python3 - "$tap_tmpdir/text" "$tap_tmpdir/json" >"$tap_tmpdir/res" <<'PY'
import json, sys
text = open(sys.argv[1], "rb").read()
raw = open(sys.argv[2], "rb").read()
rlo, csi = "\u202e".encode(), "\u009b".encode()
print("text-raw", rlo in text or csi in text)
print("text-escaped", b"\\u202efdp.exe\\xc2\\x9b" in text and
      b"arg\\u202ex" in text)
print("json-raw", rlo in raw or csi in raw)
print("json-escaped", b'"\\u202efdp.exe\\u009b"' in raw)
p = json.loads(raw)["processes"][0]
print("json-value", p["comm"] == "\u202efdp.exe\u009b" and
      p["cmdline"].endswith("arg\u202ex"))
PY
sed 's/^/# /' "$tap_tmpdir/res"
grep -q "^text-raw False" "$tap_tmpdir/res"
ok $? "text: no raw U+202E or C1 control"
grep -q "^text-escaped True" "$tap_tmpdir/res"
ok $? "text: they are written \\u202e and \\xc2\\x9b"
grep -q "^json-raw False" "$tap_tmpdir/res"
ok $? "JSON: no raw U+202E or C1 control"
grep -q "^json-escaped True" "$tap_tmpdir/res"
ok $? "JSON: written \\u202e and \\u009b"
grep -q "^json-value True" "$tap_tmpdir/res"
ok $? "JSON: the strings decode to the process's own"

# --- wide characters in the -m tree ---------------------------------------
# three CJK characters, 6 columns
wide=$(printf '\346\227\245\346\234\254\350\252\236')
cp "$FIXTURES/fix_sleep" "$tap_tmpdir/$wide"
"$tap_tmpdir/$wide" vmtopWide >"$tap_tmpdir/wide" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/wide" || bail "wide fixture did not start"
"$VMTOP" -b -n 1 -m -p "$(cat "$tap_tmpdir/wide")" >"$tap_tmpdir/tree"
python3 - "$tap_tmpdir/tree" "$wide" >"$tap_tmpdir/res" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in s)
wide = sys.argv[2]
# group lines: four spaces, the name and a space padded to 40 display
# columns, then VSZ right-aligned in 7: where VSZ ends, against where it
# should
bad, seen = [], 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^    (\S.*?) (\s*)(\d[\d.]*[KMGTPE]?)  ", line)
    if not m or wide not in line:
        continue
    seen += 1
    end = width(line[:m.end(3)])
    want = max(40, 4 + width(m.group(1)) + 1) + 7
    if end != want:
        bad.append((m.group(1), end, want))
print("wide", seen, "bad", bad)
PY
sed 's/^/# /' "$tap_tmpdir/res"
grep -q "^wide [1-9][0-9]* bad \[\]$" "$tap_tmpdir/res"
ok $? "-m text: a path with wide characters is padded by display width"
done_testing
