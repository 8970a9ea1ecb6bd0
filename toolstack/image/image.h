/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Booting a disk image the way pygrub and PV-GRUB do: find the boot menu in the image's
 * filesystems, take an entry (the default, or one asked for), read its kernel and
 * initrds out of the image. The image is never mounted and is treated as hostile.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_IMAGE_H
#define XENKVM_TOOLSTACK_IMAGE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/fs.h"
#include "toolstack/image/menu.h"

/* Largest files taken out of an image (a distribution kernel is ~10 MiB, its initrd
 * under 100 MiB); bigger is an error rather than host memory spent. */
#define IMG_MAX_KERNEL (256ull << 20)
#define IMG_MAX_INITRD (1ull << 30)

struct img_limits {
	uint64_t kernel, initrd; /* bytes; the initrds of an entry count together */
};

struct img_boot {
	struct img_disk disk;
	struct img_table table;
	struct img_fs menu_fs; /* the filesystem holding the menu */
	char menu_path[64];
	struct boot_menu menu;
	/* Filled by img_load_entry(): */
	unsigned int entry;
	unsigned int kernel_part; /* partition the kernel was read from (0: whole disk) */
	uint8_t *kernel, *initrd; /* initrd NULL when the entry has none */
	size_t kernel_len, initrd_len;
};

/* How to open an image (img_open_with); all zero but fd = -1 is img_open()'s way. */
struct img_open_opts {
	int fd; /* >= 0: the image, already open read-only (owned from then on); image names it */
	bool at_offset; /* one filesystem at byte `offset`, no partition table (pygrub --offset) */
	uint64_t offset;
	bool no_menu; /* the first ext2/3/4 filesystem, with or without a menu (pygrub --kernel) */
};

/* Opens the image and finds its boot menu, trying each partition in order and in each the
 * places pygrub looks (GRUB 2, then extlinux, then GRUB legacy). */
int img_open(const char *image, struct img_boot *b, char *err, size_t errlen);
int img_open_with(const char *image, const struct img_open_opts *o, struct img_boot *b, char *err,
		  size_t errlen);
/* Reads the kernel and initrds of entry `which` (menu_select()'s forms; NULL: default). */
int img_load_entry(struct img_boot *b, const char *which, const struct img_limits *lim, char *err,
		   size_t errlen);
/* Reads a kernel and an initrd (NULL: none) named by path rather than by a menu entry, from
 * the menu's filesystem (the first ext2/3/4 one with no_menu), as pygrub --kernel does. */
int img_load_files(struct img_boot *b, const char *kernel, const char *initrd,
		   const struct img_limits *lim, char *err, size_t errlen);
void img_close(struct img_boot *b);

#endif
