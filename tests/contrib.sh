#!/bin/sh
# contrib/grafana-vmtop.json, the Grafana dashboard: valid JSON, a group
# variable that every per-group query uses, and every query names only
# metrics the exporter's contract lists (and, when this vmtop has the
# exporter, only families its own exposition declares).  The queries run
# against a real Prometheus in tests/integration/prometheus.sh.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
dash="$TOP_SRCDIR/contrib/grafana-vmtop.json"

# the families of a live exposition, when there is an exporter
: >"$tap_tmpdir/families"
if "$VMTOP" -b -n 1 -m --format prometheus -p $$ >"$tap_tmpdir/expo" \
	2>/dev/null; then
	sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$tap_tmpdir/expo" \
		>"$tap_tmpdir/families"
	test -s "$tap_tmpdir/families"
	ok $? "vmtop --format prometheus declares its families (# TYPE)"
fi

python3 - "$dash" "$tap_tmpdir/families" >"$tap_tmpdir/out" <<'PY'
import json, re, sys

# the metrics of the exporter's contract (README, vmtop(1))
CONTRACT = {
    "vmtop_memory_bytes", "vmtop_processes", "vmtop_threads",
    "vmtop_thread_stack_bytes", "vmtop_glibc_arenas",
    "vmtop_glibc_arena_limit", "vmtop_runtime_info",
    "vmtop_tree_age_seconds", "vmtop_scrape_duration_seconds",
    "vmtop_smaps_reads_total", "vmtop_read_errors_total",
}
PER_GROUP = CONTRACT - {"vmtop_scrape_duration_seconds",
                        "vmtop_smaps_reads_total", "vmtop_read_errors_total"}
# PromQL words that are not metric names
WORDS = {"sum", "min", "max", "avg", "count", "by", "without", "rate",
         "irate", "increase", "delta", "topk", "bottomk", "label_values",
         "and", "or", "unless", "on", "ignoring", "group_left",
         "group_right", "offset", "bool", "max_over_time",
         "avg_over_time", "quantile", "clamp_min", "time"}
live = set(open(sys.argv[2]).read().split())


def ok(cond, name, diag=""):
    print("%d\t%s" % (0 if cond else 1, name))
    if not cond:
        for line in str(diag).splitlines():
            print("#\t" + line)


def metrics(expr):
    """The metric names of a PromQL expression or label_values() query."""
    e = re.sub(r'"(\\.|[^"\\])*"', '""', expr)     # strings
    e = re.sub(r"\{[^}]*\}", "", e)                  # label matchers
    e = re.sub(r"\[[^]]*\]", "", e)                  # ranges
    e = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", e)
    e = re.sub(r",\s*[a-z_]+\s*\)\s*$", ")", e)     # label_values' label
    e = re.sub(r"\$\w+", "", e)                      # variables
    names = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e))
    return names - WORDS


try:
    d = json.load(open(sys.argv[1]))
except ValueError as e:
    ok(False, "the dashboard is valid JSON", e)
    sys.exit(0)
ok(True, "the dashboard is valid JSON")
ok(d.get("uid") and d.get("title") and d.get("schemaVersion", 0) >= 30,
   "it has a uid, a title and a current schemaVersion")


def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))


panels = list(walk(d["panels"]))
ids = [p["id"] for p in panels]
ok(len(ids) == len(set(ids)), "panel ids are unique", ids)
targets = [(p["title"], t["expr"]) for p in panels
           for t in p.get("targets", [])]
ok(len(targets) >= 10, "it has queries (%d)" % len(targets))
variables = {v["name"]: v for v in d["templating"]["list"]}
g = variables.get("group")
ok(g and "vmtop_" in g["definition"] and
   re.search(r"\bgroup\)\s*$", g["definition"]),
   "a template variable group lists the groups vmtop exports", g)
queries = [("variable " + v["name"], v["definition"])
           for v in variables.values() if v["type"] == "query"] + targets
for where, expr in queries:
    names = metrics(expr)
    unknown = names - CONTRACT
    ok(names and not unknown,
       "%s: %s names only contract metrics" % (where, sorted(names)),
       "unknown: %r in %s" % (sorted(unknown), expr))
    if live:
        ok(not names - live, "%s: vmtop's exposition has %s"
           % (where, sorted(names)), sorted(names - live))
    if names & PER_GROUP and where.startswith("variable") is False:
        ok('group="$group"' in expr or 'group=~"$group"' in expr,
           "%s: filtered by $group" % where, expr)
used = set().union(*(metrics(e) for _, e in targets))
ok(used >= CONTRACT, "every metric of the contract is on the dashboard",
   sorted(CONTRACT - used))
stacked = [p["title"] for p in panels
           if p.get("fieldConfig", {}).get("defaults", {}).get("custom", {})
           .get("stacking", {}).get("mode") == "normal"]
for m in ("virtual", "resident"):
    ok(any('measure="%s"' % m in e and t in stacked for t, e in targets),
       "%s bytes by kind are stacked" % m)
ok(any("by (kind)" in e for _, e in targets), "memory is shown by kind")
PY
ok $? "the dashboard check ran to its end"
while IFS='	' read -r st text; do
	if [ "$st" = "#" ]; then
		diag "$text"
	else
		ok "$st" "$text"
	fi
done <"$tap_tmpdir/out"
done_testing
