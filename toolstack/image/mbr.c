// SPDX-License-Identifier: GPL-2.0
/*
 * The MBR: four primary entries at byte 446, the 0x55 0xaa signature, and extended
 * partitions (types 0x05, 0x0f, 0x85) holding a chain of extended boot records. Each EBR's
 * first entry is a logical partition relative to that EBR, its second the next EBR
 * relative to the start of the extended partition; Linux numbers logicals from 5.
 * A hostile chain may loop, point outside the extended partition or the image: each is
 * an error rather than a guess.
 */
#include <errno.h>
#include <string.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/errmsg.h"

#define MBR_ENTRIES_OFFSET 446
#define MBR_SIG_OFFSET 510

struct mbr_entry {
	uint8_t status, chs_first[3], type, chs_last[3];
	uint32_t lba_start, sectors;
};

static void read_entry(const uint8_t *sector, unsigned int i, struct mbr_entry *e)
{
	const uint8_t *p = sector + MBR_ENTRIES_OFFSET + 16 * i;

	e->status = p[0];
	e->type = p[4];
	memcpy(&e->lba_start, p + 8, 4);
	memcpy(&e->sectors, p + 12, 4);
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static int add_part(const struct img_disk *d, struct img_table *t, unsigned int number,
		    uint64_t lba, const struct mbr_entry *e, char *err, size_t errlen)
{
	struct img_part *p;
	uint64_t end = (lba + e->sectors) * IMG_SECTOR;

	if (end > d->size)
		return img_err(err, errlen, -EINVAL,
			       "MBR partition %u (sectors %llu-%llu) extends past the end of the "
			       "image (%llu sectors): truncated image or bad table",
			       number, (unsigned long long)lba,
			       (unsigned long long)(lba + e->sectors - 1),
			       (unsigned long long)(d->size / IMG_SECTOR));
	if (t->nr == IMG_MAX_PARTS)
		return img_err(err, errlen, -EINVAL, "more than %d MBR partitions", IMG_MAX_PARTS);
	p = &t->parts[t->nr++];
	*p = (struct img_part){ .number = number,
				.start = lba * IMG_SECTOR,
				.size = (uint64_t)e->sectors * IMG_SECTOR,
				.mbr_type = e->type,
				.bootable = e->status == 0x80 };
	return 0;
}

/* Follows the EBR chain of the extended partition [ext_lba, ext_lba + ext_sectors). */
static int read_logicals(const struct img_disk *d, uint64_t ext_lba, uint64_t ext_sectors,
			 struct img_table *t, char *err, size_t errlen)
{
	uint64_t visited[IMG_MAX_LOGICAL];
	uint64_t ebr = ext_lba;
	unsigned int number = 5;
	uint8_t sector[IMG_SECTOR];

	for (unsigned int n = 0;; n++) {
		struct mbr_entry logical, next;
		int rc;

		for (unsigned int i = 0; i < n; i++)
			if (visited[i] == ebr)
				return img_err(err, errlen, -ELOOP,
					       "MBR extended partition: the chain of extended boot "
					       "records loops back to sector %llu",
					       (unsigned long long)ebr);
		if (n == IMG_MAX_LOGICAL)
			return img_err(err, errlen, -EINVAL,
				       "MBR extended partition: more than %d logical partitions",
				       IMG_MAX_LOGICAL);
		visited[n] = ebr;
		rc = img_disk_read(d, ebr * IMG_SECTOR, sector, sizeof(sector), err, errlen);
		if (rc)
			return img_err(
				err, errlen, rc,
				"MBR extended boot record at sector %llu lies outside the image",
				(unsigned long long)ebr);
		if (sector[MBR_SIG_OFFSET] != 0x55 || sector[MBR_SIG_OFFSET + 1] != 0xaa)
			return img_err(err, errlen, -EINVAL,
				       "MBR extended boot record at sector %llu has no 0x55aa "
				       "signature",
				       (unsigned long long)ebr);
		read_entry(sector, 0, &logical);
		read_entry(sector, 1, &next);
		if (logical.type && logical.sectors) {
			uint64_t lba = ebr + logical.lba_start;

			if (lba < ext_lba || lba + logical.sectors > ext_lba + ext_sectors)
				return img_err(err, errlen, -EINVAL,
					       "MBR logical partition %u lies outside its extended "
					       "partition",
					       number);
			rc = add_part(d, t, number, lba, &logical, err, errlen);
			if (rc)
				return rc;
			number++;
		}
		if (!next.type || !is_extended(next.type) || !next.lba_start)
			return 0;
		if (next.lba_start >= ext_sectors)
			return img_err(err, errlen, -EINVAL,
				       "MBR extended boot record link to sector %llu lies outside "
				       "the extended partition",
				       (unsigned long long)(ext_lba + next.lba_start));
		ebr = ext_lba + next.lba_start;
	}
}

int img_read_mbr(const struct img_disk *d, const uint8_t *sector0, struct img_table *t, char *err,
		 size_t errlen)
{
	bool have_extended = false;

	memset(t, 0, sizeof(*t));
	t->scheme = IMG_SCHEME_MBR;
	if (sector0[MBR_SIG_OFFSET] != 0x55 || sector0[MBR_SIG_OFFSET + 1] != 0xaa)
		return img_err(err, errlen, -EINVAL, "no MBR signature (0x55aa) in sector 0");
	for (unsigned int i = 0; i < 4; i++) {
		struct mbr_entry e;
		int rc;

		read_entry(sector0, i, &e);
		if (!e.type || !e.sectors)
			continue;
		if (e.status != 0 && e.status != 0x80)
			return img_err(err, errlen, -EINVAL,
				       "MBR partition %u has a bad status byte 0x%02x: not a "
				       "partition table",
				       i + 1, e.status);
		if (e.lba_start == 0)
			return img_err(err, errlen, -EINVAL,
				       "MBR partition %u starts at sector 0, over the table itself",
				       i + 1);
		if (is_extended(e.type)) {
			uint64_t end = ((uint64_t)e.lba_start + e.sectors) * IMG_SECTOR;

			if (have_extended)
				return img_err(err, errlen, -EINVAL,
					       "MBR has more than one extended partition");
			have_extended = true;
			if (end > d->size)
				return img_err(err, errlen, -EINVAL,
					       "MBR extended partition %u extends past the end of "
					       "the image (truncated image?)",
					       i + 1);
			rc = read_logicals(d, e.lba_start, e.sectors, t, err, errlen);
		} else {
			rc = add_part(d, t, i + 1, e.lba_start, &e, err, errlen);
		}
		if (rc)
			return rc;
	}
	if (!t->nr)
		return img_err(err, errlen, -ENOENT, "the MBR lists no partition");
	/* Logicals were added while walking; list partitions by number as Linux does. */
	for (unsigned int i = 1; i < t->nr; i++)
		for (unsigned int j = i; j > 0 && t->parts[j - 1].number > t->parts[j].number;
		     j--) {
			struct img_part tmp = t->parts[j];

			t->parts[j] = t->parts[j - 1];
			t->parts[j - 1] = tmp;
		}
	return 0;
}
