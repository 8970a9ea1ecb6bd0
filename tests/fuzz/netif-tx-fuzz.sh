#!/usr/bin/env bash
# Short libFuzzer run of the vif's tx packet parser and header walker (part of make
# check): any ring slots, any frame; accepted packets must stay inside io/netif.h's rules.
# NETIF_FUZZ_SECONDS sets the time (default 10).
set -u
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Seeds (a flags byte: GSO v4/v6 offered, then 12-byte slots gref, offset, flags, id,
# size): a 3-slot packet of 9000 bytes; a GSO packet with its extra-info slot.
{
	printf '\x03'
	printf '\x01\x00\x00\x00\xd0\x07\x05\x00\x00\x00\x28\x23'
	printf '\x02\x00\x00\x00\x00\x00\x04\x00\x01\x00\x00\x10'
	printf '\x03\x00\x00\x00\x0a\x00\x00\x00\x02\x00\xf8\x0a'
} >"$seeds/chain"
{
	printf '\x03'
	printf '\x01\x00\x00\x00\x00\x00\x09\x00\x00\x00\xb8\x0b'
	printf '\x01\x00\xa8\x05\x01\x00\x00\x00\x00\x00\x00\x00'
} >"$seeds/gso"
"$(dirname "$0")/libfuzzer-run" netif_tx_fuzz "${NETIF_FUZZ_SECONDS:-10}" \
	"accepted packets inside io/netif.h's rules" "$seeds"/*
