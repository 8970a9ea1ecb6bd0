#!/usr/bin/env bash
# Short libFuzzer run of the hypercall-dispatcher harness (part of make check): fuzzed
# hypercall numbers, sub-ops, arguments and guest memory, from 64- and 32-bit code; the
# VMM must never crash. HYPERCALL_FUZZ_SECONDS sets the time (default 10).
exec "$(dirname "$0")/libfuzzer-run" hypercall_fuzz "${HYPERCALL_FUZZ_SECONDS:-10}" \
	"the VMM answered every call"
