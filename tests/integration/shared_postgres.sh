#!/bin/sh
# A real PostgreSQL 15 (initdb in a temporary directory, as a test user
# of its own, on 127.0.0.1 at a free port): its main segment is the
# "PostgreSQL main segment (shared_buffers)" group of the shared kind,
# exactly `postgres -C shared_memory_size` MiB; the insight names
# shared_buffers and PSS; at least 95 % of VSZ and 90 % of RSS of the
# postmaster land in a named kind; the tree adds up.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to create and become a test user"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is needed"
bindir=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/postgres" ] && [ -x "$d/initdb" ] && bindir=$d
done
[ -n "$bindir" ] || skip_all "PostgreSQL is not installed (apt-get install postgresql)"

# A user of its own (initdb refuses root), removed whatever the way out;
# useradd and userdel wait for no lock: a few tries while another holds it.
. "$TOP_SRCDIR/tests/lib/testuser.sh"
pg_cleanup() {
	[ -n "${pgpid:-}" ] && kill -INT "$pgpid" 2>/dev/null &&
		wait_for 20 sh -c "! kill -0 $pgpid 2>/dev/null"
	tap_cleanup
	testuser_remove
}
trap pg_cleanup EXIT
testuser_make vmtoppg
data=$tap_tmpdir/pgdata
chmod 755 "$tap_tmpdir"
mkdir "$data" && chown "$uid:$gid" "$data"
as_user "$bindir/initdb" -D "$data" -A trust -U postgres \
	>"$tap_tmpdir/initdb.log" 2>&1 || bail "initdb failed"
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
set -- -D "$data" -c listen_addresses=127.0.0.1 -c port="$port" \
	-c unix_socket_directories="$data" -c shared_buffers=64MB
want_mib=$(as_user "$bindir/postgres" "$@" -C shared_memory_size)
# setpriv itself in the background, so that postgres is the process
# that gets killed at the end
setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
	"$bindir/postgres" "$@" >"$tap_tmpdir/pg.log" 2>&1 &
pgpid=$!
spawn_register "$pgpid"
wait_for 20 test -s "$data/postmaster.pid" || bail "postgres did not start"
wait_for 20 grep -q "ready to accept" "$tap_tmpdir/pg.log" ||
	bail "postgres is not ready: $(tail -n 3 "$tap_tmpdir/pg.log")"

"$VMTOP" -b -n 1 -m -J -p "$pgpid" >"$tap_tmpdir/pg.json"
ok $? "vmtop reads the postmaster"
python3 - "$tap_tmpdir/pg.json" "$want_mib" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
want = int(sys.argv[2]) * 1024
main = [g for c in m["categories"] if c["kind"] == "shared"
        for g in c["groups"]
        if g["name"] == "PostgreSQL main segment (shared_buffers)"]
assert len(main) == 1, [c["kind"] for c in m["categories"]]
got = main[0]["vsz_kib"]
# shared_memory_size is rounded up to whole MiB
assert want - 1024 < got <= want, (got, want)
print("# main segment %d KiB, shared_memory_size %d KiB" % (got, want))
PY
ok $? "the main segment is postgres -C shared_memory_size ($want_mib MiB)"
python3 - "$tap_tmpdir/pg.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
ins = [i for i in m["insights"] if i["id"] == "postgres_shared"]
assert ins, [i["id"] for i in m["insights"]]
t = ins[0]["text"]
assert "shared_buffers" in t and "PSS" in t, t
PY
ok $? "an insight names shared_buffers and PSS"
python3 - "$tap_tmpdir/pg.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
t = m["totals"]
named = [c for c in m["categories"] if c["kind"] != "anon"]
vsz = sum(c["vsz_kib"] for c in named) / t["vsz_kib"]
rss = sum(c["rss_kib"] for c in named) / max(t["rss_kib"], 1)
print("# postgres: VSZ %d KiB, named VSZ %.1f %%, named RSS %.1f %%" %
      (t["vsz_kib"], 100 * vsz, 100 * rss))
assert vsz >= 0.95 and rss >= 0.90, (vsz, rss)
PY
ok $? "at least 95 % of VSZ and 90 % of RSS named"
check "the tree adds up to VmSize and smaps_rollup's Rss" \
	python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" invariants "$pgpid"
done_testing
