#!/bin/sh
# The layer rules of doc/DESIGN.md, "Layers", checked on every .c and .h
# under src/ and include/: a file in no layer fails.
#
# Layers.  The files of a folder under src/ are in the layer that LAYERS
# names for it.  A public header, include/vmtop/NAME.h, is in the layer of
# its module's NAME.c, or, for a header-only module, in the layer that
# HEADER_ONLY names for it.  Each layer may include the project headers of
# the layers listed in its row of LAYERS, and never the system headers or
# the text that layer_rules() forbids it.
#
# Modules.  A module is src/DIR/NAME.c with include/vmtop/NAME.h, or a
# header-only include/vmtop/NAME.h.  A module may be split into parts in
# its folder, src/DIR/NAME_PART.c, that share one private header named for
# the module, src/DIR/NAME_internal.h: a part has no public header of its
# own and includes the private one; the private header is included only by
# the module's own .c files (NAME.c and NAME_*.c in DIR) and by the
# module's unit test, tests/unit/test_NAME.c.  No other header lives under
# src/.  src/main.c, the program's entry, is the one .c with no header.
. "$TOP_SRCDIR/tests/lib/tap.sh"
cd "$TOP_SRCDIR" || bail "no source dir"

# folder         layer     the layers whose headers it may include
LAYERS='
src/util         util      util
src/collect      collect   util collect
src/classify     classify  util collect classify
src/maptree      maptree   util collect maptree
src/output       output    util collect maptree output
src/pipeline     pipeline  util collect classify maptree pipeline
src/view         view      util collect classify maptree output pipeline view
src              app       util collect classify maptree output pipeline view app
'
# header-only modules: include/vmtop/NAME.h with no NAME.c
# NAME           layer
HEADER_ONLY='
'
# a file that includes a header its layer may not (tui.h: tui_run() takes
# the parsed command line, struct cli_opts)
# FILE                   HEADER
EXCEPTIONS='
include/vmtop/tui.h      vmtop/cli.h
'


curses='n?curses|ncursesw/|term\.h|panel\.h|menu\.h|form\.h'
proc2='libproc2/'
opens='(^|[^_a-zA-Z0-9])(f?open|openat|opendir)\('

# layer_rules LAYER: sets never (system headers LAYER never includes, a
# regex on the included name), never_what, text (what no file of LAYER
# contains, a regex) and text_what
layer_rules() {
	never=''
	never_what=''
	text=''
	text_what=''
	case $1 in
	util)
		never="$curses|$proc2|pcre2"
		never_what='ncurses, libproc2 or pcre2'
		;;
	collect)
		never="$curses|pcre2"
		never_what='ncurses or pcre2'
		;;
	classify)
		never="$curses|$proc2"
		never_what='ncurses or libproc2'
		text='"/proc'
		text_what='opens /proc'
		;;
	maptree | output)
		never="$curses|$proc2|pcre2"
		never_what='ncurses, libproc2 or pcre2'
		text='"/proc'
		text_what='opens /proc'
		;;
	pipeline)
		# it drives collect's readers on a proc root, and never
		# opens a file itself, but for the files of --load and
		# --capture (file_sources, below)
		never="$curses|$proc2|pcre2"
		never_what='ncurses, libproc2 or pcre2'
		text="\"/proc/|$opens"
		text_what='opens files or /proc'
		;;
	view)
		never="$proc2"
		never_what='libproc2'
		text="\"/proc|$opens"
		text_what='opens files or /proc'
		;;
	esac
}

# table_row FOLDER: the LAYERS row of FOLDER, "" when none
table_row() {
	printf '%s\n' "$LAYERS" | awk -v d="$1" '$1 == d { print; exit }'
}

all_c=$(find src -name '*.c' | sort)

# module_c NAME: the path of src/**/NAME.c, "" when none
module_c() {
	printf '%s\n' "$all_c" | grep -m1 -E "(^|/)$1\.c\$"
}

# layer_of FILE: the layer of FILE, "" when it is in none
layer_of() {
	case $1 in
	src/*.c)
		table_row "$(dirname "$1")" | awk '{ print $2 }'
		;;
	src/*_internal.h)
		mod=$(basename "$1" _internal.h)
		[ -f "$(dirname "$1")/$mod.c" ] &&
			table_row "$(dirname "$1")" | awk '{ print $2 }'
		;;
	include/vmtop/*.h)
		name=$(basename "$1" .h)
		c=$(module_c "$name")
		if [ -n "$c" ]; then
			layer_of "$c"
		else
			printf '%s\n' "$HEADER_ONLY" |
				awk -v n="$name" '$1 == n { print $2; exit }'
		fi
		;;
	esac
}

# may_layers LAYER: the layers whose headers LAYER may include
may_layers() {
	printf '%s\n' "$LAYERS" |
		awk -v l="$1" '$2 == l { $1 = ""; $2 = ""; print; exit }'
}

# module_of FILE.c: NAME when FILE is src/DIR/NAME.c or a part of NAME's,
# src/DIR/NAME_PART.c next to src/DIR/NAME.c; "" when neither
module_of() {
	dir=$(dirname "$1")
	base=$(basename "$1" .c)
	if [ -f "include/vmtop/$base.h" ]; then
		echo "$base"
		return
	fi
	mod=$base
	while :; do
		case $mod in
		*_*) mod=${mod%_*} ;;
		*) return ;;
		esac
		if [ -f "$dir/$mod.c" ] && [ -f "include/vmtop/$mod.h" ]; then
			echo "$mod"
			return
		fi
	done
}

diag_lines() {	# diag_lines TEXT: one diagnostic per line of TEXT
	printf '%s\n' "$1" | while IFS= read -r line; do diag "$line"; done
}

# includes FILE: the names FILE includes, one a line, quoted ones with
# their quote: "vmtop/x.h or <stdio.h
includes() {
	sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*([<"][^>"]*).*/\1/p' "$1"
}

