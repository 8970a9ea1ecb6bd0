// SPDX-License-Identifier: GPL-2.0
/*
 * Filesystem magic numbers and where they sit, from each filesystem's on-disk format
 * (the same places util-linux's libblkid looks). ext2/3/4 are told apart by the feature
 * flags of their superblock; the rest only need a name for the error.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <ext2fs/ext2_fs.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/fsprobe.h"

#define EXT_SUPERBLOCK_OFFSET 1024

struct fs_magic {
	const char *name;
	uint64_t offset;
	const char *magic;
	size_t len;
};

static const struct fs_magic others[] = {
	{ "XFS", 0, "XFSB", 4 },
	{ "btrfs", 0x10040, "_BHRfS_M", 8 },
	{ "LUKS encrypted volume", 0, "LUKS\xba\xbe", 6 },
	{ "LVM physical volume", 0x218, "LVM2 001", 8 },
	{ "Linux swap", 4086, "SWAPSPACE2", 10 },
	{ "Linux swap", 4086, "SWAP-SPACE", 10 },
	{ "squashfs", 0, "hsqs", 4 },
	{ "f2fs", 0x400, "\x10\x20\xf5\xf2", 4 },
	{ "ReiserFS", 0x10034, "ReIsEr2Fs", 9 },
	{ "ReiserFS", 0x10034, "ReIsEr3Fs", 9 },
	{ "JFS", 0x8000, "JFS1", 4 },
	{ "ISO 9660", 0x8001, "CD001", 5 },
	{ "NTFS", 3, "NTFS    ", 8 },
	{ "FAT32", 0x52, "FAT32   ", 8 },
	{ "FAT", 0x36, "FAT12   ", 8 },
	{ "FAT", 0x36, "FAT16   ", 8 },
	{ "ZFS member", 0x20000 + 0x3d8, "\x0c\xb1\xba\x00\x00\x00\x00\x00", 8 },
};

/* ext4 when it uses a feature ext3 lacks, ext3 with a journal, else ext2. */
static const char *ext_name(const struct ext2_super_block *sb)
{
	if (sb->s_feature_incompat &
	    ~(EXT3_FEATURE_INCOMPAT_RECOVER | EXT2_FEATURE_INCOMPAT_FILETYPE |
	      EXT3_FEATURE_INCOMPAT_JOURNAL_DEV | EXT2_FEATURE_INCOMPAT_META_BG))
		return "ext4";
	if (sb->s_feature_ro_compat &
	    ~(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		return "ext4";
	if (sb->s_feature_compat & EXT3_FEATURE_COMPAT_HAS_JOURNAL)
		return "ext3";
	return "ext2";
}

static int probe_ext(const struct img_disk *d, uint64_t start, uint64_t size, const char **name,
		     char *err, size_t errlen)
{
	struct ext2_super_block sb;
	int rc;

	if (size < EXT_SUPERBLOCK_OFFSET + sizeof(sb))
		return 0;
	rc = img_disk_read(d, start + EXT_SUPERBLOCK_OFFSET, &sb, sizeof(sb), err, errlen);
	if (rc)
		return rc;
	if (sb.s_magic != EXT2_SUPER_MAGIC)
		return 0;
	*name = ext_name(&sb);
	return 1;
}

int img_fs_probe(const struct img_disk *d, uint64_t start, uint64_t size, enum img_fs_kind *kind,
		 const char **name, char *err, size_t errlen)
{
	int rc;

	*kind = IMG_FS_UNKNOWN;
	*name = NULL;
	if (start > d->size)
		return img_err(err, errlen, -EIO, "partition starts past the end of the image");
	if (size > d->size - start)
		size = d->size - start;
	rc = probe_ext(d, start, size, name, err, errlen);
	if (rc < 0)
		return rc;
	if (rc) {
		*kind = IMG_FS_EXT;
		return 0;
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		const struct fs_magic *m = &others[i];
		char buf[16];

		if (m->offset + m->len > size)
			continue;
		rc = img_disk_read(d, start + m->offset, buf, m->len, err, errlen);
		if (rc)
			return rc;
		if (!memcmp(buf, m->magic, m->len)) {
			*kind = IMG_FS_OTHER;
			*name = m->name;
			return 0;
		}
	}
	return 0;
}
