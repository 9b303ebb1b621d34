#!/bin/sh
# doc/DESIGN.md names every module under src/, and every citation of
# "REFERENCE.md N.M" or DESIGN.md, "Heading" in the sources, the tests,
# the Makefile and the docs names a section that exists.
. "$TOP_SRCDIR/tests/lib/tap.sh"
cd "$TOP_SRCDIR" || bail "no source dir"
design=doc/DESIGN.md
ref=doc/REFERENCE.md
[ -f "$design" ] && [ -f "$ref" ] || bail "doc/DESIGN.md or doc/REFERENCE.md missing"

# every .c under src/ is named in DESIGN.md as `base`, `base.c` or
# `path/base.c` (in backquotes: a bare word such as "maps" proves nothing)
for c in $(find src -name '*.c' | sort); do
	base=$(basename "$c" .c)
	grep -qE "\`([A-Za-z0-9_./-]*/)?$base(\\.c)?\`" "$design"
	ok $? "DESIGN.md names $c"
done

# The sections of REFERENCE.md: "## 3. Title" is 3, "### 3.4 Title" 3.4.
sections=$(sed -nE 's/^#{2,3} ([0-9]+(\.[0-9]+)?)\.? .*/\1/p' "$ref")
[ -n "$sections" ]
ok $? "REFERENCE.md has numbered sections"

# The files that may cite, each as one line (a citation may be broken
# across comment lines: " * " and "# " continuations are dropped).
cited_files=$( (find src include tests -name '*.[ch]' -o -name '*.sh' \
	-o -name '*.py'; echo Makefile.am; echo README; echo doc/DESIGN.md;
	echo doc/REFERENCE.md) |
	grep -vxF tests/design.sh)
flat() {
	tr -s '[:space:]' ' ' <"$1" | sed -E 's/ (\*|#|\/\/) / /g'
}

# Every citation as "file<TAB>kind<TAB>what", gathered first so that the
# results are recorded by this shell, not by a pipeline's subshell.
cites=$(mktemp) || bail "mktemp failed"
num='[0-9]+(\.[0-9]+)?'
for f in $cited_files; do
	[ -f "$f" ] || continue
	# REFERENCE.md 3.2-3.4, REFERENCE 4.2, 5, REFERENCE.md 2.1 and 2.4
	flat "$f" | grep -oE "REFERENCE(\.md)? $num(( ?(-|–|,) ?| and )$num)*" |
		sed 's/^REFERENCE[.md]* //' | grep -oE "$num" |
		sed "s|^|$f	ref	|" >>"$cites"
	# DESIGN.md, "Heading"
	flat "$f" | grep -oE 'DESIGN\.md, "[^"]+"' |
		sed 's/^[^"]*"//; s/"$//' | sed "s|^|$f	design	|" >>"$cites"
done
[ -s "$cites" ]
ok $? "citations of REFERENCE.md and DESIGN.md were found"

tab=$(printf '\t')
while IFS=$tab read -r f kind what; do
	if [ "$kind" = ref ]; then
		printf '%s\n' "$sections" | grep -qxF "$what"
		ok $? "$f cites REFERENCE.md $what, which exists"
	else
		grep -qxF "## $what" "$design" || grep -qxF "### $what" "$design"
		ok $? "$f cites DESIGN.md, \"$what\", which exists"
	fi
done <"$cites"
rm -f "$cites"
done_testing
