// SPDX-License-Identifier: GPL-2.0
/*
 * Partition tables from bytes written here (MBR layout from the UEFI spec's legacy MBR
 * and the EBR chain Linux's msdos.c walks), and GPT images sfdisk wrote, damaged on
 * purpose: loops, links and partitions outside the image, bad CRCs, truncation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/image/image_fixture.h"
#include "tests/unit/unit.h"
#include "toolstack/image/disk.h"
#include "toolstack/image/fs.h"
#include "toolstack/image/image.h"

static char err[512];

static void put_entry(uint8_t *sec, int i, uint8_t status, uint8_t type, uint32_t lba,
		      uint32_t sectors)
{
	uint8_t *p = sec + 446 + 16 * i;

	p[0] = status;
	p[4] = type;
	memcpy(p + 8, &lba, 4);
	memcpy(p + 12, &sectors, 4);
	sec[510] = 0x55;
	sec[511] = 0xaa;
}

/* A sparse image of `sectors` sectors with the given sectors written. */
static const char *write_image(const char *name, uint64_t sectors, const uint8_t (*secs)[512],
			       const uint64_t *lbas, int n)
{
	const char *path = img_fixture_scratch(name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(ftruncate(fd, sectors * 512) == 0);
	for (int i = 0; i < n; i++)
		CU_ASSERT_FATAL(pwrite(fd, secs[i], 512, lbas[i] * 512) == 512);
	close(fd);
	return path;
}

static int table_of(const char *path, struct img_table *t)
{
	struct img_disk d;
	int rc = img_disk_open(path, &d, err, sizeof(err));

	if (rc)
		return rc;
	rc = img_read_table(&d, t, err, sizeof(err));
	img_disk_close(&d);
	return rc;
}

static void test_mbr_logicals(void)
{
	static uint8_t s[3][512];
	static const uint64_t at[3] = { 0, 100, 300 };
	static struct img_table t;

	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0x80, 0x83, 10, 50);
	put_entry(s[0], 1, 0, 0x05, 100, 400);
	put_entry(s[0], 2, 0, 0x83, 600, 100);
	put_entry(s[1], 0, 0, 0x83, 10, 90); /* logical 5 at 110 */
	put_entry(s[1], 1, 0, 0x05, 200, 100); /* next EBR at 100 + 200 */
	put_entry(s[2], 0, 0, 0x82, 5, 50); /* logical 6 at 305 */
	CU_ASSERT_EQUAL_FATAL(table_of(write_image("logicals.img", 1000, s, at, 3), &t), 0);
	CU_ASSERT_EQUAL(t.scheme, IMG_SCHEME_MBR);
	CU_ASSERT_EQUAL_FATAL(t.nr, 4);
	CU_ASSERT_EQUAL(t.parts[0].number, 1);
	CU_ASSERT(t.parts[0].bootable);
	CU_ASSERT_EQUAL(t.parts[1].number, 3);
	CU_ASSERT_EQUAL(t.parts[2].number, 5);
	CU_ASSERT_EQUAL(t.parts[2].start, 110 * 512);
	CU_ASSERT_EQUAL(t.parts[2].size, 90 * 512);
	CU_ASSERT_EQUAL(t.parts[3].number, 6);
	CU_ASSERT_EQUAL(t.parts[3].start, 305 * 512);
	CU_ASSERT_EQUAL(t.parts[3].mbr_type, 0x82);
}

static void test_mbr_loop(void)
{
	static uint8_t s[3][512];
	static const uint64_t at[3] = { 0, 100, 300 };
	static struct img_table t;

	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0, 0x05, 100, 400);
	put_entry(s[1], 0, 0, 0x83, 10, 20);
	put_entry(s[1], 1, 0, 0x05, 200, 100); /* -> 300 */
	put_entry(s[2], 0, 0, 0x83, 10, 20);
	put_entry(s[2], 1, 0, 0x05, 0 + 1, 50); /* -> 101: no EBR there, no signature */
	CU_ASSERT_EQUAL(table_of(write_image("loop1.img", 1000, s, at, 3), &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0x55aa"));
	put_entry(s[2], 1, 0, 0x05, 0, 50); /* link 0 ends the chain */
	CU_ASSERT_EQUAL(table_of(write_image("loop2.img", 1000, s, at, 3), &t), 0);
	CU_ASSERT_EQUAL(t.nr, 2);
	/* 300's link back to the first EBR (offset 0 is "none", so loop via 200 -> itself) */
	put_entry(s[2], 1, 0, 0x05, 200, 50);
	CU_ASSERT_EQUAL(table_of(write_image("loop3.img", 1000, s, at, 3), &t), -ELOOP);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "loops"));
}

