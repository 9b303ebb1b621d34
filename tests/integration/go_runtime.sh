#!/bin/sh
# The story vmtop was written for, on a real Go program: the net/http
# server of tests/fixtures/gohttp built with and without cgo, each made to
# run a dozen OS threads.  The cgo build's threads come from
# pthread_create, each with an 8 MiB glibc stack and, since its C code
# allocates, a glibc malloc arena; the pure-Go build has neither.  Checked
# against outside truth: /proc/PID/status and maps, /proc/PID/task,
# glibc's own malloc_info() and `go version`.  Then the resolver each
# build uses: the same server built with -tags netcgo and -tags netgo,
# and with GODEBUG=netdns=go.  Needs Go (Debian: golang-go, which .ci/run
# installs) and builds offline.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
command -v go >/dev/null 2>&1 ||
	skip_all "go is not installed (Debian: golang-go)"
check_maps() { python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" "$@"; }

# A build that reads nothing of the developer's Go set-up and fetches
# nothing: the fixture uses the standard library only.
gotmp="$tap_tmpdir/go"
mkdir -p "$gotmp"
gorun() {
	env -u GOFLAGS -u GOOS -u GOARCH -u GODEBUG GOENV=off GOWORK=off \
		GOTOOLCHAIN=local GOPROXY=off GOCACHE="$gotmp/cache" \
		GOPATH="$gotmp/path" "$@"
}
go_cleanup() {
	# the module cache, should anything land there, is read-only
	[ -d "$gotmp" ] && chmod -R u+w "$gotmp" 2>/dev/null
	tap_cleanup
}
trap go_cleanup EXIT

cc=$(gorun go env CC)
command -v "${cc:-gcc}" >/dev/null 2>&1 ||
	skip_all "no C compiler (${cc:-gcc}) for the cgo build"
goversion=$(gorun go version | cut -d' ' -f3)
diag "$(gorun go version)"

for cgo in 1 0; do
	start=$(date +%s)
	(cd "$TOP_SRCDIR/tests/fixtures/gohttp" &&
		gorun env CGO_ENABLED=$cgo go build -buildvcs=false \
			-o "$gotmp/gohttp$cgo" .) >"$gotmp/build$cgo.log" 2>&1
	st=$?
	diag "CGO_ENABLED=$cgo: built in $(($(date +%s) - start)) s"
	[ $st -ne 0 ] && sed 's/^/#   /' "$gotmp/build$cgo.log"
	is "$st" 0 "go build with CGO_ENABLED=$cgo"
done
[ -x "$gotmp/gohttp1" ] && [ -x "$gotmp/gohttp0" ] || done_testing

# start CGO: runs that build with 8 MiB stacks and glibc's default arena
# cap, sets $pid and $port
start() {
	env -u MALLOC_ARENA_MAX -u GODEBUG -u GOMAXPROCS \
		sh -c 'ulimit -s 8192 2>/dev/null; exec "$0"' "$gotmp/gohttp$1" \
		>"$gotmp/srv$1" 2>"$gotmp/srv$1.err" &
	spawn_register $!
	wait_for 10 test -s "$gotmp/srv$1" || bail "gohttp$1 did not start"
	read -r pid port <"$gotmp/srv$1"
}

# requests PORT: one plain request, then 12 at once that each hold an OS
# thread for half a second; prints the answers
requests() {
	python3 - "$1" <<'PY'
import sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
url = "http://127.0.0.1:%s" % sys.argv[1]
def get(path):
    with urllib.request.urlopen(url + path, timeout=30) as r:
        return r.read().decode().strip()
with ThreadPoolExecutor(12) as ex:
    work = set(ex.map(get, ["/work?ms=500"] * 12))
print(get("/"), " ".join(sorted(work)))
PY
}

start 1
cpid=$pid
diag "cgo build: pid $pid, port $port"
is "$(requests "$port")" "hello cgo" "cgo build: answers its requests"
python3 - "$port" >"$gotmp/malloc_info.xml" <<'PY'
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/mallocinfo" % sys.argv[1],
                            timeout=30) as r:
    sys.stdout.write(r.read().decode())
PY
start 0
gpid=$pid
diag "pure-Go build: pid $pid, port $port"
is "$(requests "$port")" "hello go" "pure-Go build: answers its requests"

