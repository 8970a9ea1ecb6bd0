#!/usr/bin/env bash
# xl create with bootloader = "pygrub": the entries listed as pygrub -l lists them, the
# default entry's (or --entry's) kernel, initrd and command line handed to xenkvm, and the
# refusals (no image, bad entry, a kernel that is not Xen's, a qcow2 disk). Images from
# tests/images/mkimages; expectations from each image's .expect file (what its menu says)
# and from pygrub's behaviour (tools/pygrub/src/pygrub in Xen 4.17: --entry, --args
# appended to the entry's arguments). xenkvm is replaced by a recorder (XENKVM_BIN), so
# this suite needs no KVM: the boot itself is the real-guest suites' business.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BIN:=$root/build/bin}"
xl=$BIN/xl
work=$(mktemp -d /tmp/xl-pygrub.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XENKVM_RUN_DIR=$work/run
pass=0 fail=0 skip=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
expect_val() { sed -n "s/^$2=//p" "$work/img/$1.expect"; }

# expect NAME STATUS OUTPUT-REGEX CMD...: the status and a match in stdout+stderr.
expect() {
	local name=$1 want=$2 re=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name" "status $rc, expected $want; output: $(head -c 400 <<<"$out")"
	elif ! grep -Eq -- "$re" <<<"$out"; then
		bad "$name" "output does not match /$re/: $(head -c 400 <<<"$out")"
	else
		ok "$name"
	fi
}

# cfg NAME IMAGE [EXTRA-LINES]: a domain config booting IMAGE through pygrub.
cfg() {
	printf 'name = "%s"\ntype = "pvh"\nmemory = 256\nbootloader = "pygrub"\n' "$1" >"$work/$1.cfg"
	printf 'disk = [ "%s,raw,xvda,w" ]\n%s\n' "$2" "${3:-}" >>"$work/$1.cfg"
	echo "$work/$1.cfg"
}

kernels=
[ -d "$root/build/host/kernels/6.1/boot" ] && kernels=$root/build/host/kernels
if ! "$root/tests/images/mkimages" "$work/img" $kernels >"$work/mkimages.log" 2>&1; then
	echo "SKIP xl-pygrub: tests/images/mkimages failed (mke2fs, sfdisk: make deps): $(tail -n 3 "$work/mkimages.log")"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

# Listing: every entry of Debian's menu, the default (saved_entry in a submenu) marked.
title=$(expect_val debian-mbr title)
expect list-debian 0 "title: ${title//[()+]/.} \(default\)" \
	"$BIN/xl" create -q "$(cfg list "$work/img/debian-mbr.img" 'bootloader_args = [ "-l" ]')"
expect list-legacy 0 '^  root: partition 0$' \
	"$BIN/xl" create -q "$(cfg leg "$work/img/amazon-whole.img" 'bootloader_args = [ "--list-entries" ]')"

# Refusals, each naming what is wrong.
expect no-disk 1 'reads the first disk' "$BIN/xl" create -q "$(cfg nod '' | tee /dev/null)" \
	2>/dev/null
printf 'name = "q"\ntype = "pvh"\nbootloader = "pygrub"\ndisk = [ "format=qcow2,vdev=xvda,target=%s" ]\n' \
	"$work/img/debian-mbr.img" >"$work/q.cfg"
expect qcow2 1 'is qcow2; the bootloader reads raw images' "$BIN/xl" create -q "$work/q.cfg"
expect bad-entry 1 'entry 9: the menu has entries 0-3' \
	"$BIN/xl" create -q "$(cfg be "$work/img/debian-mbr.img" 'bootloader_args = [ "--entry=9" ]')"
expect bad-option 1 "\`--kernel=/x' is not supported" \
	"$BIN/xl" create -q "$(cfg bo "$work/img/debian-mbr.img" 'bootloader_args = [ "--kernel=/x" ]')"
expect outside 1 'leaves the filesystem' \
	"$BIN/xl" create -q "$(cfg out "$work/img/bad-paths.img" 'bootloader_args = [ "--entry=outside" ]')"
head -c 1048576 /dev/zero >"$work/zero.img"
expect no-table 1 'no partition table \(MBR or GPT\)' \
	"$BIN/xl" create -q "$(cfg zero "$work/zero.img")"
# The image is read by a confined child (toolstack/image/reader.h): a damaged image is
# the reader's refusal, reported by xl, which exits with 1 (not a signal).
head -c 2097152 "$work/img/debian-mbr.img" >"$work/truncated.img"
expect truncated 1 'xl: bootloader: .*truncated.img: .*extends past the end of the image' \
	"$BIN/xl" create -q "$(cfg trunc "$work/truncated.img")"
expect bad-runas 1 "runas value must be an integer user id" \
	"$BIN/xl" create -q "$(cfg ra "$work/img/debian-mbr.img" 'bootloader_args = [ "--runas=bob" ]')"
expect not-a-kernel 1 'kernel: not an ELF file nor a Linux bzImage' \
	"$BIN/xl" create -q "$(cfg nk "$work/img/bad-paths.img" 'bootloader_args = [ "--entry=up" ]')"

# The hand-over, with Debian's kernels in the images: what xenkvm is started with.
if [ -z "$kernels" ]; then
	echo "SKIP hand-over: Debian's kernels are not unpacked under build/host/kernels (make deps)"
	skip=$((skip + 1))
else
	cat >"$work/xenkvm" <<'REC'
#!/usr/bin/env bash
# Records what xl started: the bytes behind --kernel and each --module, then the
# arguments (last: their file's presence means the record is whole).
out=$XL_PYGRUB_RECORD
args=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) sha256sum <"$2" | cut -d' ' -f1 >"$out.kernel" ;;
	--module)
		sha256sum <"$2" | cut -d' ' -f1 >>"$out.modules"
		head -n 1 "$out.modules" >"$out.ramdisk"
		;;
	esac
	shift
