#!/bin/sh
# A real redis-server 7 (jemalloc, linked as libjemalloc.so.2 on Debian)
# on 127.0.0.1 at a free port, filled with 200 000 keys: its extents are
# the allocator kind, group "jemalloc", and hold what Redis's own account
# (INFO memory's allocator_resident) says is resident, within 10 %; the
# insight names MALLOC_CONF; at least 95 % of VSZ and 90 % of RSS land in
# a named kind; the tree adds up.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
	skip_all "redis-server is not installed (apt-get install redis-server)"

port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
	--dir "$tap_tmpdir" >"$tap_tmpdir/redis.log" 2>&1 &
pid=$!
spawn_register "$pid"
wait_for 20 redis-cli -p "$port" ping >/dev/null 2>&1 ||
	bail "redis-server did not start: $(tail -n 3 "$tap_tmpdir/redis.log")"
python3 -c '
import sys
w = sys.stdout.write
for i in range(200000):
    w("SET key:%d %s\r\n" % (i, "x" * 200))
' | redis-cli -p "$port" --pipe >"$tap_tmpdir/fill.log" 2>&1
ok $? "redis-cli filled 200 000 keys"
redis-cli -p "$port" INFO memory | tr -d '\r' >"$tap_tmpdir/info"
"$VMTOP" -b -n 1 -m -J -p "$pid" >"$tap_tmpdir/redis.json"
ok $? "vmtop reads redis-server"
python3 - "$tap_tmpdir/redis.json" "$tap_tmpdir/info" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
info = dict(l.split(":", 1) for l in open(sys.argv[2]) if ":" in l)
res = int(info["allocator_resident"]) // 1024
cat = [c for c in m["categories"] if c["kind"] == "allocator"]
assert cat, [c["kind"] for c in m["categories"]]
assert [g["name"] for g in cat[0]["groups"]] == ["jemalloc"], cat[0]
got = cat[0]["rss_kib"]
print("# jemalloc extents: rss %d KiB, vsz %d KiB; allocator_resident %d "
      "KiB, allocator_allocated %d KiB" % (got, cat[0]["vsz_kib"], res,
      int(info["allocator_allocated"]) // 1024))
# allocator_resident also counts jemalloc's metadata (base) pages, and
# both are read a moment apart
assert abs(got - res) <= res * 0.10, (got, res)
assert cat[0]["vsz_kib"] >= int(info["allocator_allocated"]) // 1024
PY
ok $? "the jemalloc extents match INFO memory's allocator_resident"
python3 - "$tap_tmpdir/redis.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
ins = [i for i in m["insights"] if i["id"] == "allocator"]
assert ins and "MALLOC_CONF" in ins[0]["text"], m["insights"]
t = m["totals"]
named = [c for c in m["categories"] if c["kind"] != "anon"]
vsz = sum(c["vsz_kib"] for c in named) / t["vsz_kib"]
rss = sum(c["rss_kib"] for c in named) / max(t["rss_kib"], 1)
print("# redis-server: VSZ %d KiB, named VSZ %.1f %%, named RSS %.1f %%" %
      (t["vsz_kib"], 100 * vsz, 100 * rss))
assert vsz >= 0.95 and rss >= 0.90, (vsz, rss)
PY
ok $? "MALLOC_CONF in an insight; 95 % of VSZ and 90 % of RSS named"
check "the tree adds up to VmSize and smaps_rollup's Rss" \
	python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" invariants "$pid"
done_testing
