#!/bin/sh
# Stress: permissions.  As an unprivileged user, vmtop lists everybody's
# processes, marks other users' ones "access: limited" without a tree,
# prints nothing on stderr and gives its own user's process a full tree.
# A set-uid or set-gid copy refuses to run.  Under strace, a batch run
# with trees opens nothing under /proc for writing, never calls ptrace
# and executes nothing.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to create and become a test user"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is needed"

# A user of its own, named after this shell's PID so that two runs at once
# do not share one, removed whatever the way out: its processes are
# killed first (userdel refuses a user that still runs one).  useradd and
# userdel wait for no lock: a few tries while another one holds it.
. "$TOP_SRCDIR/tests/lib/testuser.sh"
user_cleanup() {
	tap_cleanup
	testuser_remove
}
trap user_cleanup EXIT
testuser_make vmtopt
# the user must be able to reach the build tree
as_user test -x "$VMTOP" ||
	skip_all "$user cannot execute $VMTOP (a parent directory is private)"

# a root process and one of the user's own
"$FIXTURES/fix_sleep" vmtopRootFix >"$tap_tmpdir/root" &
spawn_register $!
# setpriv itself in the background (not the function, whose subshell
# would get the PID), so that the fixture is the process killed at exit
setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
	"$FIXTURES/fix_sleep" vmtopUserFix >"$tap_tmpdir/user" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/root" || bail "root fixture did not start"
wait_for 10 test -s "$tap_tmpdir/user" || bail "user fixture did not start"
rootfix=$(cat "$tap_tmpdir/root")
userfix=$(cat "$tap_tmpdir/user")

(cd / && as_user "$VMTOP" -b -n 1 -J -m) >"$tap_tmpdir/j" 2>"$tap_tmpdir/err"
is "$?" 0 "as the test user: -b -n 1 -J -m exits 0"
is "$(head -c 2000 "$tap_tmpdir/err")" "" "as the test user: nothing on stderr"
python3 - "$tap_tmpdir/j" "$uid" "$rootfix" "$userfix" <<'PY' >"$tap_tmpdir/res"
import json, sys
doc = json.load(open(sys.argv[1]))
uid, rootfix, userfix = (int(x) for x in sys.argv[2:5])
procs = {p["pid"]: p for p in doc["processes"]}
others = [p for p in procs.values() if p["uid"] != uid]
# other users' processes: limited, and no tree or only what was readable
bad = [p["pid"] for p in others
       if p["access"] != "limited" or
       (p["maps"] is not None and p["maps"]["totals"]["regions"] > 0 and
        p["maps"]["totals"]["rss_kib"] is not None)]
print("others", len(others), "bad", len(bad), bad[:5])
r = procs.get(rootfix)
print("rootfix", r is not None and r["access"], r is not None and r["maps"])
u = procs.get(userfix) or {}
m = u.get("maps") or {}
cats = {c["kind"] for c in m.get("categories", [])}
print("userfix", u.get("access"), m.get("totals", {}).get("regions", 0) > 5,
      m.get("totals", {}).get("rss_kib") is not None,
      "binary" in cats and "library" in cats and "main_stack" in cats)
PY
cat "$tap_tmpdir/res" | sed 's/^/# /'
grep -q "^others [1-9][0-9]* bad 0 " "$tap_tmpdir/res"
ok $? "other users' processes are listed, access limited, no tree read"
grep -q "^rootfix limited None$" "$tap_tmpdir/res"
ok $? "the root fixture: access limited, maps null"
grep -q "^userfix full True True True$" "$tap_tmpdir/res"
ok $? "its own process: access full, a whole tree with smaps figures"

(cd / && as_user "$VMTOP" -b -n 1 -m) >"$tap_tmpdir/t" 2>"$tap_tmpdir/err"
is "$?" 0 "as the test user: text -b -n 1 -m exits 0"
is "$(head -c 2000 "$tap_tmpdir/err")" "" \
	"as the test user: text, nothing on stderr"
grep -A3 "^== $rootfix " "$tap_tmpdir/t" | grep -q "not readable"
ok $? "text: the root fixture's map is said to be not readable"

