#!/usr/bin/env bash
# Short libFuzzer run of the grant-table harness (part of make check): hostile entries,
# frame moves and GNTTABOP_* from the guest interleaved with backend maps and copies;
# flags and mappings are checked after every step. GNTTAB_FUZZ_SECONDS sets the time
# (default 10).
set -u
: "${TESTBIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/tests}"
secs=${GNTTAB_FUZZ_SECONDS:-10}
bin=$TESTBIN/fuzz/gnttab_fuzz
work=$(mktemp -d /tmp/gnttab-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$bin" ]; then
	echo "SKIP gnttab_fuzz: not built (needs clang with libFuzzer: Debian clang, libclang-rt-14-dev)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
# Seeds: map, copy and unmap of an entry written first; a frame move; a guest copy.
mkdir -p "$work/corpus"
printf '\x00\x08\x00\x01\x00\x00\x00\x06\x00\x08\x00\x01\x00\x00\x00\x00\x00\x00\x07\x00' \
	>"$work/corpus/map-unmap"
printf '\x01\x00\x00\x00\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
	>"$work/corpus/move-frame"
head -c 400 /dev/urandom >"$work/corpus/random"
if (cd "$work" && timeout $((secs + 60)) "$bin" -max_total_time="$secs" -max_len=1024 \
	-rss_limit_mb=1024 -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1); then
	echo "PASS gnttab_fuzz: $(grep -E 'stat::number_of_executed_units' "$work/log" |
		awk '{print $2}') inputs in ${secs}s, no crash, flags and mappings held"
	echo "1 passed, 0 failed, 0 skipped"
else
	echo "FAIL gnttab_fuzz:"
	grep -E -A20 'ERROR|runtime error' "$work/log" | head -40
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
