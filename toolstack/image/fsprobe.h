/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which filesystem a partition holds, by the magic numbers at the offsets each one
 * documents (as blkid does): ext2/3/4 is read; XFS, btrfs and the others are named so
 * that the error can say which filesystem it refuses.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_FSPROBE_H
#define XENKVM_TOOLSTACK_IMAGE_FSPROBE_H

#include <stddef.h>
#include <stdint.h>

#include "toolstack/image/disk.h"

enum img_fs_kind {
	IMG_FS_UNKNOWN, /* no magic we know */
	IMG_FS_EXT, /* ext2, ext3 or ext4: readable */
	IMG_FS_OTHER, /* known, not readable: `name` says which */
};

/* Looks at the partition [start, start + size) of the image; name is a static string
 * ("ext4", "XFS", "btrfs", ...) or NULL for IMG_FS_UNKNOWN. A read error is -errno. */
int img_fs_probe(const struct img_disk *d, uint64_t start, uint64_t size, enum img_fs_kind *kind,
		 const char **name, char *err, size_t errlen);

#endif
