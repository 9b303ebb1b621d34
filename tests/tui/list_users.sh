#!/bin/sh
# K and u in the process list, driven through tmux: kernel threads
# (kthreadd, PID 2, which has PF_KTHREAD) hidden at start and shown after
# K, the header saying so; u's menu of the users that have processes,
# "all users" first, and the list showing only the user picked.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
. "$TOP_SRCDIR/tests/lib/testuser.sh"

[ -x "$VMTOP" ] || bail "VMTOP not set or not built"
users_cleanup() {
	tmux_cleanup
	testuser_remove
}
trap users_cleanup EXIT

flags=$(awk '{ sub(/.*\) /, ""); print $7 }' /proc/2/stat 2>/dev/null)
[ -n "$flags" ] && [ $((flags & 0x200000)) -ne 0 ] ||
	skip_all "PID 2 is not a kernel thread here (a PID namespace)"

"$FIXTURES/fix_sleep" "vtroot$$" >/dev/null &
spawn_register $!
rootpid=$!
testuser_make vtu
setpriv --reuid="$uid" --regid="$gid" --clear-groups -- \
	"$FIXTURES/fix_sleep" "vtuser$$" >/dev/null &
spawn_register $!
userpid=$!
wait_for 10 sh -c "grep -q vtuser /proc/$userpid/comm" ||
	bail "the test user's fixture did not start"

row() {	# row PID: a list row of that process
	echo "^ *$1 +[^ ]+ +[0-9]+ "
}

# a pattern, not -p: a kernel thread named with -p is shown anyway
# (letters in brackets keep it from matching the tmux client's line)
tmux_start -- "^(kthrea[d]d|vtroo[t]$$|vtuse[r]$$)\$"
tmux_wait "Tasks: 2 shown of [0-9]+, kernel threads hidden"
ok $? "the header says kernel threads are hidden"
tmux_not_matches "$(row 2)"
ok $? "kthreadd (PID 2) is not listed at start"
tmux_keys K
tmux_wait "$(row 2).*kthreadd"
ok $? "K shows kthreadd"
tmux_matches "Tasks: 3 shown of [0-9]+  "
ok $? "and the header no longer says they are hidden"
tmux_keys K
tmux_wait_gone "$(row 2)"
ok $? "K again hides it"

tmux_keys u
tmux_wait "Show processes of"
ok $? "u opens the user menu"
# entries: the title, then "all users", then the users by name (other
# tests' users may be there too)
tmux_screen | awk '/Show processes of/ { t = NR; next }
	t && /^ [^ ]/ && substr($0, 1, 24) !~ /^ +[0-9]/ { print $1 }' |
	sed -n '1,/^$/p' >"$tap_tmpdir/menu"
is "$(head -n 1 "$tap_tmpdir/menu")" all "\"all users\" comes first"
sed 1d "$tap_tmpdir/menu" >"$tap_tmpdir/names"
LC_ALL=C sort -c "$tap_tmpdir/names" && grep -qx root "$tap_tmpdir/names" &&
	grep -qx "$user" "$tap_tmpdir/names"
ok $? "then the users by name, root and the test user among them"
[ $? -eq 0 ] || diag "menu: $(tr '\n' ' ' <"$tap_tmpdir/menu")"
n=$(grep -nx "$user" "$tap_tmpdir/menu" | cut -d: -f1)
while [ "${n:-1}" -gt 1 ]; do
	tmux_keys Down
	n=$((n - 1))
done
tmux_keys Enter
tmux_wait "Tasks: 1 shown of [0-9]+, kernel threads hidden, user $user"
ok $? "picking the test user: the header names it"
tmux_matches "$(row "$userpid").*vtuser"
ok $? "its process is listed"
tmux_not_matches "$(row "$rootpid")"
ok $? "root's is not"
tmux_keys u
tmux_wait "Show processes of"
tmux_keys Home Enter
tmux_wait "Tasks: 2 shown of [0-9]+, kernel threads hidden  "
ok $? "\"all users\" shows everyone's again"
tmux_matches "$(row "$rootpid")"
ok $? "root's process is back"
tmux_keys u
tmux_wait "Show processes of"
tmux_keys x
tmux_wait_gone "Show processes of"
ok $? "any other key closes the menu"
tmux_keys F1
tmux_wait "keys"
tmux_keys PgDn
tmux_wait "show / hide kernel threads"
ok $? "the help lists K"
tmux_matches "show one user's processes"
ok $? "and u"
tmux_keys q
tmux_keys q
tmux_wait "vmtop exited"
ok $? "q quits"

tmux_start -- -p "2,$rootpid"
tmux_wait "$(row 2).*kthreadd"
ok $? "a kernel thread named with -p is listed though they are hidden"
tmux_keys q
tmux_wait "vmtop exited"

# a memory column is sortable: the F6 menu lists it, choosing it sorts
tmux_start -- --columns PID,VIRT,PSS,USS -p "$rootpid,$userpid,$$"
tmux_wait "PID +VIRT +PSS +USS COMMAND"
ok $? "--columns shows PID VIRT PSS USS in that order"
tmux_matches "PSS/USS up to [0-9.]+s old"
ok $? "the header says how old PSS and USS are"
tmux_keys F6
tmux_wait "PSS \\(proportional set size\\)"
ok $? "the sort menu lists PSS"
tmux_keys Down Enter	# the menu opens on VIRT, the sort column
tmux_wait "Sort: PSS \\(proportional set size\\), descending"
ok $? "and sorts by it, largest first"
tmux_keys q
tmux_wait "vmtop exited"

done_testing
