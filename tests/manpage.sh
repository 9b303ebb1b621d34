#!/bin/sh
# The man page renders without warnings and names every option and key.
. "$TOP_SRCDIR/tests/lib/tap.sh"
man="$TOP_SRCDIR/doc/vmtop.1"
command -v groff >/dev/null 2>&1 || skip_all "groff is not installed"

out=$(groff -ww -man -Tutf8 "$man" 2>&1 >/dev/null)
[ -z "$out" ]
ok $? "groff -ww reports nothing"
[ -n "$out" ] && diag "$out"

# every option of --help is in the man page
for opt in $("$VMTOP" --help | grep -oE '^  +-[A-Za-z]|, --[a-z]+' | \
		sed 's/^ *//; s/^, //'); do
	grep -qe "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$man" ||
		grep -qF -e "$opt" "$man"
	ok $? "man page documents $opt"
done
done_testing
