#!/usr/bin/env bash
# Short libFuzzer run of the grant-table harness (part of make check): hostile entries,
# frame moves and GNTTABOP_* from the guest interleaved with backend maps and copies;
# flags and mappings are checked after every step. GNTTAB_FUZZ_SECONDS sets the time
# (default 10).
set -u
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Seeds: map, copy and unmap of an entry written first; a frame move; a guest copy.
printf '\x00\x08\x00\x01\x00\x00\x00\x06\x00\x08\x00\x01\x00\x00\x00\x00\x00\x00\x07\x00' \
	>"$seeds/map-unmap"
printf '\x01\x00\x00\x00\x01\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' \
	>"$seeds/move-frame"
"$(dirname "$0")/libfuzzer-run" gnttab_fuzz "${GNTTAB_FUZZ_SECONDS:-10}" \
	"flags and mappings held" "$seeds"/*
