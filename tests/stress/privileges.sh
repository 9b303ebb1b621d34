#!/bin/sh
# Stress: privileges and namespaces (needs root).  A copy with file
# capabilities refuses to run for an unprivileged user, in batch and in
# the TUI with a TERMINFO that user planted.  A process that made itself
# non-dumpable is listed as its owner's, and -u finds it.  In a PID
# namespace of its own that sees the host's /proc (unshare -p -f without
# --mount-proc), arenas are not read and the JSON and text say why.  With
# /proc mounted subset=pid the host's memory figures are null.  10 001
# threads show as "10k" in the TUI's THR column, never "1000".
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to create and become a test user"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is needed"
# the TUI part needs tmux; tmux.sh sets its own exit trap, replaced below
have_tmux=no
if command -v tmux >/dev/null 2>&1; then
	. "$TOP_SRCDIR/tests/lib/tmux.sh"
	have_tmux=yes
fi

# a user of its own, as in perms.sh: removed whatever the way out
. "$TOP_SRCDIR/tests/lib/testuser.sh"
user_cleanup() {
	if [ "$have_tmux" = yes ]; then tmux_cleanup; else tap_cleanup; fi
	testuser_remove
}
trap user_cleanup EXIT
testuser_make vmtopc
as_user test -x "$VMTOP" ||
	skip_all "$user cannot execute $VMTOP (a parent directory is private)"
chmod 755 "$tap_tmpdir"

# --- file capabilities --------------------------------------------------------
cdir="$tap_tmpdir/caps"
mkdir -p "$cdir"
chmod 755 "$cdir"
cp "$VMTOP" "$cdir/vmtop"
chmod 755 "$cdir/vmtop"
if ! command -v setcap >/dev/null 2>&1; then
	ok 0 "# SKIP setcap (libcap2-bin) is not installed"
	ok 0 "# SKIP setcap (libcap2-bin) is not installed"
elif ! setcap cap_sys_ptrace,cap_dac_read_search+ep "$cdir/vmtop" \
	2>"$tap_tmpdir/setcap"; then
	ok 0 "# SKIP setcap failed: $(head -1 "$tap_tmpdir/setcap")"
	ok 0 "# SKIP setcap failed"
else
	(cd / && as_user "$cdir/vmtop" -b -n 1 -m) >"$tap_tmpdir/out" \
		2>"$tap_tmpdir/err"
	st=$?
	if findmnt -n -o OPTIONS -T "$cdir" 2>/dev/null | grep -q nosuid; then
		ok 0 "# SKIP $cdir is on a nosuid mount (capabilities ignored)"
	else
		[ "$st" -eq 1 ] && grep -q "refusing.*capabilities" \
			"$tap_tmpdir/err" && [ ! -s "$tap_tmpdir/out" ]
		ok $? "setcap ptrace,dac_read_search+ep: refuses (status $st)"
	fi
	# the TUI with a terminfo entry the user planted: refused before
	# ncurses reads it (script gives it a terminal)
	tdir="$tap_tmpdir/terminfo"
	mkdir -p "$tdir/v"
	printf 'garbage that is no terminfo entry' >"$tdir/v/vmtopevil"
	chmod -R 755 "$tdir"
	if command -v script >/dev/null 2>&1; then
		(cd / && TERMINFO="$tdir" TERM=vmtopevil as_user script -qec \
			"$cdir/vmtop -n 1" /dev/null) >"$tap_tmpdir/tui" 2>&1
		grep -q "refusing" "$tap_tmpdir/tui" &&
			! grep -qi "terminal" "$tap_tmpdir/tui"
		ok $? "TUI under a planted TERMINFO: refuses before ncurses"
	else
		ok 0 "# SKIP script (bsdutils) is not installed"
	fi
fi

# --- a non-dumpable process owned by the user -------------------------------
# a python the user can run (python3 may be a shim under root's home)
upy=""
for p in /usr/bin/python3 /usr/local/bin/python3 "$(command -v python3)"; do
	as_user "$p" -c "" 2>/dev/null && { upy=$p; break; }
done
[ -n "$upy" ] || bail "no python3 that $user can run"
# setpriv itself in the background (not the function, whose subshell
# would get the PID), so that the fixture is the process killed at exit
setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$upy" -c '
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)    # PR_SET_DUMPABLE, 0
print(os.getpid(), flush=True)
time.sleep(3600)
' >"$tap_tmpdir/nodump" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/nodump" ||
	bail "non-dumpable fixture did not start"