# --- set-uid, set-gid ---------------------------------------------------------
sdir="$tap_tmpdir/setid"
mkdir -p "$sdir"
chmod 755 "$tap_tmpdir" "$sdir"
for mode in u+s g+s; do
	cp "$VMTOP" "$sdir/vmtop"
	chown 0:0 "$sdir/vmtop"
	chmod 755 "$sdir/vmtop"
	chmod "$mode" "$sdir/vmtop"
	(cd / && as_user "$sdir/vmtop" -b -n 1) >"$tap_tmpdir/out" 2>"$tap_tmpdir/err"
	st=$?
	if findmnt -n -o OPTIONS -T "$sdir" 2>/dev/null | grep -q nosuid; then
		ok 0 "# SKIP $sdir is on a nosuid mount"
		continue
	fi
	[ "$st" -ne 0 ] && grep -q "refusing" "$tap_tmpdir/err" &&
		[ ! -s "$tap_tmpdir/out" ]
	ok $? "chmod $mode: a set-id copy refuses to run (status $st)"
done
rm -f "$sdir/vmtop"

# --- strace -------------------------------------------------------------------
if ! command -v strace >/dev/null 2>&1; then
	ok 0 "# SKIP strace is not installed"
else
	# LeakSanitizer stops the world with ptrace from a cloned thread: it
	# cannot under strace, and its clone is not vmtop's
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -y -qq -o "$tap_tmpdir/trace" \
		-e trace=open,openat,openat2,creat,ptrace,process_vm_readv,execve,execveat,fork,vfork,clone,clone3 \
		"$VMTOP" -b -n 2 -d 0.1 -m >/dev/null 2>"$tap_tmpdir/err"
	st=$?
	if grep -q "PTRACE_TRACEME\|Operation not permitted" "$tap_tmpdir/err" &&
		[ ! -s "$tap_tmpdir/trace" ]; then
		ok 0 "# SKIP strace cannot trace here: $(head -1 "$tap_tmpdir/err")"
	else
		is "$st" 0 "strace: -b -n 2 -m runs"
		python3 - "$tap_tmpdir/trace" <<'PY' >"$tap_tmpdir/verdict"
import re, sys
writes, ptraces, execs, forks, opens, peeks = [], [], [], [], 0, 0
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^\d+\s+(\w+)\((.*)$", line)
    if not m:
        continue
    call, args = m.groups()
    if call in ("open", "openat", "openat2", "creat"):
        opens += 1
        # the path, resolved against a decorated dirfd: 3</proc/42>
        dm = re.match(r'(?:(?:AT_FDCWD|\d+<([^>]*)>),\s*)?"((?:[^"\\]|\\.)*)"', args)
        if not dm:
            continue
        base, path = dm.groups()
        if base and not path.startswith("/"):
            path = base + "/" + path
        w = call == "creat" or re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND", args)
        if w and path.startswith("/proc"):
            writes.append(path)
    elif call == "ptrace":
        ptraces.append(line.strip())
    elif call == "process_vm_readv":
        peeks += 1  # collect/peek.c reads heap_info headers: by design
    elif call in ("execve", "execveat"):
        execs.append(line.strip())
    elif call in ("fork", "vfork", "clone", "clone3"):
        forks.append(line.strip())
print("opens", opens)
print("writes", len(writes), writes[:3])
print("ptrace", len(ptraces), ptraces[:3])
print("process_vm_readv", peeks)
print("execs", len(execs), [e[:120] for e in execs[:3]])
print("forks", len(forks), forks[:3])
PY
		sed 's/^/# /' "$tap_tmpdir/verdict"
		grep -q "^opens [1-9]" "$tap_tmpdir/verdict"
		ok $? "strace: the trace holds vmtop's opens"
		grep -q "^writes 0 " "$tap_tmpdir/verdict"
		ok $? "strace: nothing under /proc is opened for writing"
		grep -q "^ptrace 0 " "$tap_tmpdir/verdict"
		ok $? "strace: no ptrace"
		grep -q "^execs 1 " "$tap_tmpdir/verdict"
		ok $? "strace: one execve, its own start"
		grep -q "^forks 0 " "$tap_tmpdir/verdict"
		ok $? "strace: no fork or clone"
	fi
fi
done_testing
