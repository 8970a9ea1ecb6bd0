#!/usr/bin/env bash
# Short libFuzzer run of the FIFO event-channel harness (part of make check): hostile
# event words and control blocks, a guest consuming its queues, any EVTCHNOP, events
# raised by the VMM; tails and the pages around the registered ones are checked after
# every step. EVTCHN_FUZZ_SECONDS sets the time (default 10).
set -u
: "${TESTBIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/tests}"
secs=${EVTCHN_FUZZ_SECONDS:-10}
bin=$TESTBIN/fuzz/evtchn_fifo_fuzz
work=$(mktemp -d /tmp/evtchn-fifo-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$bin" ]; then
	echo "SKIP evtchn_fifo_fuzz: not built (needs clang with libFuzzer: Debian clang, libclang-rt-14-dev)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
# Seeds, in the harness's encoding (op byte, command byte, 64 argument bytes): a FIFO setup
# by init_control (control page), expand_array, bind_ipi, a guest word unmasked, a send.
mkdir -p "$work/corpus"
seed() { printf "$1"; head -c "$2" /dev/zero; }
{
	seed '\x03\x0a\x02' 63
	seed '\x03\x0b' 64
	seed '\x03\x02' 64
	seed '\x00\x01\x00\x00\x00\x00\x00' 0
	seed '\x03\x05\x01' 63
} >"$work/corpus/bind-send"
head -c 400 /dev/urandom >"$work/corpus/random"
if (cd "$work" && timeout $((secs + 60)) "$bin" -max_total_time="$secs" -max_len=1024 \
	-rss_limit_mb=1024 -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1); then
	echo "PASS evtchn_fifo_fuzz: $(grep -E 'stat::number_of_executed_units' "$work/log" |
		awk '{print $2}') inputs in ${secs}s, no crash, tails and neighbouring pages held"
	echo "1 passed, 0 failed, 0 skipped"
else
	echo "FAIL evtchn_fifo_fuzz:"
	grep -E -A20 'ERROR|runtime error' "$work/log" | head -40
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
