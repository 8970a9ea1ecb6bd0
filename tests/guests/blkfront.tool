#!/usr/bin/env bash
# Host side of the blkfront guest test.
#   blkfront.tool --disks: makes a 1 MiB image (64 KiB of the host's pattern at 512 KiB
#     and at 768 KiB) and, next to it, the bytes the guest's writes must leave at 0 and
#     128 KiB; prints the xenkvm options: xvda read-write, xvdb read-only (the same file).
#   blkfront.tool (run by run-guests with XENSTORED_PATH and DOMID): once the guest wrote
#     data/guest-done, checks the image with cmp and stat (quick under the test host's TCG,
#     where a guest has 10 s in all): the guest's patterns, the host's bytes unchanged,
#     zeroes and 64 KiB fewer allocated blocks where the guest discarded; answers ok or
#     what differed in data/host-verdict, then removes the files.
# The patterns are tests/guests/blkfront.c's guest_byte() and host_byte().
set -u
if [ "${1:-}" = --disks ]; then
	img=$(mktemp /tmp/blkfront.XXXXXX.img)
	python3 - "$img" <<'PY'
import sys
img = bytearray(1 << 20)
for base in (512 * 1024, 768 * 1024):
    for o in range(base, base + 65536):
        img[o] = (o * 13 + 0x33) & 0xff
open(sys.argv[1], "wb").write(img)
def guest(lo, n):
    return bytes((o * 7 + (o >> 12) + 0x5a) & 0xff for o in range(lo, lo + n))
open(sys.argv[1] + ".guest", "wb").write(guest(0, 32768))
open(sys.argv[1] + ".indirect", "wb").write(guest(131072, 65536))
open(sys.argv[1] + ".host", "wb").write(img[524288:524288 + 65536])
PY
	stat -c %b "$img" >"$img.blocks"
	echo "--disk vdev=xvda,access=rw,target=$img --disk vdev=xvdb,access=ro,target=$img"
	exit 0
fi
p=/local/domain/$DOMID
# The backend's params ("aio:PATH", as libxl writes it), once xenkvm has written it.
for _ in $(seq 1 500); do
	params=$(xenstore-read "/local/domain/0/backend/vbd/$DOMID/51712/params" 2>/dev/null) &&
		break
	sleep 0.01
done
img=${params#aio:}
for _ in $(seq 1 1500); do
	xenstore-read "$p/data/guest-done" >/dev/null 2>&1 && break
	sleep 0.01
done
problems=()
cmp -s -n 32768 "$img" "$img.guest" || problems+=("guest write differs")
cmp -s -n 65536 -i 131072:0 "$img" "$img.indirect" || problems+=("indirect write differs")
cmp -s -n 65536 -i 524288:0 "$img" "$img.host" || problems+=("host bytes changed")
cmp -s -n 65536 -i 786432:0 "$img" /dev/zero || problems+=("discarded range not zero")
[ "$(stat -c %b "$img")" -le $(($(cat "$img.blocks") - 128)) ] ||
	problems+=("no hole where the guest discarded ($(stat -c %b "$img") blocks)")
verdict=ok
[ ${#problems[@]} -gt 0 ] && verdict=$(IFS=';' && echo "${problems[*]}")
xenstore-write "$p/data/host-verdict" "$verdict"
echo "blkfront.tool: $verdict"
# The read-only disk still has the file open; the names can go.
rm -f "$img" "$img.guest" "$img.indirect" "$img.host" "$img.blocks"
