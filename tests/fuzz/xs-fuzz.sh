#!/usr/bin/env bash
# Short libFuzzer runs of the xenstored harnesses (part of make check): the message
# decoder and random operation sequences, each checked against the store invariants.
# and a hostile guest ring. XS_FUZZ_SECONDS sets the time per harness (default 15).
set -u
: "${TESTBIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/tests}"
secs=${XS_FUZZ_SECONDS:-15}
pass=0 fail=0 skip=0
work=$(mktemp -d /tmp/xs-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Seeds: well-formed requests as xs_wire.h frames them (type, req_id, tx_id, len).
msg() { # msg TYPE TX PAYLOAD(printf format)
	local body
	body=$(printf "$3" | od -An -tx1 | tr -d ' \n')
	printf "$(printf '\\x%02x\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x%02x\\x00\\x00\\x00\\x%02x\\x00\\x00\\x00' \
		"$1" "$2" $((${#body} / 2)))"
	printf "$3"
}
mkdir -p "$work/msg" "$work/ops" "$work/ring"
{ printf '\x00'; msg 11 0 '/a/b\0v'; msg 2 0 '/a/b\0'; msg 1 0 '/a\0'; } >"$work/msg/write-read"
{ printf '\x00'; msg 6 0 '\0'; msg 11 1 '/t/x\0v'; msg 7 1 'T\0'; } >"$work/msg/transaction"
{ printf '\x00'; msg 4 0 '/w\0tok\0'; msg 13 0 '/w\0'; msg 14 0 '/w\0b0\0r1\0'; } >"$work/msg/watch-perms"
{ printf '\x05'; msg 11 0 'rel/x\0v'; msg 21 0 '/\0'"0"'\0'; } >"$work/msg/guest"
head -c 600 /dev/urandom >"$work/ops/random"
# Ring steps: "produce" (0) a READ request as a guest, then consume (5) the reply.
{ printf '\x00\x12\x00\x00\x00'; msg 2 0 'x\0'; printf '\x05\x00\x00\x00\x00'; } >"$work/ring/read"

for h in msg ops ring; do
	bin=$TESTBIN/fuzz/xs_fuzz_$h
	if [ ! -x "$bin" ]; then
		echo "SKIP xs_fuzz_$h: not built (needs clang with libFuzzer: Debian clang, libclang-rt-14-dev)"
		skip=$((skip + 1))
		continue
	fi
	if timeout $((secs + 60)) "$bin" -max_total_time="$secs" $([ $h = ops ] && echo "-max_len=1200 -len_control=0" || echo -max_len=8192) -rss_limit_mb=1024 \
		-print_final_stats=1 "$work/$h" >"$work/$h.log" 2>&1; then
		echo "PASS xs_fuzz_$h: $(grep -E 'stat::number_of_executed_units' "$work/$h.log" | awk '{print $2}') inputs in ${secs}s, no crash, invariants held"
		pass=$((pass + 1))
	else
		echo "FAIL xs_fuzz_$h:"
		grep -E -A20 'ERROR|invariant|runtime error' "$work/$h.log" | head -40
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
