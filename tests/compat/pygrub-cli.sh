#!/usr/bin/env bash
# build/bin/pygrub as Xen 4.17's pygrub behaves (tools/pygrub/src/pygrub): its options,
# its answer formats byte for byte (sxp quoted by Python's repr(), here computed by
# python3 itself; simple; simple0), the files it leaves in the output directory (named
# boot_kernel.XXXXXXXX / boot_ramdisk.XXXXXXXX, mode 0600, their bytes those of the
# entry's files), and its exit statuses. Expected entries come from each image's .expect
# file (tests/images/mkimages: what its menu says). No KVM, no Xen.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${BIN:=$root/build/bin}"
pygrub=$BIN/pygrub
work=$(mktemp -d /tmp/pygrub-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 skip=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
expect_val() { sed -n "s/^$2=//p" "$work/img/$1.expect"; }
pyrepr() { python3 -c 'import sys; print(repr(sys.argv[1]), end="")' "$1"; }

# check NAME WANT-STATUS CMD...: status, stdout in $work/out, stderr in $work/err.
run() {
	"${@:3}" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" -ne "$2" ]; then
		bad "$1" "status $rc, expected $2: $(head -c 300 "$work/err")"
		return 1
	fi
	return 0
}

if ! "$root/tests/images/mkimages" "$work/img" >"$work/mkimages.log" 2>&1; then
	echo "SKIP pygrub-cli: tests/images/mkimages failed (mke2fs, sfdisk: make deps): $(tail -n 3 "$work/mkimages.log")"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
mkdir -p "$work/o"

# simple: "kernel P\nramdisk P\nargs A\n\n", the files holding the default entry's bytes.
for img in debian-mbr centos-gpt amazon-whole ext-logical; do
	rm -f "$work"/o/*
	run "simple-$img" 0 "$pygrub" -q --output-format=simple --output-directory="$work/o" \
		"$work/img/$img.img" || continue
	k=$(ls "$work"/o/boot_kernel.* 2>/dev/null) r=$(ls "$work"/o/boot_ramdisk.* 2>/dev/null)
	want=$(printf 'kernel %s\nramdisk %s\nargs %s\n\n.' "$k" "$r" "$(expect_val $img cmdline)")
	why=
	[ "$(cat "$work/out"; echo .)" = "$want" ] || why="answer $(od -c "$work/out" | head -5)"
	[[ $(basename "$k") =~ ^boot_kernel\.[a-z0-9_]{8}$ ]] || why+="; kernel file name $k"
	[[ $(basename "$r") =~ ^boot_ramdisk\.[a-z0-9_]{8}$ ]] || why+="; ramdisk file name $r"
	cmp -s "$k" "$(expect_val $img kernel_file)" || why+="; kernel bytes differ"
	cmp -s "$r" "$(expect_val $img initrd_file)" || why+="; ramdisk bytes differ"
	[ "$(stat -c %a "$k")" = 600 ] || why+="; kernel file mode $(stat -c %a "$k")"
	grep -q "^Using GRUB\|^Using extlinux" "$work/err" || why+="; no 'Using ... to parse' line"
	if [ -z "$why" ]; then ok "simple-$img"; else bad "simple-$img" "$why"; fi
done

# sxp (the default) with --args appended after one space: Python's repr() quoting.
rm -f "$work"/o/*
extra="it's \"quoted\" é	tab\\"
if run sxp-args 0 "$pygrub" -q --output-directory="$work/o/." --args="$extra" "$work/img/amazon-whole.img"; then
	k=$(ls "$work"/o/boot_kernel.*) r=$(ls "$work"/o/boot_ramdisk.*)
	want="linux (kernel $(pyrepr "$k"))(ramdisk $(pyrepr "$r"))(args $(pyrepr "$(expect_val amazon-whole cmdline) $extra"))"
	if [ "$(cat "$work/out")" = "$want" ]; then ok sxp-args; else bad sxp-args "$(cat "$work/out") != $want"; fi
fi

# simple0: NUL for every newline; --entry by number; an entry with no initrd has no
# ramdisk line and leaves no ramdisk file (pygrub removes the empty one).
rm -f "$work"/o/*
if run simple0-entry 0 "$pygrub" -q --output-format=simple0 --entry=1 --output-directory="$work/o" \
	"$work/img/amazon-whole.img"; then
	k=$(ls "$work"/o/boot_kernel.*) r=$(ls "$work"/o/boot_ramdisk.*)
	if cmp -s "$work/out" <(printf 'kernel %s\0ramdisk %s\0args %s\0\0' "$k" "$r" \
		"root=LABEL=/ console=hvc0 xen_blkfront.sda_is_xvda=1"); then
		ok simple0-entry
	else
		bad simple0-entry "$(od -c "$work/out" | head -4)"
	fi
fi
rm -f "$work"/o/*
if run no-ramdisk 0 "$pygrub" -q --output-format=simple --entry=ok --output-directory="$work/o" \
	"$work/img/bad-paths.img"; then
	if grep -q '^ramdisk' "$work/out" || ls "$work"/o/boot_ramdisk.* >/dev/null 2>&1 ||
		! grep -q '^kernel ' "$work/out"; then
		bad no-ramdisk "$(cat "$work/out"; ls "$work/o")"
	else
		ok no-ramdisk
	fi
fi

# --entry by title; an --entry naming nothing boots the default (pygrub's fallback).
run entry-title 0 "$pygrub" -q -n --output-format=simple \
	--entry="Amazon Linux 2018.03 (6.12.117+deb12-amd64)" "$work/img/amazon-whole.img" &&
	{ grep -q '^args root=LABEL=/ console=tty1 ' "$work/out" && ok entry-title ||
		bad entry-title "$(cat "$work/out")"; }
run entry-fallback 0 "$pygrub" -q -n --output-format=simple --entry="no such" "$work/img/amazon-whole.img" &&
	{ grep -qxF "args $(expect_val amazon-whole cmdline)" "$work/out" && ok entry-fallback ||
		bad entry-fallback "$(cat "$work/out")"; }

# -n: nothing copied, Python's None in place of the paths (pygrub 4.17 prints it so).
rm -f "$work"/o/*
run not-really 0 "$pygrub" -q -n --output-directory="$work/o" "$work/img/amazon-whole.img" &&
	{ [ "$(cat "$work/out")" = "linux (kernel None)(args $(pyrepr "$(expect_val amazon-whole cmdline)"))" ] &&
		[ -z "$(ls "$work/o")" ] && ok not-really || bad not-really "$(cat "$work/out")"; }

# --kernel/--ramdisk: no menu; the arguments are --args alone.
rm -f "$work"/o/*
if run kernel-given 0 "$pygrub" -q --output-format=simple --kernel=/boot/vmlinuz-6.1.0-57-amd64 \
	--ramdisk=/boot/initrd.img-6.1.0-57-amd64 --args=x=1 --output-directory="$work/o" \
	"$work/img/amazon-whole.img"; then
	k=$(ls "$work"/o/boot_kernel.*)
	if cmp -s "$k" "$work/img/stage-amazon-whole/boot/vmlinuz-6.1.0-57-amd64" &&
		[ "$(tail -n 2 "$work/out" | head -n 1)" = "args x=1" ]; then
		ok kernel-given
	else
		bad kernel-given "$(cat "$work/out")"
	fi
fi
run kernel-missing 1 "$pygrub" -q -n --kernel=/nope "$work/img/amazon-whole.img" && ok kernel-missing

# -l: pygrub's listing lines.
if run list 0 "$pygrub" -l "$work/img/amazon-whole.img"; then
	want="title: $(expect_val amazon-whole title)
  root: d0
  kernel: /boot/vmlinuz-6.1.0-57-amd64
  args: $(expect_val amazon-whole cmdline)
  initrd: /boot/initrd.img-6.1.0-57-amd64"
	[ "$(tail -n 5 "$work/out")" = "$want" ] && ok list || bad list "$(cat "$work/out")"
fi

# --offset: the filesystem at that byte, no table (centos-gpt's /boot partition).
off=$(($(sfdisk -J "$work/img/centos-gpt.img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][1]["start"])') * 512))
run offset 0 "$pygrub" -q -n --output-format=simple --offset=$off "$work/img/centos-gpt.img" &&
	{ grep -qxF "args $(expect_val centos-gpt cmdline)" "$work/out" && ok offset || bad offset "$(cat "$work/out")"; }
run offset-nofs 1 "$pygrub" -q -n --offset=512 "$work/img/centos-gpt.img" && ok offset-nofs

# --output: an existing file, written without truncation or creation.
: >"$work/answer"
rm -f "$work"/o/*
run output-file 0 "$pygrub" -q --output="$work/answer" --output-format=simple --output-directory="$work/o" \
	"$work/img/ext-logical.img" && { [ -s "$work/answer" ] && [ ! -s "$work/out" ] && ok output-file ||
	bad output-file "answer $(cat "$work/answer"), stdout $(cat "$work/out")"; }
run output-missing 1 "$pygrub" -q --output="$work/nope/answer" -n "$work/img/ext-logical.img" && ok output-missing

# Refusals: pygrub's messages (stdout) and status 1.
run bad-format 1 "$pygrub" -q --output-format=xml "$work/img/ext-logical.img" &&
	{ grep -qx 'unknown output format xml' "$work/out" && ok bad-format || bad bad-format "$(cat "$work/out")"; }
run bad-runas 1 "$pygrub" -q --runas=bob "$work/img/ext-logical.img" &&
	{ grep -qx 'runas value must be an integer user id' "$work/out" && ok bad-runas || bad bad-runas "$(cat "$work/out")"; }
run bad-dir 1 "$pygrub" -q --output-directory="$work/none" "$work/img/ext-logical.img" &&
	{ grep -qx "$work/none is not an existing directory" "$work/out" && ok bad-dir || bad bad-dir "$(cat "$work/out")"; }
run no-image 1 "$pygrub" -q && { grep -q '^Usage: ' "$work/err" && ok no-image || bad no-image "$(cat "$work/err")"; }
run interactive 1 "$pygrub" -i "$work/img/ext-logical.img" && ok interactive
run help 0 "$pygrub" --help && { grep -q -- '--output-format' "$work/out" && ok help || bad help "$(cat "$work/out")"; }
run leaves 1 "$pygrub" -q --entry=outside --output-directory="$work/o" "$work/img/bad-paths.img" &&
	{ grep -q 'leaves the filesystem' "$work/err" && ok leaves || bad leaves "$(cat "$work/err")"; }
rm -f "$work"/o/*
head -c 1048576 /dev/zero >"$work/zero.img"
run zero-image 1 "$pygrub" -q --output-directory="$work/o" "$work/zero.img" &&
	{ [ -z "$(ls "$work/o")" ] && ok zero-image || bad zero-image "files left: $(ls "$work/o")"; }

# --runas: the image read as another user (root only); an image that user cannot read fails.
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP runas: needs root to change user"
	skip=$((skip + 1))
else
	chmod 755 "$work" "$work/o"
	rm -f "$work"/o/*
	run runas 0 "$pygrub" -q --runas=65534 --output-format=simple --output-directory="$work/o" \
		"$work/img/amazon-whole.img" && { cmp -s "$(ls "$work"/o/boot_kernel.*)" \
		"$(expect_val amazon-whole kernel_file)" && ok runas || bad runas "$(cat "$work/out")"; }
	chmod 600 "$work/img/centos-gpt.img"
	rm -f "$work"/o/*
	run runas-denied 1 "$pygrub" -q --runas=65534 --output-directory="$work/o" "$work/img/centos-gpt.img" &&
		{ grep -q 'Permission denied' "$work/err" && [ -z "$(ls "$work/o")" ] && ok runas-denied ||
			bad runas-denied "$(cat "$work/err"; ls "$work/o")"; }
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
