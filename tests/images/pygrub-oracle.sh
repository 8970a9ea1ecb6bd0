#!/usr/bin/env bash
# The real-pygrub oracle: Debian's pygrub (xen-utils-4.17, unpacked by `make deps` under
# build/host/xen, with libxenfsimage and its ext2fs-lib plugin from libxenmisc4.17) and
# build/bin/pygrub run on every image of tests/images/mkimages and a few bad ones, for the
# default entry and each --entry=N; the outcome (booted or refused), the kernel and
# ramdisk bytes extracted and the arguments are compared. Every disagreement must be
# listed in pygrub-deviations (IMAGE CASE FIELD and why the image's own bootloader
# chooses as the side it names does); an unlisted disagreement fails, and so does a listed
# one that no longer happens (the list stays true). No KVM, no Xen: about 10 s.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BIN:=$root/build/bin}"
xen=${PYGRUB_ORACLE_XEN:-$root/build/host/xen/usr/lib/xen-4.17}
deviations=$root/tests/images/pygrub-deviations
work=$(mktemp -d /tmp/pygrub-oracle.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

skip() {
	echo "SKIP pygrub-oracle: $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 (Debian's pygrub is a python3 script)"
[ -f "$xen/bin/pygrub" ] || skip "Debian's pygrub is not unpacked at $xen/bin/pygrub (make deps)"
PYTHONPATH=$xen/lib/python /usr/bin/python3 -c 'import xenfsimage' 2>/dev/null ||
	skip "Debian's pygrub cannot load xenfsimage (libxenfsimage from libxenmisc4.17: make deps)"
[ -e /usr/lib/xen-4.17/lib/x86_64-linux-gnu/xenfsimage/ext2fs-lib/fsimage.so ] ||
	skip "libxenfsimage's ext2fs-lib plugin is not installed (libxenmisc4.17: make deps)"
"$root/tests/images/mkimages" "$work/img" >"$work/mkimages.log" 2>&1 ||
	skip "tests/images/mkimages failed (mke2fs, sfdisk: make deps): $(tail -n 3 "$work/mkimages.log")"

# Bad images beside mkimages' own bad-paths: no table nor filesystem; a table whose
# partition runs past the end (debian-mbr cut short).
head -c 1048576 /dev/zero >"$work/img/zero.img"
head -c 2097152 "$work/img/debian-mbr.img" >"$work/img/truncated.img"

# outcome SIDE IMAGE CASE ARGS...: "ok KERNEL-SHA RAMDISK-SHA" and the args line, or "refused".
outcome() {
	local side=$1 img=$2 case=$3 d ans k r
	shift 3
	d=$work/run/$side-$img-$case
	mkdir -p "$d"
	if [ "$side" = real ]; then
		PYTHONPATH=$xen/lib/python /usr/bin/python3 "$xen/bin/pygrub" -q --output-format=simple0 \
			--output-directory="$d" "$@" "$work/img/$img.img" >"$d.ans" 2>"$d.err"
	else
		"$BIN/pygrub" -q --output-format=simple0 --output-directory="$d" "$@" \
			"$work/img/$img.img" >"$d.ans" 2>"$d.err"
	fi
	if [ $? -ne 0 ]; then
		echo refused
		return
	fi
	ans=$(tr '\0' '\n' <"$d.ans")
	k=$(sed -n 's/^kernel //p' <<<"$ans")
	r=$(sed -n 's/^ramdisk //p' <<<"$ans")
	echo "ok $(sha256sum <"$k" | cut -c1-16) $([ -n "$r" ] && sha256sum <"$r" | cut -c1-16 || echo none)"
	echo "args=$(sed -n 's/^args //p' <<<"$ans")"
}

# listed IMAGE CASE FIELD: the deviations file's line for this disagreement (CASE may be a
# glob): its key, a tab, its reason; status 1 when none.
listed() {
	local img case field reason
	while read -r img case field reason; do
		[[ $img == \#* || -z $img ]] && continue
		if [ "$img" = "$1" ] && [[ $2 == $case ]] && [ "$field" = "$3" ]; then
			printf '%s %s %s\t%s\n' "$img" "$case" "$field" "$reason"
			return 0
		fi
	done <"$deviations"
	return 1
}

declare -A used
compare() {
	local img=$1 case=$2 a b field why line differed=
	shift 2
	a=$(outcome real "$img" "$case" "$@")
	b=$(outcome ours "$img" "$case" "$@")
	for field in outcome kernel ramdisk args; do
		case $field in
		outcome) [ "${a%% *}" = "${b%% *}" ] && continue ;;
		kernel) [ "${a%% *}" = ok ] && [ "${b%% *}" = ok ] || continue
			[ "$(head -n1 <<<"$a" | cut -d' ' -f2)" = "$(head -n1 <<<"$b" | cut -d' ' -f2)" ] && continue ;;
		ramdisk) [ "${a%% *}" = ok ] && [ "${b%% *}" = ok ] || continue
			[ "$(head -n1 <<<"$a" | cut -d' ' -f3)" = "$(head -n1 <<<"$b" | cut -d' ' -f3)" ] && continue ;;
		args) [ "$(sed -n 2p <<<"$a")" = "$(sed -n 2p <<<"$b")" ] && continue ;;
		esac
		differed=1
		if line=$(listed "$img" "$case" "$field"); then
			used["${line%%$'\t'*}"]=1
			echo "PASS $img $case: $field differs, as listed: ${line#*$'\t'}"
			pass=$((pass + 1))
		else
			why="Debian's pygrub: $(tr '\n' ' ' <<<"$a")| ours: $(tr '\n' ' ' <<<"$b")"
			echo "FAIL $img $case: $field differs and is not in pygrub-deviations: $why"
			fail=$((fail + 1))
		fi
		[ "$field" = outcome ] && return
	done
	[ -n "$differed" ] && return
	echo "PASS $img $case: the same ($(head -n1 <<<"$a" | cut -d' ' -f1))"
	pass=$((pass + 1))
}

for img in debian-mbr centos-gpt amazon-whole ext-logical centos-bls bad-paths zero truncated; do
	compare "$img" default
	entries=$("$BIN/pygrub" -l "$work/img/$img.img" 2>/dev/null | grep -c '^title: ')
	for ((n = 0; n < entries; n++)); do
		compare "$img" "entry=$n" --entry=$n
	done
done

# A listed deviation that did not happen is stale: the list must stay true.
while read -r img case field reason; do
	[[ $img == \#* || -z $img ]] && continue
	if [ -z "${used["$img $case $field"]:-}" ]; then
		echo "FAIL pygrub-deviations lists '$img $case $field', which no longer differs"
		fail=$((fail + 1))
	fi
done <"$deviations"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
