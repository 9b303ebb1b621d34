#!/bin/sh
# vmtop --listen scraped by a real Prometheus server (Debian's
# `prometheus`): a temporary config and data directory, 127.0.0.1 only,
# a scrape every second of vmtop watching fixture processes.  What
# Prometheus's HTTP API (/api/v1/query) returns must equal vmtop's own
# `-b -J -n 1 -m` for the same processes: virtual and reserved bytes per
# kind exactly (the fixtures are idle, their maps do not move), resident
# and proportional within a tolerance; processes, threads, thread stack
# bytes, glibc arenas and their cap exactly.  The live exposition also
# passes `promtool check metrics`.  Every process is stopped by PID and
# the temporary directory removed (tests/lib/tap.sh).
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
command -v prometheus >/dev/null ||
	skip_all "prometheus is not installed (Debian package prometheus)"
command -v promtool >/dev/null ||
	skip_all "promtool is not installed (Debian package prometheus)"
# --help after --listen: an exporter parses the option and prints help
# without binding anything; a vmtop without one stops at the option
if "$VMTOP" --listen 127.0.0.1:1 --help 2>&1 >/dev/null |
	grep -q "unknown option '--listen'"; then
	skip_all "this vmtop has no exporter (vmtop --listen)"
fi

# free_port: prints a TCP port of 127.0.0.1 that was free a moment ago
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# http_get URL [ACCEPT]: the body on stdout, the Content-Type header on
# stderr; fails when the server does not answer 200
http_get() {
	python3 - "$@" <<'PY'
import sys, urllib.request
req = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2:
    req.add_header("Accept", sys.argv[2])
with urllib.request.urlopen(req, timeout=5) as r:
    sys.stderr.write(r.headers.get("Content-Type", "") + "\n")
    sys.stdout.write(r.read().decode())
PY
}

# --- the fixtures: one process with arenas and thread stacks, two idle
# processes of one name (a group of 2) -----------------------------------
"$FIXTURES/fix_threads" 16 >"$tap_tmpdir/threads.out" &
spawn_register $!
wait_for 10 grep -q . "$tap_tmpdir/threads.out" ||
	bail "fix_threads did not start"
thr=$(cut -d ' ' -f 1 "$tap_tmpdir/threads.out")
sleeps=
for i in 1 2; do
	"$FIXTURES/fix_sleep" promfix_sleep >"$tap_tmpdir/sleep$i.out" &
	spawn_register $!
	wait_for 10 grep -q . "$tap_tmpdir/sleep$i.out" ||
		bail "fix_sleep did not start"
	sleeps="$sleeps,$(cat "$tap_tmpdir/sleep$i.out")"
done
pids="$thr$sleeps"

# --- vmtop --listen; a port taken by someone else between free_port and
# the bind is tried again --------------------------------------------------
vport=
for try in 1 2 3; do
	p=$(free_port)
	"$VMTOP" --listen "127.0.0.1:$p" -p "$pids" \
		>"$tap_tmpdir/vmtop.out" 2>"$tap_tmpdir/vmtop.err" &
	vmtop_pid=$!
	spawn_register "$vmtop_pid"
	if wait_for 10 http_get "http://127.0.0.1:$p/metrics" \
		>/dev/null 2>&1; then
		vport=$p
		break
	fi
	kill "$vmtop_pid" 2>/dev/null
	grep -q 'in use' "$tap_tmpdir/vmtop.err" || break
done
[ -n "$vport" ] || {
	cat "$tap_tmpdir/vmtop.err"
	bail "vmtop --listen did not serve /metrics"
}

# the exposition as a scraper sees it: promtool checks the text format
http_get "http://127.0.0.1:$vport/metrics" >"$tap_tmpdir/metrics.txt" \
	2>"$tap_tmpdir/metrics.ctype"
check "promtool check metrics passes on /metrics" \
	promtool check metrics <"$tap_tmpdir/metrics.txt"
grep -q '^text/plain; *version=0.0.4' "$tap_tmpdir/metrics.ctype"
ok $? "/metrics is text/plain; version=0.0.4 by default"
http_get "http://127.0.0.1:$vport/metrics" \
	'application/openmetrics-text;version=1.0.0' \
	>"$tap_tmpdir/metrics.om" 2>"$tap_tmpdir/metrics.om.ctype"
grep -q '^application/openmetrics-text' "$tap_tmpdir/metrics.om.ctype" &&
	[ "$(tail -n 1 "$tap_tmpdir/metrics.om")" = "# EOF" ]
ok $? "/metrics speaks OpenMetrics (ends with # EOF) when asked"

# --- Prometheus ------------------------------------------------------------
mkdir "$tap_tmpdir/data"
cat >"$tap_tmpdir/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: vmtop
    static_configs:
      - targets: ['127.0.0.1:$vport']
