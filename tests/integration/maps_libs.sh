#!/bin/sh
# Libraries of `vmtop -b -m -J`: dlopened ones grouped once with all their
# segments (libc with its bss, by its program headers; libz, whose bss fits
# in its last file page, without the older mapping after it), an NSS
# module tagged dns.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"
check_maps() { python3 "$TOP_SRCDIR/tests/lib/mapcheck.py" "$@"; }

"$FIXTURES/fix_dlopen" >"$tap_tmpdir/dl" &
spawn_register $!
wait_for 10 grep -q '^lib ' "$tap_tmpdir/dl" || bail "fix_dlopen did not start"
pid=$(head -n 1 "$tap_tmpdir/dl")
libs=$(sed -n 's/^lib //p' "$tap_tmpdir/dl")
[ "$(echo "$libs" | wc -l)" -ge 2 ] || bail "fix_dlopen loaded too little"
check "each dlopened library is one group with all its segments" \
	check_maps libs "$pid" $libs
check "fix_dlopen: categories add up" check_maps invariants "$pid"

"$VMTOP" -b -n 1 -m -p "$pid" >"$tap_tmpdir/text"
missing=""
for lib in $libs; do
	grep -qF "    $lib " "$tap_tmpdir/text" || missing="$missing $lib"
done
is "$missing" "" "text tree: one line per dlopened library"
# the largest is libc, or a sanitizer's runtime in a sanitized build
grep -q '^  - [0-9]* shared libraries map .*, largest .*\(libc\.so\.6\|libasan\)' \
	"$tap_tmpdir/text"
ok $? "text tree ends with the library insight"

# libc's bss (its last PT_LOAD's p_memsz past p_filesz, page-rounded, as
# readelf reads the headers) is an anonymous region in libc's group, at
# every refresh (the later ones keep the first read's record of libc)
if command -v readelf >/dev/null; then
	"$VMTOP" -b -n 3 -d 0.2 -m -J -p "$pid" >"$tap_tmpdir/dl.json"
	libc=$(awk '$6 ~ /\/libc\.so\.6$/ { print $6; exit }' \
		"/proc/$pid/maps")
	load=$(readelf -lW "$libc" | awk '$1 == "LOAD"' | tail -n 1)
	got=$(python3 - "$tap_tmpdir/dl.json" "$libc" "$load" <<'PY'
import json, sys
lib, load = sys.argv[2], sys.argv[3].split()
vaddr, filesz, memsz = (int(x, 16) for x in (load[2], load[4], load[5]))
up = lambda x: (x + 4095) & ~4095
want = up(vaddr + memsz) - up(vaddr + filesz)
seen = set()
for line in open(sys.argv[1]):
    d = json.loads(line)
    for c in d["processes"][0]["maps"]["categories"]:
        for g in c["groups"]:
            if g["name"] != lib:
                continue
            anon = [r for r in g["regions"] if r["inode"] == 0]
            got = sum(int(r["end"], 16) - int(r["start"], 16) for r in anon)
            seen.add((c["kind"], got))
# one answer for the three refreshes
kind, got = seen.pop() if len(seen) == 1 else ("differs", 0)
print("%s %d %d" % (kind, got, want))
PY
)
	set -- $got
	ok "$([ "$1" = library ] && [ "$2" -gt 0 ] && [ "$2" = "$3" ] &&
	      echo 0 || echo 1)" \
		"libc's bss is in its group at each of 3 refreshes: $2 bytes, readelf says $3"
else
	echo "ok $((tap_n + 1)) # SKIP readelf is not installed"
	tap_n=$((tap_n + 1))
fi

"$FIXTURES/fix_nss" systemd >"$tap_tmpdir/nss" &
spawn_register $!
wait_for 10 grep -q . "$tap_tmpdir/nss" || bail "fix_nss did not start"
pid=$(head -n 1 "$tap_tmpdir/nss")
module=$(sed -n 's/^module //p' "$tap_tmpdir/nss")
if [ -n "$module" ]; then
	check "the NSS module $module is tagged dns" \
		check_maps dns "$pid" "$module"
else
	# libnss_systemd.so.2 comes with Debian's libnss-systemd package
	echo "ok $((tap_n + 1)) # SKIP libnss_systemd.so.2 is not installed"
	tap_n=$((tap_n + 1))
fi
check "fix_nss: categories add up" check_maps invariants "$pid"

done_testing
