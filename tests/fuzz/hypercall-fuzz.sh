#!/usr/bin/env bash
# Short libFuzzer run of the hypercall-dispatcher harness (part of make check): fuzzed
# hypercall numbers, sub-ops, arguments and guest memory, from 64- and 32-bit code; the
# VMM must never crash. HYPERCALL_FUZZ_SECONDS sets the time (default 10).
set -u
: "${TESTBIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/tests}"
secs=${HYPERCALL_FUZZ_SECONDS:-10}
bin=$TESTBIN/fuzz/hypercall_fuzz
work=$(mktemp -d /tmp/hypercall-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$bin" ]; then
	echo "SKIP hypercall_fuzz: not built (needs clang with libFuzzer: Debian clang, libclang-rt-14-dev)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
# Seeds: random bytes (the harness reads any input as steps).
mkdir -p "$work/corpus"
head -c 400 /dev/urandom >"$work/corpus/random"
if (cd "$work" && timeout $((secs + 60)) "$bin" -max_total_time="$secs" -max_len=1024 \
	-rss_limit_mb=1024 -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1); then
	echo "PASS hypercall_fuzz: $(grep -E 'stat::number_of_executed_units' "$work/log" |
		awk '{print $2}') inputs in ${secs}s, no crash"
	echo "1 passed, 0 failed, 0 skipped"
else
	echo "FAIL hypercall_fuzz:"
	grep -E -A20 'ERROR|runtime error' "$work/log" | head -40
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