static void test_mbr_bounds(void)
{
	static uint8_t s[2][512];
	static const uint64_t at[2] = { 0, 100 };
	static struct img_table t;

	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0, 0x83, 10, 5000); /* past a 1000-sector image */
	CU_ASSERT_EQUAL(table_of(write_image("past.img", 1000, s, at, 1), &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "past the end"));
	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0, 0x05, 100, 400);
	put_entry(s[1], 0, 0, 0x83, 10, 20);
	put_entry(s[1], 1, 0, 0x05, 4000, 100); /* link outside the extended partition */
	CU_ASSERT_EQUAL(table_of(write_image("link.img", 1000, s, at, 2), &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "outside the extended"));
	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0, 0x05, 100, 400);
	put_entry(s[1], 0, 0, 0x83, 390, 20); /* logical runs past its extended partition */
	CU_ASSERT_EQUAL(table_of(write_image("logical.img", 1000, s, at, 2), &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "outside its extended"));
	memset(s, 0, sizeof(s));
	s[0][510] = 0x55;
	s[0][511] = 0xaa;
	CU_ASSERT_EQUAL(table_of(write_image("empty.img", 1000, s, at, 1), &t), -ENOENT);
	memset(s, 0, sizeof(s));
	CU_ASSERT_EQUAL(table_of(write_image("zero.img", 1000, s, at, 1), &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no partition table"));
}

/* A copy of a fixture image with bytes overwritten. */
static const char *damaged(const char *from, const char *to, uint64_t off, const void *bytes,
			   size_t len, uint64_t truncate_to)
{
	char src[512];
	size_t n;
	uint8_t *data;
	const char *path = img_fixture_scratch(to);
	FILE *f;

	snprintf(src, sizeof(src), "%s/%s", img_fixture_dir(), from);
	data = img_fixture_slurp(src, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	if (len)
		memcpy(data + off, bytes, len);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(fwrite(data, 1, truncate_to ? truncate_to : n, f) ==
		  (truncate_to ? truncate_to : n));
	fclose(f);
	free(data);
	return path;
}

static void test_gpt_backup(void)
{
	static struct img_table t, good;
	static const uint8_t junk[4] = { 1, 2, 3, 4 };
	char orig[512];
	const char *p;

	if (!img_fixture_dir()) {
		unit_skip("%s", img_fixture_why());
		return;
	}
	snprintf(orig, sizeof(orig), "%s/centos-gpt.img", img_fixture_dir());
	CU_ASSERT_EQUAL_FATAL(table_of(orig, &good), 0);
	CU_ASSERT_FALSE(good.gpt_backup_used);
	CU_ASSERT_EQUAL_FATAL(good.nr, 3);
	CU_ASSERT_EQUAL(good.parts[0].start, 2048 * 512); /* as mkimages' sfdisk script says */
	CU_ASSERT_EQUAL(good.parts[1].start, 4096 * 512);
	/* Primary header CRC broken: the backup's table, said so. */
	p = damaged("centos-gpt.img", "gpt-hdr.img", 512 + 16, junk, 4, 0);
	CU_ASSERT_EQUAL_FATAL(table_of(p, &t), 0);
	CU_ASSERT(t.gpt_backup_used);
	CU_ASSERT_EQUAL_FATAL(t.nr, 3);
	CU_ASSERT(!memcmp(t.parts, good.parts, 3 * sizeof(t.parts[0])));
	/* Primary entry array broken (its CRC no longer matches): the backup again. */
	p = damaged("centos-gpt.img", "gpt-ent.img", 1024 + 40, junk, 4, 0);
	CU_ASSERT_EQUAL_FATAL(table_of(p, &t), 0);
	CU_ASSERT(t.gpt_backup_used);
	CU_ASSERT(!memcmp(t.parts, good.parts, 3 * sizeof(t.parts[0])));
	/* Truncated image: the primary's usable range no longer fits, no backup either. */
	p = damaged("centos-gpt.img", "gpt-cut.img", 0, NULL, 0, 4 << 20);
	CU_ASSERT_EQUAL(table_of(p, &t), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "primary GPT header"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "backup GPT header"));
	/* Only the first 2 sectors: no entry array at all. */
	p = damaged("centos-gpt.img", "gpt-tiny.img", 0, NULL, 0, 1024);
	CU_ASSERT_NOT_EQUAL(table_of(p, &t), 0);
}

static void test_other_filesystems(void)
{
	static uint8_t s[2][512];
	static const uint64_t at[2] = { 0, 2048 };
	static struct img_boot b;
	const char *p;

	memset(s, 0, sizeof(s));
	put_entry(s[0], 0, 0x80, 0x83, 2048, 4096);
	memcpy(s[1], "XFSB", 4);
	p = write_image("xfs.img", 8192, s, at, 2);
	CU_ASSERT_EQUAL(img_open(p, &b, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "partition 1 holds a XFS filesystem"));
	/* A partitionless btrfs (superblock magic at 64 KiB + 0x40). */
	{
		static uint8_t bt[1][512];
		static const uint64_t bat[1] = { 0x10000 / 512 };

		memset(bt, 0, sizeof(bt));
		memcpy(bt[0] + 0x40, "_BHRfS_M", 8);
		p = write_image("btrfs.img", 1024, bt, bat, 1);
		CU_ASSERT_EQUAL(img_open(p, &b, err, sizeof(err)), -ENOENT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "btrfs"));
	}
}

