# testuser.sh: a system user of the test's own, for tests that need
# another uid; removed whatever the way out.  Source it after tap.sh,
# set the test's EXIT trap (which calls testuser_remove after stopping
# the user's processes: userdel refuses a user that still runs one),
# then call testuser_make PREFIX: the user is PREFIX<pid of the test>,
# so that tests running at once never share one.  It sets user, uid and
# gid, or skips the test when the user cannot be made.  useradd and
# userdel wait for no lock: a few tries while another one holds it.
made_user=""

retry() {	# retry COMMAND...: up to 10 tries, 0.5 s apart
	n=0
	until "$@"; do
		n=$((n + 1))
		[ $n -ge 10 ] && return 1
		sleep 0.5
	done
}

testuser_make() {	# testuser_make PREFIX
	user=$1$$
	id -u "$user" >/dev/null 2>&1 && skip_all "user $user exists already"
	retry useradd -r -M -s /usr/sbin/nologin "$user" \
		2>"$tap_tmpdir/useradd" ||
		skip_all "cannot create user $user: $(cat "$tap_tmpdir/useradd")"
	made_user=$user
	uid=$(id -u "$user")
	gid=$(id -g "$user")
}

testuser_remove() {
	[ -n "$made_user" ] && id -u "$made_user" >/dev/null 2>&1 &&
		{ retry userdel "$made_user" 2>/dev/null ||
			echo "# could not remove user $made_user" >&2; }
	made_user=""
}

as_user() {	# as_user COMMAND...: runs it as the test user
	setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"
}
