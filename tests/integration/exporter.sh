#!/bin/sh
# The exporter: the one-shot exposition checked by promtool and against
# -J, and vmtop --listen against real HTTP clients (both formats, 404,
# concurrency, garbage, a stalled client, memory over 200 scrapes, a
# port in use, SIGTERM).  Every process is started and stopped by PID.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

# a fixture whose name is hostile to the format: quote, backslash, newline
name=$(printf 'om"q\\\nz')
"$FIXTURES/fix_sleep" "$name" >"$tap_tmpdir/sl" &
sl=$!
spawn_register $sl
wait_for 10 test -s "$tap_tmpdir/sl" || bail "fix_sleep did not start"

"$VMTOP" -b -n 1 -m --format prometheus -p $sl >"$tap_tmpdir/prom"
ok $? "the one-shot Prometheus format runs"
"$VMTOP" -b -n 1 -m --format openmetrics -p $sl >"$tap_tmpdir/om"
ok $? "the one-shot OpenMetrics format runs"
if command -v promtool >/dev/null; then
	promtool check metrics <"$tap_tmpdir/prom" >"$tap_tmpdir/lint" 2>&1
	ok $? "promtool check metrics passes"
	[ -s "$tap_tmpdir/lint" ] && diag "$(cat "$tap_tmpdir/lint")"
else
	ok 0 "promtool check metrics # SKIP promtool missing (Debian prometheus)"
fi
is "$(tail -n 1 "$tap_tmpdir/om")" "# EOF" "OpenMetrics ends with # EOF"
grep -q '^vmtop_processes{group="om\\"q\\\\\\nz"} 1$' "$tap_tmpdir/prom"
ok $? "the hostile name is one escaped label value"
"$VMTOP" -b -n 1 -m -J -p $sl >"$tap_tmpdir/json"
python3 - "$tap_tmpdir" <<'PY'
import json, re, sys
d = sys.argv[1]
proc = json.load(open(d + "/json"))["processes"][0]
want = {c["kind"]: c["vsz_kib"] * 1024 for c in proc["maps"]["categories"]}
got = {}
for line in open(d + "/prom"):
    m = re.match(r'vmtop_memory_bytes\{group="[^}]*",kind="(\w+)",'
                 r'measure="virtual"\} (\d+)$', line)
    if m:
        got[m.group(1)] = int(m.group(2))
bad = "" if got == want else "got %r want %r" % (got, want)
open(d + "/cmp", "w").write(bad)
PY
is "$(cat "$tap_tmpdir/cmp")" "" "virtual bytes per kind equal -J's"
"$VMTOP" -b -n 1 -m --format prometheus -p 2 >"$tap_tmpdir/kthread" 2>&1
! grep -q '^vmtop_processes{' "$tap_tmpdir/kthread"
ok $? "a kernel thread (pid 2) is left out"

# --- the server ----------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# -p names vmtop's own PID too (sh's, which exec keeps): it is left out
sh -c 'exec "$1" --listen "127.0.0.1:$2" -d 0.5 -p "$3,$$"' sh "$VMTOP" \
	"$port" $sl >"$tap_tmpdir/srv.out" 2>"$tap_tmpdir/srv.err" &
srv=$!
spawn_register $srv
wait_for 10 python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/metrics', timeout=2)" 2>/dev/null ||
	bail "vmtop --listen did not answer: $(cat "$tap_tmpdir/srv.err")"

"$VMTOP" --listen "127.0.0.1:$port" >"$tap_tmpdir/busy.out" 2>&1
is "$? $(cat "$tap_tmpdir/busy.out")" \
	"1 vmtop: cannot listen on 127.0.0.1:$port: Address already in use" \
	"a port in use: the kernel's reason and exit 1"

# an ASan build keeps freed memory in quarantine: its RSS says nothing
asan=0
nm -u "$VMTOP" 2>/dev/null | grep -q __asan_init && asan=1
python3 - "$port" "$srv" "$asan" >"$tap_tmpdir/http" <<'PY'
import socket, sys, threading, time, urllib.request, urllib.error
port, pid = int(sys.argv[1]), int(sys.argv[2])
base = "http://127.0.0.1:%d" % port
n = 0
def ok(cond, name):
    print("%d %s" % (0 if cond else 1, name), flush=True)
def get(path, accept=None, timeout=5):
    req = urllib.request.Request(base + path)
    if accept:
        req.add_header("Accept", accept)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()
def rss():
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

st, ct, body = get("/metrics")
ok(st == 200 and ct.startswith("text/plain; version=0.0.4")
   and "# EOF" not in body and "vmtop_memory_bytes{" in body,
   "/metrics: Prometheus text by default (%s)" % ct)
ok("vmtop_processes{group=\"om\\\"q\\\\\\nz\"} 1" in body,
   "the fixture's group is served, escaped")
st, ct, body = get("/metrics", "application/openmetrics-text; "
                   "version=1.0.0,text/plain;version=0.0.4;q=0.5")
ok(st == 200 and ct.startswith("application/openmetrics-text")
   and body.endswith("# EOF\n") and "# UNIT vmtop_memory_bytes bytes" in body,
   "/metrics: OpenMetrics when Accept asks (%s)" % ct)
ok("group=\"vmtop\"" not in body and "pid=" not in body,
   "vmtop itself is left out, though -p names it")
st, ct, body = get("/")
ok(st == 200 and 'href="/metrics"' in body, "/ links to /metrics")
try:
    get("/nope")
    ok(False, "404 elsewhere")
except urllib.error.HTTPError as e:
    ok(e.code == 404, "404 elsewhere")

# a client that stalls mid-request, one that sends garbage, one that
# disconnects at once: the others are served all the same
stall = socket.create_connection(("127.0.0.1", port))
stall.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
garbage = socket.create_connection(("127.0.0.1", port))
garbage.sendall(b"\x00\xff\r\n\r\nNOT HTTP AT ALL \x01\x02\r\n\r\n")
socket.create_connection(("127.0.0.1", port)).close()
results = []
def scrape():
    try:
        results.append(get("/metrics", timeout=10)[0])
    except Exception as e:
        results.append(repr(e))
t0 = time.time()
threads = [threading.Thread(target=scrape) for _ in range(20)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ok(results == [200] * 20,
   "20 concurrent scrapes beside a stalled and a garbage client "
   "(%.2f s): %s" % (time.time() - t0, results[:3]))
try:
    garbage.settimeout(5)
    reply = garbage.recv(100)
    ok(reply == b"" or reply.startswith(b"HTTP/1.1 400"),
       "garbage is refused (%r)" % reply[:20])
except socket.timeout:
    ok(False, "garbage is refused")
garbage.close()

for _ in range(20):
    get("/metrics")
before = rss()
for _ in range(200):
    get("/metrics")
after = rss()
if sys.argv[3] == "1":
    ok(True, "# SKIP RSS over 200 scrapes: an ASan build's RSS is not "
       "vmtop's (%d KiB -> %d KiB)" % (before, after))
else:
    ok(after - before < 2048, "RSS over 200 scrapes: %d KiB -> %d KiB"
       % (before, after))
stall.close()
PY
ok $? "the HTTP checks ran"
while read -r st what; do
	ok "$st" "$what"
done <"$tap_tmpdir/http"

kill -TERM $srv
wait $srv
is "$?" "0" "SIGTERM ends it with status 0"
tap_pids=$sl

done_testing
