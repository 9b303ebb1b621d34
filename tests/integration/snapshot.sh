#!/bin/sh
# --load in batch mode: what -b -J -m wrote of a live fixture (two
# refreshes, a process with arenas, thread stacks and cached stacks),
# printed again from the file, is the same bytes; the text output prints
# each refresh of the file; -p selects in the file.  Files that are not
# snapshots (corrupted, truncated, empty, huge, wrong schema, newer
# schema, a directory, missing) each give one line naming the file and
# exit status 1, never a crash.  A leak recorded with -d 0.5 -n 20 and
# loaded has the live growth insight at its last refresh (history
# replayed), and its memory columns and knobs as saved.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_arenas" ] || bail "fix_arenas fixture not built"

cd "$tap_tmpdir" || bail "no temporary directory"
"$FIXTURES/fix_arenas" -x 2 4 "$tap_tmpdir/info.xml" >fix.out &
spawn_register $!
wait_for 10 grep -q '^tid' fix.out || bail "fix_arenas did not start"
pid=$(head -1 fix.out)

"$VMTOP" -b -J -m -n 2 -d 0.2 -p "$pid" -p 1 >snap.json
ok $? "-b -J -m writes two refreshes of fix_arenas and PID 1"
is "$(wc -l <snap.json)" 2 "two lines"

"$VMTOP" -b -J -m --load snap.json >again.json 2>err.txt
ok $? "-b -J -m --load reads them"
cmp -s snap.json again.json
ok $? "and writes the same bytes again (trees, arenas, threads, insights)"
[ ! -s err.txt ]
ok $? "nothing on standard error"

"$VMTOP" -b -m --load snap.json >text.txt
is "$(grep -c '^== [0-9]* fix_arenas ==' text.txt)" 2 \
	"text: each refresh of the file, with its tree"
grep -q '4 glibc malloc arenas map' text.txt
ok $? "with the arenas' insight"
"$VMTOP" -b -J --load snap.json -p "$pid" >one.json
python3 -c '
import json, sys
ds = [json.loads(l) for l in open(sys.argv[1])]
assert len(ds) == 2 and all(len(d["processes"]) == 1 for d in ds)
assert ds[0]["processes"][0]["pid"] == int(sys.argv[2])
assert "maps" not in ds[0]["processes"][0]
' one.json "$pid"
ok $? "-p selects in the file; without -m no maps"
"$VMTOP" -b --load snap.json -p 4194300 >/dev/null 2>err.txt
is "$?" 1 "-p of a PID the file does not hold: status 1"
grep -q "no process with PID 4194300" err.txt
ok $? "and says so"

# bad_file NAME PATH REGEX: one line on stderr matching REGEX, none on
# stdout, exit status 1
bad_file() {
	"$VMTOP" -b -m --load "$2" >out.txt 2>err.txt
	rc=$?
	if [ "$rc" = 1 ] && [ ! -s out.txt ] &&
		[ "$(wc -l <err.txt)" = 1 ] && grep -Eq "$3" err.txt; then
		ok 0 "$1: $(cat err.txt)"
	else
		ok 1 "$1: status $rc"
		sed 's/^/#   /' err.txt out.txt | head -5
	fi
}

head -1 snap.json | sed 's/"start":"0x/"start":"0y/' >corrupt.json
bad_file corrupted corrupt.json \
	'^vmtop: corrupt.json:1: process [0-9]+: "start" is not an address$'
head -c 3000 snap.json >truncated.json
bad_file truncated truncated.json \
	'^vmtop: truncated.json:1: truncated: the file ends inside a refresh$'
{ head -1 snap.json; echo '{"schema":"vmtop/1","processes":[{"pid":'; } \
	>broken2.json