ndpid=$(cat "$tap_tmpdir/nodump")
diag "its stat file's owner: uid $(stat -c %u "/proc/$ndpid/stat")"
"$VMTOP" -J -n 1 -u "$user" >"$tap_tmpdir/j"
python3 - "$tap_tmpdir/j" "$ndpid" "$uid" "$user" >"$tap_tmpdir/res" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
pid, uid = int(sys.argv[2]), int(sys.argv[3])
p = [q for q in doc["processes"] if q["pid"] == pid]
print("found", bool(p),
      p and p[0]["uid"] == uid and p[0]["user"] == sys.argv[4])
PY
sed 's/^/# /' "$tap_tmpdir/res"
grep -q "^found True True$" "$tap_tmpdir/res"
ok $? "non-dumpable: -u $user lists it, with the user's uid and name"

# --- a PID namespace with the host's /proc ------------------------------------
if ! unshare -p -f true 2>/dev/null; then
	ok 0 "# SKIP unshare -p -f is not allowed here"
	ok 0 "# SKIP unshare -p -f is not allowed here"
	ok 0 "# SKIP unshare -p -f is not allowed here"
else
	"$FIXTURES/fix_arenas" 3 "$tap_tmpdir/xml" >"$tap_tmpdir/ar" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/ar" || bail "fix_arenas did not start"
	apid=$(head -1 "$tap_tmpdir/ar")
	"$VMTOP" -J -n 1 -m -p "$apid" >"$tap_tmpdir/host.json"
	unshare -p -f "$VMTOP" -J -n 1 -m -p "$apid" >"$tap_tmpdir/ns.json"
	unshare -p -f "$VMTOP" -b -n 1 -m -p "$apid" >"$tap_tmpdir/ns.txt"
	python3 - "$tap_tmpdir/host.json" "$tap_tmpdir/ns.json" \
		>"$tap_tmpdir/res" <<'PY'
import json, sys
for name, path in (("host", sys.argv[1]), ("ns", sys.argv[2])):
    a = json.load(open(path))["processes"][0]["maps"]["arenas"]
    print(name, a["count"], a["verified"], a["unverified_reason"])
PY
	sed 's/^/# /' "$tap_tmpdir/res"
	grep -q "^host 3 3 None$" "$tap_tmpdir/res"
	ok $? "own namespace: 3 arenas, 3 verified, no reason"
	grep -q "^ns 3 0 pid_namespace$" "$tap_tmpdir/res"
	ok $? "another namespace's /proc: not read, reason pid_namespace"
	grep -q "^arenas: 3 (0 verified).*unverified: /proc is another PID" \
		"$tap_tmpdir/ns.txt"
	ok $? "another namespace's /proc: the text says why"
fi

# --- /proc mounted subset=pid -----------------------------------------------
if unshare -m --propagation private sh -c \
	'mount -t proc -o subset=pid proc /proc && test ! -e /proc/meminfo' \
	2>/dev/null; then
	unshare -m --propagation private sh -c \
		'mount -t proc -o subset=pid proc /proc && exec "$0" -J -n 1' \
		"$VMTOP" >"$tap_tmpdir/sub.json" 2>"$tap_tmpdir/err"
	python3 - "$tap_tmpdir/sub.json" >"$tap_tmpdir/res" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["host"]
print(h["mem_total_kib"], h["mem_available_kib"], h["swap_total_kib"])
PY
	is "$(cat "$tap_tmpdir/res")" "None None None" \
		"subset=pid: the host's memory figures are null, not 0"
else
	ok 0 "# SKIP cannot mount a subset=pid /proc here"
fi

# --- 10 001 threads in the TUI ------------------------------------------------
if [ "$have_tmux" = no ]; then
	ok 0 "# SKIP 10 001 threads: tmux is not installed"
	done_testing
fi
"$FIXTURES/fix_manythreads" 10000 64 >"$tap_tmpdir/thr" \
	2>"$tap_tmpdir/thr.err" &
spawn_register $!
wait_for 60 test -s "$tap_tmpdir/thr" || bail "fix_manythreads did not start"
set -- $(cat "$tap_tmpdir/thr")
if [ "$2" -lt 10000 ]; then
	ok 0 "# SKIP 10 001 threads: refused after $2: $(head -c 200 \
		"$tap_tmpdir/thr.err")"
else
	tmux_start -- -p "$1"
	tmux_wait "fix_manythreads" 20
	tmux_screen >"$tap_tmpdir/screen"
	grep -E "^ *$1 +[^ ]+ +10k " "$tap_tmpdir/screen" >/dev/null
	ok $? "10 001 threads: THR shows 10k"
	! grep -E "^ *$1 +[^ ]+ +1000 " "$tap_tmpdir/screen" >/dev/null
	ok $? "10 001 threads: never the first digits (1000)"
	tmux_keys q
fi
done_testing
