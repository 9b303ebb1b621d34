#!/bin/sh
# The knobs in batch mode (-b -m text, -J -m "knobs"): a fixture started
# with MALLOC_ARENA_MAX=2, a secret variable and a JAVA_TOOL_OPTIONS with a
# secret option, under prlimit: the memory knobs are shown, the secrets
# never; the limits are /proc/PID/limits'.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
command -v prlimit >/dev/null || skip_all "prlimit (util-linux) is needed"

# a sanitized fixture reserves terabytes of shadow: no RLIMIT_AS then
as=--as=8589934592:unlimited as_soft=8589934592
nm -u "$FIXTURES/fix_sleep" 2>/dev/null | grep -q __asan_init &&
	as=--as=unlimited:unlimited as_soft=None
env MALLOC_ARENA_MAX=2 VMTOP_TEST_SECRET=hunter2 \
	JAVA_TOOL_OPTIONS="-Xss512k -Dpassword=hunter2" \
	prlimit --stack=4194304:16777216 "$as" \
	"$FIXTURES/fix_sleep" knobfix >"$tap_tmpdir/pid" &
spawn_register $!
wait_for 10 test -s "$tap_tmpdir/pid" || bail "fix_sleep did not start"
pid=$(cat "$tap_tmpdir/pid")

"$VMTOP" -b -n 1 -m -p "$pid" >"$tap_tmpdir/text" 2>&1
ok $? "vmtop -b -m"
grep -q '^  MALLOC_ARENA_MAX=2$' "$tap_tmpdir/text"
ok $? "text: MALLOC_ARENA_MAX=2 shown"
grep -q "caps glibc's malloc arenas" "$tap_tmpdir/text"
ok $? "text: with what it does"
grep -q '^  JAVA_TOOL_OPTIONS: -Xss512k$' "$tap_tmpdir/text"
ok $? "text: the memory option of JAVA_TOOL_OPTIONS"
! grep -q 'hunter2\|VMTOP_TEST_SECRET\|password' "$tap_tmpdir/text"
ok $? "text: the secrets never"

"$VMTOP" -J -n 1 -m -p "$pid" >"$tap_tmpdir/json" 2>&1
ok $? "vmtop -J -m"
! grep -q 'hunter2\|VMTOP_TEST_SECRET\|password' "$tap_tmpdir/json"
ok $? "JSON: the secrets never"
# the limits against the kernel's own file, read now
got=$(python3 - "$tap_tmpdir/json" "/proc/$pid/limits" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))["processes"][0]["knobs"]
env = {e["name"]: e["value"] for e in k["environ"] if e["from"] == "env"}
want = {}
for line in open(sys.argv[2]):
    for key, name in (("Max stack size", "stack"),
                      ("Max address space", "as"),
                      ("Max data size", "data")):
        if line.startswith(key):
            f = line[len(key):].split()
            want[name] = {"soft": None if f[0] == "unlimited" else int(f[0]),
                          "hard": None if f[1] == "unlimited" else int(f[1])}
print(env.get("MALLOC_ARENA_MAX"), k["limits"] == want,
      k["limits"]["stack"]["soft"], k["limits"]["as"]["soft"],
      k["hidden_options"])
PY
)
is "$got" "2 True 4194304 $as_soft 1" \
	"JSON: MALLOC_ARENA_MAX 2, limits equal /proc/PID/limits, one option hidden"

# another user's process, read by an ordinary user: the environment is
# refused, with the file, the error and why; the limits still show
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	owner=$((60000 + $$ % 5000))
	other=$((owner + 1))
	setpriv --reuid="$owner" --regid="$owner" --clear-groups \
		env MALLOC_ARENA_MAX=3 VMTOP_TEST_SECRET=hunter2 \
		"$FIXTURES/fix_sleep" knobother >"$tap_tmpdir/pid2" &
	spawn_register $!
	wait_for 10 test -s "$tap_tmpdir/pid2" || bail "no second fixture"
	pid2=$(cat "$tap_tmpdir/pid2")
	setpriv --reuid="$other" --regid="$other" --clear-groups \
		"$VMTOP" -b -n 1 -m -p "$pid2" >"$tap_tmpdir/other" 2>&1
	grep -q "^  not readable: environ (EACCES): refused: .*/proc/$pid2/environ (EACCES).*not to vmtop's uid" \
		"$tap_tmpdir/other"
	ok $? "another user's process: environ refused, with the error and why"
	grep -q '^  RLIMIT_STACK ' "$tap_tmpdir/other"
	ok $? "another user's process: its limits still shown"
	! grep -q 'hunter2\|MALLOC_ARENA_MAX' "$tap_tmpdir/other"
	ok $? "another user's process: none of its environment"
else
	for i in 1 2 3; do
		echo "ok $((tap_n + 1)) # SKIP needs root and setpriv"
		tap_n=$((tap_n + 1))
	done
fi
done_testing