done
printf '%s\n' "${args[@]}" >"$out.args.tmp"
mv "$out.args.tmp" "$out.args"
exit 0
REC
	chmod +x "$work/xenkvm"
	export XENKVM_BIN=$work/xenkvm
	for img in debian-mbr centos-gpt amazon-whole ext-logical; do
		export XL_PYGRUB_RECORD=$work/rec-$img
		rm -f "$XL_PYGRUB_RECORD".*
		out=$("$BIN/xl" create "$(cfg "h$img" "$work/img/$img.img" 'extra = "xenkvm.test=1"')" 2>&1)
		rc=$? why=
		for _ in $(seq 50); do [ -f "$XL_PYGRUB_RECORD.args" ] && break; sleep 0.1; done
		sleep 0.2
		want_k=$(sha256sum <"$(expect_val $img kernel_file)" | cut -d' ' -f1)
		want_i=$(sha256sum <"$(expect_val $img initrd_file)" | cut -d' ' -f1)
		want_c="$(expect_val $img cmdline) xenkvm.test=1"
		[ "$rc" -eq 0 ] || why="status $rc: $(head -c 300 <<<"$out")"
		[ "$(cat "$XL_PYGRUB_RECORD.kernel" 2>/dev/null)" = "$want_k" ] || why+="${why:+; }kernel bytes differ"
		[ "$(cat "$XL_PYGRUB_RECORD.ramdisk" 2>/dev/null)" = "$want_i" ] || why+="${why:+; }initrd bytes differ"
		grep -qxF -- "$want_c" "$XL_PYGRUB_RECORD.args" 2>/dev/null || why+="${why:+; }cmdline is not '$want_c'"
		grep -qF "entry \"$(expect_val $img title)\"" <<<"$out" || why+="${why:+; }no 'Using ... entry' line"
		if [ -z "$why" ]; then ok "hand-over-$img"; else bad "hand-over-$img" "$why"; fi
	done
	# --entry by title and --args replacing the config's extra, as pygrub's --args does.
	export XL_PYGRUB_RECORD=$work/rec-entry
	"$BIN/xl" create -q "$(cfg hentry "$work/img/debian-mbr.img" 'bootloader_args = [ "--entry=Debian GNU/Linux", "--args=single" ]')" >/dev/null 2>&1
	for _ in $(seq 50); do [ -f "$XL_PYGRUB_RECORD.args" ] && break; sleep 0.1; done
	if grep -qx -- 'root=UUID=.* ro console=hvc0 quiet single' "$XL_PYGRUB_RECORD.args" 2>/dev/null &&
		[ "$(cat "$XL_PYGRUB_RECORD.kernel")" = "$(sha256sum <"$work/img/stage-debian-mbr/boot/vmlinuz-$(basename "$kernels"/6.12/boot/vmlinuz-* | sed 's/^vmlinuz-//')" | cut -d' ' -f1)" ]; then
		ok hand-over-entry-args
	else
		bad hand-over-entry-args "$(cat "$XL_PYGRUB_RECORD.args" 2>/dev/null | tr '\n' ' ')"
	fi
	# pvshim = 1: the shim is the kernel, the PV kernel and its initrd its modules, the
	# guest's command line after " -- " (libxl's pvshim, QEMU's -kernel xen -initrd).
	printf 'fake shim\n' >"$work/xen-shim"
	touch "$work/xenstored.socket"
	export XL_PYGRUB_RECORD=$work/rec-shim XENKVM_PVSHIM=$work/xen-shim
	export XENSTORED_PATH=$work/xenstored.socket
	"$BIN/xl" create -q "$(cfg hshim "$work/img/amazon-whole.img" 'pvshim = 1
extra = "xenkvm.test=1"')" >"$work/shim.out" 2>&1
	for _ in $(seq 50); do [ -f "$XL_PYGRUB_RECORD.args" ] && break; sleep 0.1; done
	sleep 0.2
	why=
	[ "$(cat "$XL_PYGRUB_RECORD.kernel" 2>/dev/null)" = "$(sha256sum <"$work/xen-shim" | cut -d' ' -f1)" ] ||
		why="the kernel is not the shim"
	[ "$(cat "$XL_PYGRUB_RECORD.modules" 2>/dev/null | tr '\n' ' ')" = \
		"$(sha256sum <"$(expect_val amazon-whole kernel_file)" | cut -d' ' -f1) $(sha256sum <"$(expect_val amazon-whole initrd_file)" | cut -d' ' -f1) " ] ||
		why+="${why:+; }modules are not the PV kernel then its initrd"
	grep -qxF -- "pv-shim console=xen acpi=off -- $(expect_val amazon-whole cmdline) xenkvm.test=1" \
		"$XL_PYGRUB_RECORD.args" 2>/dev/null || why+="${why:+; }shim cmdline: $(grep -- -- "$XL_PYGRUB_RECORD.args" 2>/dev/null)"
	if [ -z "$why" ]; then ok hand-over-pvshim; else bad hand-over-pvshim "$why; $(head -c 300 "$work/shim.out")"; fi
	unset XENSTORED_PATH
	XENSTORED_PATH=$work/none expect pvshim-no-xenstored 1 'the PV shim needs xenstored running' \
		"$BIN/xl" create -q "$work/hshim.cfg"
	XENKVM_PVSHIM=$work/none expect pvshim-missing 1 "pvshim_path \`$work/none': No such file" \
		"$BIN/xl" create -q "$work/hshim.cfg"
	unset XENKVM_PVSHIM
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
