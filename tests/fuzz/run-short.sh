#!/bin/sh
# run-short.sh: build every libFuzzer target with clang and run each one
# briefly; for CI.  Exits non-zero when a build fails or a target finds a
# crash, a leak or a timeout (the reproducer is left in the build dir).
#
#   tests/fuzz/run-short.sh [SECONDS [BUILD_DIR]]
#
# SECONDS per target (default 30); BUILD_DIR defaults to ./build-fuzz
# under the current directory.  Each target starts from its seed corpus
# tests/fuzz/corpus/NAME (copied: new inputs stay in BUILD_DIR) and uses
# tests/fuzz/NAME.dict when there is one.
set -eu
secs=${1:-30}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$PWD/build-fuzz}

command -v clang >/dev/null 2>&1 || { echo "run-short: clang is needed" >&2; exit 1; }
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi)
mkdir -p "$build"
build=$(cd "$build" && pwd)
cd "$build"
if [ ! -f Makefile ]; then
	"$src/configure" --enable-fuzzing CC=clang \
		CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" >configure.log 2>&1 ||
		{ tail -20 configure.log >&2; exit 1; }
fi
targets=$(cd "$src/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
for t in $targets; do
	make -j"$(nproc)" "tests/fuzz/$t" >"make-$t.log" 2>&1 ||
		{ tail -30 "make-$t.log" >&2; echo "run-short: $t: build failed" >&2; exit 1; }
done

status=0
for t in $targets; do
	name=${t#fuzz_}
	corpus="$build/corpus/$name"
	mkdir -p "$corpus" "$build/artifacts/$name"
	[ -d "$src/tests/fuzz/corpus/$name" ] &&
		cp -n "$src/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || :
	dict=""
	[ -f "$src/tests/fuzz/$name.dict" ] && dict="-dict=$src/tests/fuzz/$name.dict"
	echo "run-short: $t for ${secs}s"
	# shellcheck disable=SC2086
	if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		"tests/fuzz/$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=1024 -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name/" $dict "$corpus" \
		>"fuzz-$t.log" 2>&1; then
		grep -E '^stat::number_of_executed_units' "fuzz-$t.log" || :
	else
		status=1
		tail -40 "fuzz-$t.log" >&2
		echo "run-short: $t FAILED; reproducer in $build/artifacts/$name/" >&2
	fi
done
exit $status
