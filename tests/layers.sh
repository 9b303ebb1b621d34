#!/bin/sh
# The layer rules of doc/DESIGN.md, "Layers": what each folder may include.
. "$TOP_SRCDIR/tests/lib/tap.sh"
cd "$TOP_SRCDIR" || bail "no source dir"

# forbid FOLDER REGEX WHAT: no file in FOLDER includes a header matching REGEX
forbid() {
	hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" \
		-r "$1" --include='*.c' --include='*.h' 2>/dev/null)
	[ -z "$hits" ]
	ok $? "$1 never includes $3"
	[ -n "$hits" ] && diag "$hits"
}
# forbid_text FOLDER REGEX WHAT: no file in FOLDER contains REGEX
forbid_text() {
	hits=$(grep -nE "$2" -r "$1" --include='*.c' --include='*.h' 2>/dev/null)
	[ -z "$hits" ]
	ok $? "$1 never $3"
	[ -n "$hits" ] && diag "$hits"
}

curses='n?curses|ncursesw/|term\.h|panel\.h|menu\.h|form\.h'
proc='libproc2/'

forbid src/collect "$curses|pcre2" "ncurses or pcre2"
forbid src/classify "$curses|$proc" "ncurses or libproc2"
forbid_text src/classify '"/proc' "opens /proc"
forbid src/maptree "$curses|$proc|pcre2" "ncurses, libproc2 or pcre2"
forbid_text src/maptree '"/proc' "opens /proc"
forbid src/view "$proc" "libproc2"
forbid_text src/view '"/proc|(^|[^_a-zA-Z0-9])(f?open|openat)\(' \
	"opens files or /proc"
forbid src/output "$curses|$proc|pcre2" "ncurses, libproc2 or pcre2"
forbid_text src/output '"/proc' "opens /proc"
forbid src/util "$curses|$proc|pcre2|vmtop/(proctable|filter|vmmap|hostinfo|maptree|classify)\.h" \
	"anything beyond libc"

# headers: one per module, same basename as its .c
for c in $(find src -name '*.c' ! -name main.c | sort); do
	base=$(basename "$c" .c)
	# the classifiers are one table, declared together in classify.h
	case "$c" in src/classify/classify_*) continue ;; esac
	[ -f "include/vmtop/$base.h" ]
	ok $? "$c has include/vmtop/$base.h"
done
# every .c includes config.h first
for c in $(find src -name '*.c' | sort); do
	first=$(grep -m1 -E '^#include' "$c")
	[ "$first" = '#include "config.h"' ]
	ok $? "$c includes config.h first"
done
done_testing