# include_faults FILE LAYER: what FILE includes that LAYER may not
include_faults() {
	f=$1
	may=" $(may_layers "$2") "
	layer_rules "$2"
	dir=$(dirname "$f")
	mod=''
	case $f in
	*.c) mod=$(module_of "$f") ;;
	src/*_internal.h) mod=$(basename "$f" _internal.h) ;;
	esac
	includes "$f" | while IFS= read -r inc; do
		name=${inc#?}
		case $inc in
		'"config.h')
			case $f in
			*.c) ;;
			*) echo "$f: config.h is for .c files" ;;
			esac
			;;
		'"vmtop/'*.h | '<vmtop/'*.h)
			h=include/$name
			if [ ! -f "$h" ]; then
				echo "$f: $name is no header of include/vmtop/"
				continue
			fi
			hl=$(printf '%s\n' "$header_layers" |
				awk -v h="$h" '$1 == h { print $2; exit }')
			case $may in
			*" $hl "*) continue ;;
			esac
			printf '%s\n' "$EXCEPTIONS" |
				awk -v f="$f" -v h="$name" \
				'$1 == f && $2 == h { found = 1 } END { exit !found }' &&
				continue
			echo "$f: $name is in layer ${hl:-(none)}"
			;;
		'"'*_internal.h)
			[ -n "$mod" ] && [ "$name" = "${mod}_internal.h" ] &&
				[ -f "$dir/$name" ] && case $f in src/*.c) true ;;
				*) false ;; esac && continue
			echo "$f: $name is not its module's private header"
			;;
		'"'*)
			echo "$f: \"$name is neither config.h nor a vmtop header"
			;;
		'<'*)
			[ -n "$never" ] && printf '%s\n' "$name" |
				grep -qE "^($never)" &&
				echo "$f: <$name> ($2 never includes $never_what)"
			;;
		esac
	done
}

files=$(find src include -name '*.[ch]' | sort)
[ -n "$files" ]
ok $? "src/ and include/ have .c and .h files"
# the layer of each public header, "include/vmtop/x.h layer" a line
header_layers=$(for h in include/vmtop/*.h; do
	echo "$h $(layer_of "$h")"
done)

for f in $files; do
	l=$(layer_of "$f")
	if [ -z "$l" ]; then
		ok 1 "$f is in a layer"
		case $f in
		include/vmtop/*.h)
			diag "no src/**/$(basename "$f" .h).c: a header-only" \
				"module needs a line in HEADER_ONLY"
			;;
		src/*.h)
			diag "the only headers under src/ are private ones," \
				"DIR/NAME_internal.h next to DIR/NAME.c"
			;;
		*)
			diag "its folder is not in the LAYERS table"
			;;
		esac
		continue
	fi
	ok 0 "$f is in layer $l"
	faults=$(include_faults "$f" "$l")
	[ -z "$faults" ]
	ok $? "$f includes only what $l may"
	[ -n "$faults" ] && diag_lines "$faults"
done

# a module's files: NAME.c with its public header, or its parts that
# include the private header
for c in $(find src -name '*.c' ! -path src/main.c | sort); do
	mod=$(module_of "$c")
	base=$(basename "$c" .c)
	if [ "$mod" = "$base" ]; then
		ok 0 "$c has include/vmtop/$base.h"
	elif [ -z "$mod" ]; then
		ok 1 "$c has include/vmtop/$base.h or is a part of a module"
		diag "no $(dirname "$c")/NAME.c with include/vmtop/NAME.h" \
			"for a prefix NAME of $base"
	else
		[ -f "$(dirname "$c")/${mod}_internal.h" ] &&
			includes "$c" | grep -qx "\"${mod}_internal.h"
		ok $? "$c is a part of $mod and includes ${mod}_internal.h"
	fi
done

# a private header is its module's alone
for h in $(find src -name '*_internal.h' | sort); do
	mod=$(basename "$h" _internal.h)
	dir=$(dirname "$h")
	users=$(grep -rlE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]([^>\"]*/)?$(basename "$h")" \
		src include tests bench 2>/dev/null | sort)
	wrong=$(for u in $users; do
		case $u in
		"$dir/$mod.c" | "$dir/${mod}_"*.c | "tests/unit/test_$mod.c") ;;
		*) echo "$u" ;;
		esac
	done)
	[ -z "$wrong" ] && [ -n "$users" ]
	ok $? "$h is included only by $mod's files and its unit test"
	[ -n "$wrong" ] && diag_lines "$wrong"
done

# the pipeline's file sources: --load and --capture open the files they
# are given (and capsrc its private directory); they too never name /proc
file_sources='src/pipeline/load.c src/pipeline/capture.c src/pipeline/capsrc.c'

# what a layer's files never contain
for dir in $(printf '%s\n' "$LAYERS" | awk 'NF { print $1 }'); do
	layer_rules "$(table_row "$dir" | awk '{ print $2 }')"
	[ -n "$text" ] || continue
	hits=$(grep -nE "$text" -r "$dir" --include='*.c' --include='*.h' \
		2>/dev/null)
	for f in $file_sources; do
		hits=$(printf '%s\n' "$hits" | grep -v "^$f:.*$opens" |
			grep .)
	done
	[ -z "$hits" ]
	ok $? "$dir never $text_what"
	[ -n "$hits" ] && diag_lines "$hits"
done

# every .c includes config.h first
for c in $(find src -name '*.c' | sort); do
	first=$(grep -m1 -E '^#include' "$c")
	[ "$first" = '#include "config.h"' ]
	ok $? "$c includes config.h first"
done
done_testing
