// SPDX-License-Identifier: GPL-2.0
/*
 * Which partition scheme an image uses: a filesystem at byte 0 makes it partitionless
 * (checked first: an ext superblock sits at 1024, past an MBR's signature, and mke2fs
 * leaves sector 0 alone); else the 0x55aa signature makes it MBR, or GPT when the MBR is
 * the protective one (a type 0xee entry), as Linux's partition code decides.
 */
#include <errno.h>
#include <string.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/errmsg.h"
#include "toolstack/image/fsprobe.h"

#define MBR_TYPE_GPT_PROTECTIVE 0xee

const char *img_scheme_name(enum img_scheme s)
{
	switch (s) {
	case IMG_SCHEME_MBR:
		return "MBR";
	case IMG_SCHEME_GPT:
		return "GPT";
	default:
		return "none";
	}
}

static bool mbr_is_protective(const uint8_t *sector0)
{
	for (unsigned int i = 0; i < 4; i++)
		if (sector0[446 + 16 * i + 4] == MBR_TYPE_GPT_PROTECTIVE)
			return true;
	return false;
}

static void whole_disk(const struct img_disk *d, struct img_table *t)
{
	memset(t, 0, sizeof(*t));
	t->scheme = IMG_SCHEME_NONE;
	t->nr = 1;
	t->parts[0] = (struct img_part){ .number = 0, .start = 0, .size = d->size };
}

int img_read_table(const struct img_disk *d, struct img_table *t, char *err, size_t errlen)
{
	uint8_t sector0[IMG_SECTOR];
	enum img_fs_kind kind;
	const char *name;
	int rc;

	if (d->size < IMG_SECTOR)
		return img_err(err, errlen, -EINVAL,
			       "%s: %llu bytes is too small to be a disk image", d->path,
			       (unsigned long long)d->size);
	rc = img_disk_read(d, 0, sector0, sizeof(sector0), err, errlen);
	if (rc)
		return rc;
	rc = img_fs_probe(d, 0, d->size, &kind, &name, err, errlen);
	if (rc)
		return rc;
	if (kind == IMG_FS_EXT) {
		whole_disk(d, t);
		return 0;
	}
	if (sector0[510] == 0x55 && sector0[511] == 0xaa) {
		rc = mbr_is_protective(sector0) ? img_read_gpt(d, t, err, errlen) :
						  img_read_mbr(d, sector0, t, err, errlen);
		/* FAT and NTFS carry the signature too: a table that does not hold up
		 * there is their boot code. */
		if (!rc || kind != IMG_FS_OTHER)
			return rc;
	}
	if (kind == IMG_FS_OTHER) {
		whole_disk(d, t);
		return 0;
	}
	return img_err(err, errlen, -EINVAL,
		       "%s: no partition table (MBR or GPT) and no filesystem we recognise at the "
		       "start of the image",
		       d->path);
}