bad_file "a broken second line" broken2.json '^vmtop: broken2.json:2: not JSON'
: >empty.json
bad_file empty empty.json '^vmtop: empty.json: empty: no refresh in it'
head -c 140000000 /dev/zero | tr '\0' ' ' >huge.json
bad_file "huge (a 134 MB line)" huge.json \
	'^vmtop: huge.json:1: a line longer than 128 MiB'
rm -f huge.json
sed 's/"schema":"vmtop\/1"/"schema":"top\/1"/' snap.json >wrong.json
bad_file "wrong schema" wrong.json \
	"^vmtop: wrong.json:1: unknown schema 'top/1' \\(this vmtop reads vmtop/1\\)$"
sed '2s/"schema":"vmtop\/1"/"schema":"vmtop\/2"/' snap.json >newer.json
bad_file "newer schema (second line)" newer.json \
	'^vmtop: newer.json:2: schema vmtop/2 is newer than this vmtop reads'
echo '[1,2,3]' >array.json
bad_file "JSON, not a snapshot" array.json '^vmtop: array.json:1: not a vmtop snapshot'
printf 'PK\003\004binary\000\377\n' >binary.json
bad_file "binary" binary.json '^vmtop: binary.json:1: not JSON'
mkdir dir.json
bad_file "a directory" dir.json '^vmtop: dir.json: is a directory, not a snapshot$'
bad_file missing missing.json '^vmtop: missing.json: No such file or directory$'

"$VMTOP" --load snap.json --listen 9999 >/dev/null 2>err.txt
is "$?" 2 "--load with --listen is a usage error"

# --- the history: a leak recorded, loaded --------------------------------
# fix_leak grows its heap by 1024 KiB/s; the last refresh of the file,
# printed from --load, has the growth insight the live run had, its rate
# within 10 %; the memory columns and knobs of the file come back too.
[ -x "$FIXTURES/fix_leak" ] || bail "fix_leak fixture not built"
{
	"$FIXTURES/fix_leak" heap 1024 >leak.out &
	spawn_register $!
	wait_for 10 test -s leak.out || bail "fix_leak did not start"
	lp=$(head -n 1 leak.out)
	"$VMTOP" -b -J -m -d 0.5 -n 20 -p "$lp" \
		--columns=+PSS,USS,RESV,COMMIT,MAPS,ARENAS,FILE,SHMEM >leak.json
	ok $? "-b -J -m -d 0.5 -n 20 records the leak"
	"$VMTOP" -b -m --load leak.json >leak.txt
	ok $? "-b -m --load reads it"
	python3 - leak.json leak.txt <<'PY'
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
live = [i["text"] for i in json.loads(lines[-1])["processes"][0]["maps"]
        ["insights"] if i["id"] == "growth"]
assert live, "no growth insight live"
text = open(sys.argv[2]).read()
last = re.split(r"^== ", text, flags=re.M)[-1]
got = re.findall(r"^  - (heap grew .*)$", last, re.M)
assert got, "no growth insight loaded:\n" + last
rate = lambda s: float(re.search(r"\(([0-9.]+) MiB/min", s).group(1))
print("# live:   " + live[0])
print("# loaded: " + got[0])
assert abs(rate(got[0]) - rate(live[0])) <= rate(live[0]) * 0.10
PY
	ok $? "the last refresh loaded has the growth insight, rate within 10 %"
	"$VMTOP" -b -J -m --load leak.json >leak2.json
	python3 - leak.json leak2.json <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
keys = ("pss_kib", "uss_kib", "resv_kib", "commit_kib", "mappings", "arenas",
        "file_kib", "shmem_kib", "anon_kib", "shr_kib", "data_kib",
        "rollup_age_s", "maps_age_s", "kthread", "knobs")
for x, y in zip(a, b):
    p, q = x["processes"][0], y["processes"][0]
    for k in keys:
        assert p.get(k, "absent") == q.get(k, "absent"), (k, p.get(k), q.get(k))
assert a[-1]["processes"][0]["knobs"] is not None
PY
	ok $? "the memory columns and the knobs come back as saved"
}

done_testing
