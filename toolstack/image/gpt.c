// SPDX-License-Identifier: GPL-2.0
/*
 * The GUID partition table (UEFI specification, chapter 5): a header at LBA 1 and its
 * backup at the last LBA, each with a CRC32 of itself and of the partition entry array.
 * The primary is used when both CRCs hold and it describes itself; otherwise the backup
 * (at the primary's alternate LBA, else the image's last sector), as Linux's efi.c and
 * firmware do. CRC32 is zlib's (the same polynomial and conditioning as UEFI's).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/errmsg.h"

#define GPT_SIGNATURE "EFI PART"
#define GPT_HEADER_MIN 92
#define GPT_ENTRY_MIN 128
#define GPT_ARRAY_MAX (1u << 20) /* bytes of entry array read, at most */
#define GPT_ATTR_LEGACY_BOOTABLE (1ull << 2)

struct gpt_header {
	uint64_t my_lba, alternate_lba, first_usable, last_usable, entries_lba;
	uint32_t num_entries, entry_size, entries_crc;
};

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Reads and checks the header at `lba`; `which` names it in errors. */
static int read_header(const struct img_disk *d, uint64_t lba, const char *which,
		       struct gpt_header *h, char *err, size_t errlen)
{
	uint8_t sec[IMG_SECTOR];
	uint32_t size, crc;
	int rc;

	rc = img_disk_read(d, lba * IMG_SECTOR, sec, sizeof(sec), err, errlen);
	if (rc)
		return img_err(err, errlen, rc, "%s GPT header at LBA %llu lies outside the image",
			       which, (unsigned long long)lba);
	if (memcmp(sec, GPT_SIGNATURE, 8))
		return img_err(err, errlen, -EINVAL,
			       "%s GPT header at LBA %llu: no \"EFI PART\" "
			       "signature",
			       which, (unsigned long long)lba);
	size = le32(sec + 12);
	if (size < GPT_HEADER_MIN || size > IMG_SECTOR)
		return img_err(err, errlen, -EINVAL, "%s GPT header: bad header size %u", which,
			       size);
	crc = le32(sec + 16);
	memset(sec + 16, 0, 4);
	if (crc32(0, sec, size) != crc)
		return img_err(err, errlen, -EINVAL, "%s GPT header: CRC32 mismatch", which);
	*h = (struct gpt_header){ .my_lba = le64(sec + 24),
				  .alternate_lba = le64(sec + 32),
				  .first_usable = le64(sec + 40),
				  .last_usable = le64(sec + 48),
				  .entries_lba = le64(sec + 72),
				  .num_entries = le32(sec + 80),
				  .entry_size = le32(sec + 84),
				  .entries_crc = le32(sec + 88) };
	if (h->my_lba != lba)
		return img_err(err, errlen, -EINVAL, "%s GPT header at LBA %llu says it is at %llu",
			       which, (unsigned long long)lba, (unsigned long long)h->my_lba);
	if (h->entry_size < GPT_ENTRY_MIN || h->entry_size % 8 ||
	    (uint64_t)h->num_entries * h->entry_size > GPT_ARRAY_MAX)
		return img_err(err, errlen, -EINVAL,
			       "%s GPT header: %u entries of %u bytes is not a valid array", which,
			       h->num_entries, h->entry_size);
	if (h->first_usable > h->last_usable || h->last_usable >= d->size / IMG_SECTOR)
		return img_err(err, errlen, -EINVAL,
			       "%s GPT header: usable sectors %llu-%llu do not fit the image "
			       "(%llu sectors; truncated image?)",
			       which, (unsigned long long)h->first_usable,
			       (unsigned long long)h->last_usable,
			       (unsigned long long)(d->size / IMG_SECTOR));
	return 0;
}

static int add_entry(const struct gpt_header *h, const uint8_t *e, unsigned int number,
		     struct img_table *t, char *err, size_t errlen)
{
	static const uint8_t unused[16];
	uint64_t first = le64(e + 32), last = le64(e + 40);

	if (!memcmp(e, unused, 16))
		return 0;
	if (first > last || first < h->first_usable || last > h->last_usable)
		return img_err(err, errlen, -EINVAL,
			       "GPT partition %u (sectors %llu-%llu) lies outside the usable "
			       "sectors %llu-%llu",
			       number, (unsigned long long)first, (unsigned long long)last,
			       (unsigned long long)h->first_usable,
			       (unsigned long long)h->last_usable);
	if (t->nr == IMG_MAX_PARTS)
		return img_err(err, errlen, -EINVAL, "more than %d GPT partitions", IMG_MAX_PARTS);
	t->parts[t->nr++] = (struct img_part){
		.number = number,
		.start = first * IMG_SECTOR,
		.size = (last - first + 1) * IMG_SECTOR,
		.bootable = le64(e + 48) & GPT_ATTR_LEGACY_BOOTABLE,
	};
	return 0;
}

static int read_entries(const struct img_disk *d, const struct gpt_header *h, const char *which,
			struct img_table *t, char *err, size_t errlen)
{
	size_t len = (size_t)h->num_entries * h->entry_size;
	uint8_t *array = malloc(len ? len : 1);
	int rc;

	if (!array)
		return img_err(err, errlen, -ENOMEM, "out of memory");
	rc = img_disk_read(d, h->entries_lba * IMG_SECTOR, array, len, err, errlen);
	if (rc) {
		rc = img_err(err, errlen, rc, "%s GPT entry array lies outside the image", which);
		goto out;
	}
	if (crc32(0, array, len) != h->entries_crc) {
		rc = img_err(err, errlen, -EINVAL, "%s GPT entry array: CRC32 mismatch", which);
		goto out;
	}
	t->nr = 0;
	for (uint32_t i = 0; i < h->num_entries; i++) {
		rc = add_entry(h, array + (size_t)i * h->entry_size, i + 1, t, err, errlen);
		if (rc)
			goto out;
	}
	if (!t->nr)
		rc = img_err(err, errlen, -ENOENT, "the GPT lists no partition");
out:
	free(array);
	return rc;
}

int img_read_gpt(const struct img_disk *d, struct img_table *t, char *err, size_t errlen)
{
	struct gpt_header h;
	char first_err[256];
	uint64_t backup = d->size / IMG_SECTOR - 1;
	int rc;

	memset(t, 0, sizeof(*t));
	t->scheme = IMG_SCHEME_GPT;
	rc = read_header(d, 1, "primary", &h, err, errlen);
	if (!rc) {
		backup = h.alternate_lba;
		rc = read_entries(d, &h, "primary", t, err, errlen);
		if (!rc)
			return 0;
	}
	snprintf(first_err, sizeof(first_err), "%s", err);
	t->gpt_backup_used = true;
	rc = read_header(d, backup, "backup", &h, err, errlen);
	if (rc && backup != d->size / IMG_SECTOR - 1) {
		backup = d->size / IMG_SECTOR - 1;
		rc = read_header(d, backup, "backup", &h, err, errlen);
	}
	if (!rc)
		rc = read_entries(d, &h, "backup", t, err, errlen);
	if (rc) {
		char second[256];

		snprintf(second, sizeof(second), "%s", err);
		return img_err(err, errlen, rc, "%s; %s", first_err, second);
	}
	return 0;
}