static void test_corrupt_ext(void)
{
	static struct img_boot b;
	static uint8_t zero[6144];
	const char *p;

	if (!img_fixture_dir()) {
		unit_skip("%s", img_fixture_why());
		return;
	}
	/* The group descriptors of partition 1 zeroed: the block after the superblock's,
	 * byte 2048 with 1 KiB blocks, 4096 with 4 KiB blocks; both are covered. */
	p = damaged("debian-mbr.img", "ext-gd.img", (1 << 20) + 2048, zero, sizeof(zero), 0);
	CU_ASSERT_NOT_EQUAL(img_open(p, &b, err, sizeof(err)), 0);
	if (!strstr(err, "partition 1: corrupt ext4 filesystem"))
		fprintf(stderr, "%s\n", err);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "partition 1: corrupt ext4 filesystem"));
	/* The filesystem cut short by a truncated image. */
	p = damaged("amazon-whole.img", "ext-cut.img", 0, NULL, 0, 4 << 20);
	CU_ASSERT_NOT_EQUAL(img_open(p, &b, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "larger than the partition"));
}

static void test_path_normalise(void)
{
	char out[64];

	CU_ASSERT_EQUAL(img_path_normalise("/boot//grub/./x", out, sizeof(out), err, sizeof(err)),
			0);
	CU_ASSERT_STRING_EQUAL(out, "/boot/grub/x");
	CU_ASSERT_EQUAL(img_path_normalise("/boot/../vmlinuz", out, sizeof(out), err, sizeof(err)),
			0);
	CU_ASSERT_STRING_EQUAL(out, "/vmlinuz");
	CU_ASSERT_EQUAL(img_path_normalise("/", out, sizeof(out), err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/");
	CU_ASSERT_EQUAL(
		img_path_normalise("/boot/../../etc/shadow", out, sizeof(out), err, sizeof(err)),
		-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "leaves the filesystem"));
	CU_ASSERT_EQUAL(img_path_normalise("vmlinuz", out, sizeof(out), err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(
		img_path_normalise(
			"/a/very/long/path/that/does/not/fit/in/sixty/four/bytes/at/all/not/at/all",
			out, sizeof(out), err, sizeof(err)),
		-ENAMETOOLONG);
}

UNIT_SUITE(tables, img_fixture_init, img_fixture_cleanup, UNIT_TEST(test_mbr_logicals),
	   UNIT_TEST(test_mbr_loop), UNIT_TEST(test_mbr_bounds), UNIT_TEST(test_gpt_backup),
	   UNIT_TEST(test_other_filesystems), UNIT_TEST(test_corrupt_ext),
	   UNIT_TEST(test_path_normalise));
