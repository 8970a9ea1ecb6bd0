#!/usr/bin/env bash
# Short libFuzzer run of the FIFO event-channel harness (part of make check): hostile
# event words and control blocks, a guest consuming its queues, any EVTCHNOP, events
# raised by the VMM; tails and the pages around the registered ones are checked after
# every step. EVTCHN_FUZZ_SECONDS sets the time (default 10).
set -u
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Seeds, in the harness's encoding (op byte, command byte, 64 argument bytes): a FIFO setup
# by init_control (control page), expand_array, bind_ipi, a guest word unmasked, a send.
seed() { printf "$1"; head -c "$2" /dev/zero; }
{
	seed '\x03\x0a\x02' 63
	seed '\x03\x0b' 64
	seed '\x03\x02' 64
	seed '\x00\x01\x00\x00\x00\x00\x00' 0
	seed '\x03\x05\x01' 63
} >"$seeds/bind-send"
"$(dirname "$0")/libfuzzer-run" evtchn_fifo_fuzz "${EVTCHN_FUZZ_SECONDS:-10}" \
	"tails and neighbouring pages held" "$seeds"/*