# the figures the checks below use, from one vmtop -J -n 1 -m -p each
summary() {	# summary PID: one line of facts of its tree
	"$VMTOP" -J -n 1 -m -p "$1" >"$gotmp/j$1" 2>"$gotmp/j$1.err" ||
		{ echo "vmtop-failed"; return; }
	python3 - "$gotmp/j$1" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
p = [p for p in doc["processes"] if p["pid"] == int(sys.argv[2])][0]
m = p["maps"]
cats = {c["kind"]: c for c in m["categories"]}
def vsz(kind):
    return cats[kind]["vsz_kib"] if kind in cats else 0
libc = any("/libc.so" in g["name"]
           for g in cats.get("library", {"groups": []})["groups"])
rt = m["runtime"] or {}
stacks = len(cats.get("thread_stack", {"groups": []})["groups"])
ids = [i["id"] for i in m["insights"]]
print(m["totals"]["vsz_kib"], vsz("arena"), vsz("thread_stack"),
      vsz("library"), m["arenas"]["count"], stacks, p["threads"],
      int(libc), rt.get("language"), rt.get("go_version"),
      str(rt.get("cgo")).lower(), str(rt.get("static")).lower(),
      ",".join(ids) or "-")
PY
}
c=$(summary "$cpid")
g=$(summary "$gpid")
set -- $c
is "$#" 13 "cgo: vmtop -J -n 1 -m -p gives its tree" ||
	{ diag "$c: $(cat "$gotmp/j$cpid.err")"; done_testing; }
c_vsz=$1 c_arena=$2 c_stack=$3 c_lib=$4 c_arenas=$5 c_stacks=$6 c_thr=$7
c_libc=$8 c_lang=$9
shift 9
c_ver=$1 c_cgo=$2 c_static=$3 c_ins=$4
set -- $g
is "$#" 13 "pure Go: vmtop -J -n 1 -m -p gives its tree" ||
	{ diag "$g: $(cat "$gotmp/j$gpid.err")"; done_testing; }
g_vsz=$1 g_arena=$2 g_stack=$3 g_lib=$4 g_arenas=$5 g_stacks=$6 g_thr=$7
g_libc=$8 g_lang=$9
shift 9
g_ver=$1 g_cgo=$2 g_static=$3 g_ins=$4
diag "cgo: VSZ $c_vsz KiB, $c_thr threads, $c_arenas arenas $c_arena KiB," \
	"$c_stacks thread stacks $c_stack KiB, libraries $c_lib KiB"
diag "pure Go: VSZ $g_vsz KiB, $g_thr threads, $g_arenas arenas," \
	"$g_stacks thread stacks, libraries $g_lib KiB"

# --- the cgo build ----------------------------------------------------------
check "cgo: leaves are /proc/PID/maps, categories add up to VmSize" \
	check_maps invariants "$cpid" --loose
tids=""
for t in /proc/"$cpid"/task/*; do
	tids="$tids ${t##*/}"
done
set -- $tids
is "$c_thr" $# \
	"cgo: its threads are those of /proc/PID/task"
[ "$c_thr" -ge 8 ]
ok $? "cgo: the concurrent requests made it run 8 threads or more ($c_thr)"
# every thread but the main one was made by pthread_create, with a stack
# of glibc's default size: the soft stack limit (8 MiB, as started)
stack_kib=$(awk '/^Max stack size/ { print int($5 / 1024) }' \
	"/proc/$cpid/limits")
# shellcheck disable=SC2046
check "cgo: every thread but the main one: a glibc stack ($stack_kib KiB)" \
	check_maps stacks "$cpid" "$stack_kib" \
	$(echo "$tids" | tr ' ' '\n' | grep -vx "$cpid")
is "$c_stacks" $((c_thr - 1)) "cgo: one thread_stack group per such thread"
check "cgo: the arenas are those of glibc's malloc_info()" \
	check_maps arenas "$cpid" "$gotmp/malloc_info.xml"
[ "$c_arenas" -ge 4 ] && [ "$c_arena" -ge $((c_arenas * 65536)) ]
ok $? "cgo: several arenas ($c_arenas), 64 MiB each ($c_arena KiB)"
[ "$c_libc" = 1 ]
ok $? "cgo: libc is mapped"
is "$c_lang $c_ver $c_cgo $c_static" "Go $goversion true false" \
	"cgo: runtime Go $goversion, cgo true, dynamic (as go version says)"
case ",$c_ins," in
*,arenas,*,thread_stacks,* | *,thread_stacks,*,arenas,*) st=0 ;;
*) st=1 ;;
esac
ok $st "cgo: the insights name the arenas and the thread stacks ($c_ins)"

# --- the pure-Go build -----------------------------------------------------
check "pure Go: leaves are /proc/PID/maps, categories add up to VmSize" \
	check_maps invariants "$gpid" --loose
[ "$g_thr" -ge 8 ]
ok $? "pure Go: as many threads, made by the Go runtime ($g_thr)"
is "$g_arenas $g_arena $g_stacks $g_stack $g_libc" "0 0 0 0 0" \
	"pure Go: no arena, no glibc thread stack, no libc"
is "$g_lang $g_ver $g_cgo $g_static" "Go $goversion false true" \
	"pure Go: runtime Go $goversion, cgo false, static"
case ",$g_ins," in
*,arenas,* | *,thread_stacks,*) st=1 ;;
*) st=0 ;;
esac
ok $st "pure Go: no insight about arenas or thread stacks ($g_ins)"

