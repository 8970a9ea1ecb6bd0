#!/usr/bin/env bash
# Short libFuzzer run of toolstack/image's own parsers of image bytes (tests/fuzz/image_fuzz.c):
# partition tables, the GRUB 2, GRUB legacy and extlinux menus, and the image reader's
# answer as xl decodes it. Seeded with menus as
# distributions write them and a table with an extended partition. IMAGE_FUZZ_SECONDS sets
# the time (default 10).
set -u
here=$(cd "$(dirname "$0")" && pwd)
seeds=$(mktemp -d /tmp/image-fuzz-seeds.XXXXXX)
trap 'rm -rf "$seeds"' EXIT
printf '\000if [ -s $prefix/grubenv ]; then\n load_env\nfi\nif [ "${next_entry}" ] ; then\n set default="${next_entry}"\nelse\n set default="${saved_entry}"\nfi\nmenuentry_id_option="--id"\nmenuentry '"'"'D'"'"' $menuentry_id_option d {\n linux /vmlinuz root=/dev/xvda1 ro\n initrd /initrd.img\n}\nsubmenu '"'"'Adv'"'"' {\n menuentry "x $v" { linux16 (hd0,msdos1)/k; initrd16 /i /j }\n}\n\000saved_entry=Adv>x \nnext_entry=\n' >"$seeds/grub2"
printf '\001default=1\ntimeout=0\ntitle A\nroot (hd0,0)\nkernel /boot/vmlinuz root=LABEL=/ console=hvc0\ninitrd /boot/initrd\ntitle B\nroot (hd0)\nkernel (hd0,1)/k\n' >"$seeds/legacy"
printf '\002DEFAULT b\nLABEL a\n KERNEL ../k\n APPEND initrd=/i,j root=/dev/xvda1\nLABEL b\n MENU LABEL Bee\n LINUX /k\n INITRD /i\n MENU DEFAULT\n' >"$seeds/extlinux"
# MBR: a primary at 1 and an extended partition at 1 whose EBR is sector 1 itself (tiled).
{
	printf '\003'
	head -c 446 /dev/zero
	printf '\200\000\000\000\203\000\000\000\002\000\000\000\010\000\000\000'
	printf '\000\000\000\000\005\000\000\000\001\000\000\000\200\000\000\000'
	head -c 32 /dev/zero
	printf '\125\252'
} >"$seeds/mbr"
# The image reader's answer to xl: one entry with an initrd (reader_wire.c's layout).
{
	printf '\004gmix'
	printf '\000\000\000\000\001\000\000\000/\001\000\000\000\001\000\000\000'
	printf '\000\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\001\000\000\000'
	printf '\001\000\000\000t\377\377\377\377\002\000\000\000/k\000\000\000\000'
	printf '\377\377\377\377\001\000\000\000\002\000\000\000/i'
} >"$seeds/wire"
exec "$here/libfuzzer-run" image_fuzz "${IMAGE_FUZZ_SECONDS:-10}" \
	"partition tables, boot menus and reader answers held (no crash, leak or partition outside the image)" \
	"$seeds"/*