EOF
promtool check config "$tap_tmpdir/prometheus.yml" >/dev/null
ok $? "promtool check config passes on the test's config"
pport=
for try in 1 2 3; do
	p=$(free_port)
	prometheus --config.file="$tap_tmpdir/prometheus.yml" \
		--storage.tsdb.path="$tap_tmpdir/data" \
		--web.listen-address="127.0.0.1:$p" \
		--log.level=warn >"$tap_tmpdir/prometheus.log" 2>&1 &
	prom_pid=$!
	spawn_register "$prom_pid"
	if wait_for 20 http_get "http://127.0.0.1:$p/-/ready" \
		>/dev/null 2>&1; then
		pport=$p
		break
	fi
	kill "$prom_pid" 2>/dev/null
	wait "$prom_pid" 2>/dev/null
	grep -q 'address already in use' "$tap_tmpdir/prometheus.log" ||
		break
done
[ -n "$pport" ] || {
	cat "$tap_tmpdir/prometheus.log"
	bail "prometheus did not start"
}
api="http://127.0.0.1:$pport/api/v1"

# query EXPR: the instant vector's values as "labels<TAB>value" lines
query() {
	python3 - "$api" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "/query?" + urllib.parse.urlencode({"query": sys.argv[2]})
with urllib.request.urlopen(url, timeout=5) as r:
    d = json.load(r)
assert d["status"] == "success", d
for s in d["data"]["result"]:
    print(json.dumps(s["metric"], sort_keys=True), s["value"][1], sep="\t")
PY
}

# the target is up, and has been scraped at least twice
scraped() {
	query 'up{job="vmtop"} == 1' | grep -q . &&
		query 'count_over_time(vmtop_processes{group="fix_threads"}[1m])
			>= 2' | grep -q .
}
wait_for 20 scraped
ok $? "Prometheus scrapes vmtop (up == 1) every second"

# --- Prometheus against vmtop's own JSON, for the same moment --------------
# the comparison prints "STATUS<TAB>NAME" per check, "#<TAB>TEXT" per
# diagnostic line, read below into tap.sh's ok and diag
"$VMTOP" -b -J -n 1 -m -p "$pids" >"$tap_tmpdir/vmtop.json"
python3 - "$api" "$tap_tmpdir/vmtop.json" >"$tap_tmpdir/compare.out" <<'PY'
import json, sys, urllib.parse, urllib.request

api, jsonfile = sys.argv[1], sys.argv[2]

def ok(cond, name, diag=""):
    print("%d\t%s" % (0 if cond else 1, name))
    if not cond:
        for line in diag.splitlines():
            print("#\t" + line)


def query(expr):
    url = api + "/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as r:
        d = json.load(r)
    assert d["status"] == "success", d
    return [(s["metric"], float(s["value"][1])) for s in d["data"]["result"]]


procs = json.load(open(jsonfile))["processes"]
groups = {}
for p in procs:
    g = groups.setdefault(p["comm"], {"processes": 0, "threads": 0,
                                      "arenas": 0, "limit": 0, "kinds": {}})
    g["processes"] += 1
    g["threads"] += p["threads"]
    m = p["maps"]
    if m.get("arenas"):
        g["arenas"] += m["arenas"]["count"]
        g["limit"] = max(g["limit"], m["arenas"]["limit"] or 0)
    for c in m["categories"]:
        k = g["kinds"].setdefault(c["kind"], {})
        for measure, field in (("virtual", "vsz_kib"),
                               ("reserved", "reserved_kib"),
                               ("resident", "rss_kib"),
                               ("proportional", "pss_kib"),
                               ("swap", "swap_kib")):
            k[measure] = k.get(measure, 0) + (c.get(field) or 0) * 1024
ok(sorted(groups) == ["fix_threads", "promfix_sleep"],
   "vmtop -J saw the fixtures' two groups", repr(sorted(groups)))


def per_group(family):
    out = {}
    for labels, v in query(family):
        if "pid" in labels:
            continue
        out[labels.get("group")] = v
    return out


for family, key in (("vmtop_processes", "processes"),
                    ("vmtop_threads", "threads")):
    got = per_group(family)
    want = {g: v[key] for g, v in groups.items()}
    ok(got == want, "%s per group equals -J's" % family,
       "prometheus %r\nvmtop -J %r" % (got, want))
got = per_group("vmtop_glibc_arenas")
ok(got.get("fix_threads") == groups["fix_threads"]["arenas"]
   and groups["fix_threads"]["arenas"] >= 2,
   "vmtop_glibc_arenas of fix_threads equals -J's arenas.count (%d)"
   % groups["fix_threads"]["arenas"], repr(got))
ok(not got.get("promfix_sleep"), "promfix_sleep has no arena", repr(got))
got = per_group("vmtop_glibc_arena_limit")
ok(got.get("fix_threads") == groups["fix_threads"]["limit"],
   "vmtop_glibc_arena_limit of fix_threads equals -J's arenas.limit (%d)"
   % groups["fix_threads"]["limit"], repr(got))
