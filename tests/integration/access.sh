#!/bin/sh
# Access refused by the kernel: root without CAP_SYS_PTRACE (as in a
# container; capsh drops it from the bounding set) and an ordinary user,
# each running vmtop on another user's process.  What was refused and
# why is said (the file or call, the error, the missing capability), root
# is never told to run as root, and the text's "!" agrees with the JSON's
# "access" whatever the case; the map view says the same.
. "$TOP_SRCDIR/tests/lib/tap.sh"
. "$TOP_SRCDIR/tests/lib/tmux.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root to run processes as other uids"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is needed"
command -v capsh >/dev/null 2>&1 || skip_all "capsh (libcap2-bin) is needed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
[ -x "$FIXTURES/fix_sleep" ] || bail "fix_sleep fixture not built"

# uids no user has, unique to this run
owner=$((60000 + $$ % 5000))
other=$((owner + 1))
setpriv --reuid="$owner" --regid="$owner" --clear-groups \
	"$FIXTURES/fix_sleep" >/dev/null 2>&1 &
spawn_register $!
pid=$!
owned() {
	[ "$(stat -c %u "/proc/$pid" 2>/dev/null)" = "$owner" ]
}
wait_for 5 owned ||
	bail "fix_sleep did not start as uid $owner"
sleep 0.2 # its exec done: the fixture's own mappings

nocap() {	# nocap CMD...: as root without CAP_SYS_PTRACE
	capsh --drop=cap_sys_ptrace -- -c '"$0" "$@"' "$@"
}
asother() {
	setpriv --reuid="$other" --regid="$other" --clear-groups "$@"
}

# json_access OUT: the "access" of the one process in a JSON document
json_access() {
	python3 -c 'import json, sys
print(json.load(sys.stdin)["processes"][0]["access"])' <"$1"
}

for who in nocap asother; do
	$who "$VMTOP" -b -n 1 -m -p "$pid" >"$tap_tmpdir/$who.txt" 2>&1
	$who "$VMTOP" -J -n 1 -m -p "$pid" >"$tap_tmpdir/$who.json" 2>&1
	grep -Eq "^ +$pid .* S! " "$tap_tmpdir/$who.txt" &&
		[ "$(json_access "$tap_tmpdir/$who.json")" = limited ]
	ok $? "$who: the text's ! and the JSON's \"access\": \"limited\" agree"
	grep -Eq "^access: refused: .*/proc/$pid/[a-z]+ \\((EACCES|EPERM)\\)" \
		"$tap_tmpdir/$who.txt"
	ok $? "$who: says which file was refused, with the error"
done
grep -q "root without CAP_SYS_PTRACE" "$tap_tmpdir/nocap.txt" &&
	! grep -qE "(run vmtop|or) as root" "$tap_tmpdir/nocap.txt"
ok $? "root without CAP_SYS_PTRACE: the capability is named, no \"as root\""
grep -q "run vmtop as uid $owner, or with CAP_SYS_PTRACE" \
	"$tap_tmpdir/asother.txt"
ok $? "another user: run as the owner's uid, or with CAP_SYS_PTRACE"
"$VMTOP" -b -n 1 -m -p "$pid" >"$tap_tmpdir/root.txt" 2>&1
"$VMTOP" -J -n 1 -m -p "$pid" >"$tap_tmpdir/root.json" 2>&1
grep -Eq "^ +$pid .* S  " "$tap_tmpdir/root.txt" &&
	[ "$(json_access "$tap_tmpdir/root.json")" = full ] &&
	! grep -q "^access:" "$tap_tmpdir/root.txt"
ok $? "root with CAP_SYS_PTRACE: full access in both, nothing refused"

# The map view, as root without CAP_SYS_PTRACE
cat >"$tap_tmpdir/nocap.sh" <<EOW
#!/bin/sh
exec capsh --drop=cap_sys_ptrace -- -c '"\$0" "\$@"' "$VMTOP" "\$@"
EOW
chmod +x "$tap_tmpdir/nocap.sh"
real=$VMTOP
VMTOP="$tap_tmpdir/nocap.sh"
tmux_start -- -d 1 -p "$pid"
VMTOP=$real
tmux_resize 100 30
tmux_wait "^ *$pid " && tmux_keys Enter
tmux_wait "PID $pid " && tmux_wait "without CAP_SYS_PTRACE" 3 &&
	tmux_not_matches "(Run vmtop|or) as root" && tmux_matches "refused: "
ok $? "the map view says what was refused and that CAP_SYS_PTRACE is missing"
tmux_keys F10
done_testing