# --- the difference ---------------------------------------------------------
# what cgo adds: arenas, thread stacks and libraries; the Go runtime's own
# reservations and the binaries are about the same in both
diff=$((c_vsz - g_vsz))
explained=$((c_arena + c_stack + c_lib - g_arena - g_stack - g_lib))
diag "VSZ: cgo $c_vsz KiB - pure Go $g_vsz KiB = $diff KiB;" \
	"arenas + thread stacks + libraries: $explained KiB"
pct=$(awk -v e="$explained" -v d="$diff" \
	'BEGIN { if (d > 0) printf "%d", 100 * e / d + 0.5; else print -1 }')
[ "$pct" -ge 90 ] && [ "$pct" -le 110 ]
ok $? "arenas + thread stacks + libraries: $pct% of the VSZ difference (90-110)"

# the same in one screen: --compare, pure Go first, names the causes in
# words, and its kinds add up to the VSZ difference exactly
"$VMTOP" -J -n 1 --compare -p "$gpid,$cpid" >"$gotmp/compare.json" \
	2>"$gotmp/compare.err"
python3 - "$gotmp/compare.json" "$gpid" "$cpid" <<'PY'
import json, re, sys
c = json.load(open(sys.argv[1]))["compare"]
pids = [p["pid"] for p in c["processes"]]
assert pids == [int(sys.argv[2]), int(sys.argv[3])], pids
rows = {(r["kind"], r["group"]): r for r in c["rows"]}
total = c["processes"][1]["diff_kib"]
kinds = sum(r["diff_kib"] for r in c["rows"] if r["group"] is None)
assert kinds == total, (kinds, total)
w = c["summary"]
print("# " + w)
assert re.match(r"\S+ maps [0-9.]+ [KMGT]iB more than \S+: ", w), w
for cause in (r"\d+ glibc arenas? [0-9.]+ MiB", r"\d+ thread stacks? [0-9.]+ MiB",
              r"\d+ shared librar(y|ies) [0-9.]+ [KM]iB \([^)]*libc\.so"):
    assert re.search(cause, w), (cause, w)
a = rows[("arena", None)]["diff_kib"]
s = rows[("thread_stack", None)]["diff_kib"]
l = rows[("library", None)]["diff_kib"]
assert a > 0 and s > 0 and l > 0, (a, s, l)
print("# arenas %d + stacks %d + libraries %d of %d KiB" % (a, s, l, total))
PY
ok $? "--compare of the two builds: arenas, thread stacks and libc in words; the kinds add up to the VSZ difference"

# --- which resolver: the build tags and GODEBUG decide -------------------
# resolver PID: the "go_resolver by go_resolver_by" of its tree
resolver() {
	"$VMTOP" -J -n 1 -m -p "$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)["processes"][0]["maps"]["resolver"]
print(r["go_resolver"], "by", r["go_resolver_by"])'
}
is "$(resolver "$cpid")" "go_then_cgo by default" \
	"cgo: Go's resolver unless the system's configuration needs libc"
is "$(resolver "$gpid")" "go by no_cgo" "pure Go: Go's resolver, no cgo"
for tag in netcgo netgo; do
	(cd "$TOP_SRCDIR/tests/fixtures/gohttp" &&
		gorun env CGO_ENABLED=1 go build -buildvcs=false -tags "$tag" \
			-o "$gotmp/gohttp$tag" .) >"$gotmp/build$tag.log" 2>&1
	st=$?
	[ $st -ne 0 ] && sed 's/^/#   /' "$gotmp/build$tag.log"
	is "$st" 0 "go build -tags $tag"
	[ $st -eq 0 ] || continue
	start "$tag"
	tpid=$pid
	case $tag in
	netcgo) want="cgo by netcgo" ;;
	netgo) want="go by netgo" ;;
	esac
	is "$(resolver "$tpid")" "$want" "-tags $tag: $want"
	kill -TERM "$tpid"
	wait "$tpid"
done
# GODEBUG=netdns=go on the netcgo build: Go's resolver after all
if [ -x "$gotmp/gohttpnetcgo" ]; then
	env GODEBUG=netdns=go "$gotmp/gohttpnetcgo" >"$gotmp/srvdbg" \
		2>/dev/null &
	spawn_register $!
	wait_for 10 test -s "$gotmp/srvdbg" || bail "gohttpnetcgo did not start"
	read -r tpid port <"$gotmp/srvdbg"
	is "$(resolver "$tpid")" "go by GODEBUG" \
		"-tags netcgo with GODEBUG=netdns=go: Go's resolver"
	kill -TERM "$tpid"
	wait "$tpid"
fi

# --- stop both by PID -----------------------------------------------------
for p in "cgo $cpid" "pure-Go $gpid"; do
	kill -TERM "${p#* }"
	wait "${p#* }"
	is "$?" 143 "the ${p% *} server stops on SIGTERM"
done
done_testing