got = per_group("vmtop_thread_stack_bytes")
want = groups["fix_threads"]["kinds"]["thread_stack"]["virtual"]
ok(got.get("fix_threads") == want and want >= 16 * 8 << 20,
   "vmtop_thread_stack_bytes of fix_threads equals the thread_stack "
   "kind's virtual bytes (%d)" % want, repr(got))

series = {}
for labels, v in query("vmtop_memory_bytes"):
    if "pid" in labels:
        continue
    series[(labels["group"], labels["kind"], labels["measure"])] = v
for g, gv in sorted(groups.items()):
    for kind, kv in sorted(gv["kinds"].items()):
        for measure, want in sorted(kv.items()):
            got = series.pop((g, kind, measure), None)
            if got is None and want == 0:
                continue
            name = ('vmtop_memory_bytes{group="%s",kind="%s",measure="%s"}'
                    % (g, kind, measure))
            if measure in ("virtual", "reserved", "swap"):
                good = got == want
                how = "equals"
            else:
                # idle processes: the kernel may still age a page or
                # two out between vmtop's reads
                good = (got is not None
                        and abs(got - want) <= max(want * 0.05, 512 << 10))
                how = "is within 5% of"
            ok(good, "%s %s -J's %d" % (name, how, want),
               "prometheus %r" % got)
left = {k: v for k, v in series.items() if v != 0 and k[0] in groups}
ok(not left, "no other non-zero series for the fixtures' groups",
   repr(left))
ok(("fix_threads", "arena", "virtual") in
   [(g, k, m) for g, gv in groups.items() for k, kv in gv["kinds"].items()
    for m in kv], "the arena kind was among those compared")

ok(not per_group('vmtop_processes{group="vmtop"}'),
   "vmtop leaves itself out")
for family in ("vmtop_tree_age_seconds", "vmtop_scrape_duration_seconds",
               "vmtop_smaps_reads_total", "vmtop_read_errors_total",
               "vmtop_runtime_info"):
    ok(bool(query(family)), "Prometheus has %s" % family)
age = per_group("vmtop_tree_age_seconds")
ok(all(0 <= v < 600 for v in age.values()) and age,
   "vmtop_tree_age_seconds is an age in seconds", repr(age))
rt = [p for p in procs if p["comm"] == "fix_threads"][0]["maps"]["runtime"]
info = query('vmtop_runtime_info{group="fix_threads"}')
ok(len(info) == 1 and info[0][1] == 1
   and info[0][0].get("language") == rt["language"]
   and info[0][0].get("allocator") == rt["allocator"],
   'vmtop_runtime_info of fix_threads: value 1, language "%s" and '
   'allocator "%s" as in -J' % (rt["language"], rt["allocator"]),
   repr(info))
PY
ok $? "the comparison with vmtop -J ran to its end"
while IFS='	' read -r st text; do
	if [ "$st" = "#" ]; then
		diag "$text"
	else
		ok "$st" "$text"
	fi
done <"$tap_tmpdir/compare.out"

# the Grafana dashboard's queries, with its variables set as Grafana would,
# each return series from this Prometheus (tests/contrib.sh checks the
# names statically)
python3 - "$api" "$TOP_SRCDIR/contrib/grafana-vmtop.json" \
	>"$tap_tmpdir/dash.out" <<'PY'
import json, sys, urllib.parse, urllib.request


def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))


api = sys.argv[1]
d = json.load(open(sys.argv[2]))
exprs = [t["expr"] for p in walk(d["panels"]) for t in p.get("targets", [])]
exprs += [v["definition"].replace("label_values(", "group by (%s) (" % (
    v["definition"].rsplit(",", 1)[1].strip(" )")), 1).rsplit(",", 1)[0]
    + ")" for v in d["templating"]["list"] if v["type"] == "query"]
for e in exprs:
    q = (e.replace("$instance", ".*").replace("$group", "fix_threads")
         .replace("$__rate_interval", "1m"))
    url = api + "/query?" + urllib.parse.urlencode({"query": q})
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            res = json.load(r)["data"]["result"]
    except Exception as ex:
        res, q = [], q + ": " + str(ex)
    print("%d\t%s" % (0 if res else 1, "dashboard query has series: " + q))
PY
ok $? "the dashboard's queries ran"
while IFS='	' read -r st text; do
	ok "$st" "$text"
done <"$tap_tmpdir/dash.out"

kill -TERM "$vmtop_pid"
wait "$vmtop_pid"
is "$?" 0 "vmtop --listen ends cleanly on SIGTERM (exit 0)"
kill -TERM "$prom_pid"
wait "$prom_pid"
is "$?" 0 "prometheus ends cleanly on SIGTERM"
done_testing
