#!/bin/sh
# Usage errors: one line naming the problem, exit status 2; runtime
# failures: exit status 1.
. "$TOP_SRCDIR/tests/lib/tap.sh"

expect() {	# expect STATUS PATTERN ARGS...
	want=$1 pat=$2
	shift 2
	"$VMTOP" "$@" >"$tap_tmpdir/out" 2>"$tap_tmpdir/err" </dev/null
	st=$?
	is "$st" "$want" "vmtop $* exits $want"
	grep -qE -e "$pat" "$tap_tmpdir/err"
	ok $? "vmtop $* says: $pat"
	[ "$(grep -c . "$tap_tmpdir/err")" -le 2 ]
	ok $? "vmtop $* says it briefly"
}

expect 2 "unknown option '--bogus'" --bogus
expect 2 "unknown option '-x'" -x
expect 2 "invalid number of seconds for -d: 'abc'" -b -d abc
expect 2 "invalid count for -n: '-3'" -b -n -3
expect 2 "invalid PID for -p: 'x'" -b -p x
expect 2 "unknown user for -u" -b -u no-such-user-vmtop
expect 2 "invalid regex '\(': missing closing parenthesis at offset 1" -b '('
expect 2 "needs an argument" -b -p
expect 1 "no process with PID" -b -n 1 -p 999999999
expect 1 "not a terminal.*-b" -n 1

TERM=vmtop-no-such-term script -qec "$VMTOP -n 1" /dev/null \
	>"$tap_tmpdir/tty" 2>&1 </dev/null
st=$?
[ "$st" -ne 0 ]
ok $? "an unknown TERM fails"
grep -q "unknown terminal type" "$tap_tmpdir/tty"
ok $? "and says why"

"$VMTOP" --help >"$tap_tmpdir/help"
ok $? "--help exits 0"
grep -q -- "--json" "$tap_tmpdir/help"
ok $? "--help lists --json"
"$VMTOP" --version | grep -qE '^vmtop [0-9]+\.[0-9]+'
ok $? "--version prints the version"

# a closed pipe ends batch mode quietly with status 0
"$VMTOP" -b -d 0.05 2>"$tap_tmpdir/err" | head -1 >/dev/null
ok $? "vmtop -b | head -1 succeeds"
[ ! -s "$tap_tmpdir/err" ]
ok $? "and prints nothing on stderr"
done_testing
