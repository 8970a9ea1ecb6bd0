#!/usr/bin/env bash
# Short libFuzzer run of the xl.cfg parser and typed config (tests/fuzz/cfg_fuzz.c), seeded
# with the example configs of docs/examples and a few device specs. CFG_FUZZ_SECONDS sets
# the time (default 10).
set -u
here=$(cd "$(dirname "$0")" && pwd)
seeds=$(mktemp -d /tmp/cfg-fuzz-seeds.XXXXXX)
trap 'rm -rf "$seeds"' EXIT
printf 'name = "s"\ntype = "pvh"\nkernel = "/k"\nmemory = 0x80\nvcpus = 2\ncpus = "0-3,^1"\ndisk = [ "file:/x,xvda,w", "format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/i.iso" ]\nvif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0,rate=1MB/s@20ms" ]\nextra = "a"\nextra += " b"\non_crash = "preserve"\n' >"$seeds/full.cfg"
printf 'a = [ [ 1, [ "x\\n" ] ], ]; b = 010 # c\n' >"$seeds/nested.cfg"
printf "<domain type='xen'><name>f</name><vcpu current='1'>2</vcpu><os><type>xenpvh</type><kernel>/k</kernel></os><devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/x'/><target dev='xvda'/></disk><interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='b'/></interface></devices></domain>" >"$seeds/domain.xml"
printf 'iscsi:iqn.2001-05.com.example:0-8a,xvda,w' >"$seeds/disk"
printf 'rate=10Mb/s@250us,mac=00:16:3E:74:3d:76' >"$seeds/vif"
for f in "$here"/../../docs/examples/*.cfg; do
	[ -f "$f" ] && cp "$f" "$seeds/"
done
exec "$here/libfuzzer-run" cfg_fuzz "${CFG_FUZZ_SECONDS:-10}" \
	"the parser, the typed config and the device-spec parsers held" "$seeds"/*
