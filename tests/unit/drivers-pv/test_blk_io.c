// SPDX-License-Identifier: GPL-2.0
/*
 * The disk engine (drivers-pv/blk_io.c) on a real image file: what it writes is in the
 * file (read back with pread, not through the engine), what the file holds comes back from
 * its reads, a flush completes, a discard leaves a hole that lseek(SEEK_HOLE) finds, a
 * read-only disk is opened O_RDONLY and refuses writes, and the eventfd wakes a poller.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers-pv/blk_io.h"
#include "tests/unit/unit.h"

#define IMAGE_SIZE (1u << 20)

static char image[64];
static struct blk_io io;

struct completion {
	void *tag;
	int res;
};

static struct completion seen[64];
static unsigned int nr_seen;

static void record(void *tag, int res, void *arg)
{
	if (nr_seen < 64)
		seen[nr_seen++] = (struct completion){ tag, res };
}

/* Submits what is queued and waits until `n` completions were seen. */
static void run_until(unsigned int n)
{
	CU_ASSERT(blk_io_submit(&io) >= 0);
	while (nr_seen < n && blk_io_in_flight(&io))
		blk_io_reap(&io, true, record, NULL);
}

static int setup(void)
{
	int fd;

	strcpy(image, "/tmp/blk-io-test.XXXXXX");
	fd = mkstemp(image);
	if (fd < 0 || ftruncate(fd, IMAGE_SIZE))
		return -1;
	close(fd);
	return blk_io_init(&io, 16);
}

static int teardown(void)
{
	blk_io_exit(&io);
	unlink(image);
	return 0;
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7 + (i >> 9));
}

static void test_open_file(void)
{
	struct blk_disk disk;

	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, false), 0);
	CU_ASSERT_FALSE(disk.blockdev);
	CU_ASSERT_FALSE(disk.readonly);
	CU_ASSERT_EQUAL(disk.size, IMAGE_SIZE);
	CU_ASSERT_EQUAL(disk.logical_block_size, 512);
	CU_ASSERT(disk.physical_block_size >= 512 && disk.physical_block_size % 512 == 0);
	CU_ASSERT_EQUAL(fcntl(disk.fd, F_GETFL) & O_ACCMODE, O_RDWR);
	blk_disk_close(&disk);
	CU_ASSERT_EQUAL(disk.fd, -1);
	CU_ASSERT_EQUAL(blk_disk_open(&disk, "/tmp", true), -EINVAL);
	{
		struct stat st;

		/* A character device is no disk (checked only where /dev/zero is one). */
		if (!stat("/dev/zero", &st) && S_ISCHR(st.st_mode))
			CU_ASSERT_EQUAL(blk_disk_open(&disk, "/dev/zero", true), -EINVAL);
	}
	CU_ASSERT_EQUAL(blk_disk_open(&disk, "/nonexistent/disk.img", true), -ENOENT);
}

/* Two writes in one go, one of them from three buffers; then pread sees them. */
static void test_writev_lands_in_file(void)
{
	static uint8_t a[4096], b[512], c[1024], d[8192], back[8192];
	struct iovec abc[3] = { { a, sizeof(a) }, { b, sizeof(b) }, { c, sizeof(c) } };
	struct iovec dv = { d, sizeof(d) };
	struct blk_disk disk;

	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	fill(c, sizeof(c), 3);
	fill(d, sizeof(d), 4);
	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, false), 0);
	nr_seen = 0;
	CU_ASSERT_EQUAL(blk_io_writev(&io, &disk, abc, 3, 512 * 3, (void *)1), 0);
	CU_ASSERT_EQUAL(blk_io_writev(&io, &disk, &dv, 1, IMAGE_SIZE - sizeof(d), (void *)2), 0);
	CU_ASSERT_EQUAL(blk_io_in_flight(&io), 2);
	run_until(2);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 2);
	for (unsigned int i = 0; i < 2; i++)
		CU_ASSERT_EQUAL(seen[i].res, seen[i].tag == (void *)1 ? 5632 : 8192);
	CU_ASSERT_EQUAL(blk_io_in_flight(&io), 0);

	CU_ASSERT_EQUAL(pread(disk.fd, back, 5632, 512 * 3), 5632);
	CU_ASSERT_EQUAL(memcmp(back, a, 4096), 0);
	CU_ASSERT_EQUAL(memcmp(back + 4096, b, 512), 0);
	CU_ASSERT_EQUAL(memcmp(back + 4608, c, 1024), 0);
	CU_ASSERT_EQUAL(pread(disk.fd, back, 8192, IMAGE_SIZE - 8192), 8192);
	CU_ASSERT_EQUAL(memcmp(back, d, 8192), 0);
	blk_disk_close(&disk);
}

static void test_readv_returns_file(void)
{
	static uint8_t want[12288], x[4096], y[8192];
	struct iovec xy[2] = { { x, sizeof(x) }, { y, sizeof(y) } };
	struct blk_disk disk;

	fill(want, sizeof(want), 9);
	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, true), 0);
	{
		int fd = open(image, O_WRONLY);

		CU_ASSERT_EQUAL(pwrite(fd, want, sizeof(want), 65536), (ssize_t)sizeof(want));
		close(fd);
	}
	nr_seen = 0;
	CU_ASSERT_EQUAL(blk_io_readv(&io, &disk, xy, 2, 65536, &disk), 0);
	run_until(1);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 1);
	CU_ASSERT_PTR_EQUAL(seen[0].tag, &disk);
	CU_ASSERT_EQUAL(seen[0].res, 12288);
	CU_ASSERT_EQUAL(memcmp(x, want, 4096), 0);
	CU_ASSERT_EQUAL(memcmp(y, want + 4096, 8192), 0);
	blk_disk_close(&disk);
}

static void test_flush_completes(void)
{
	static uint8_t buf[4096];
	struct iovec v = { buf, sizeof(buf) };
	struct blk_disk disk;

	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, false), 0);
	nr_seen = 0;
	CU_ASSERT_EQUAL(blk_io_writev(&io, &disk, &v, 1, 0, (void *)1), 0);
	run_until(1);
	CU_ASSERT_EQUAL(blk_io_flush(&io, &disk, (void *)2), 0);
	run_until(2);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 2);
	CU_ASSERT_PTR_EQUAL(seen[1].tag, (void *)2);
	CU_ASSERT_EQUAL(seen[1].res, 0);
	blk_disk_close(&disk);
}

static void test_discard_punches_hole(void)
{
	static uint8_t buf[65536];
	struct iovec v = { buf, sizeof(buf) };
	struct blk_disk disk;
	struct stat before, after;

	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, false), 0);
	CU_ASSERT_TRUE(disk.discard);
	nr_seen = 0;
	CU_ASSERT_EQUAL(blk_io_writev(&io, &disk, &v, 1, 131072, NULL), 0);
	run_until(1);
	CU_ASSERT_EQUAL(fsync(disk.fd), 0);
	CU_ASSERT_EQUAL(fstat(disk.fd, &before), 0);
	CU_ASSERT_EQUAL(lseek(disk.fd, 131072, SEEK_HOLE), 131072 + 65536);

	CU_ASSERT_EQUAL(blk_io_discard(&io, &disk, 131072, 65536, (void *)3), 0);
	run_until(2);
	CU_ASSERT_EQUAL_FATAL(nr_seen, 2);
	if (seen[1].res == -EOPNOTSUPP) {
		unit_skip("the file system under /tmp punches no holes");
		blk_disk_close(&disk);
		return;
	}
	CU_ASSERT_EQUAL(seen[1].res, 0);
	CU_ASSERT_EQUAL(fstat(disk.fd, &after), 0);
	CU_ASSERT_EQUAL(after.st_size, IMAGE_SIZE); /* the size is kept */
	CU_ASSERT(after.st_blocks < before.st_blocks);
	CU_ASSERT_EQUAL(lseek(disk.fd, 131072, SEEK_HOLE), 131072);
	CU_ASSERT_EQUAL(pread(disk.fd, buf, 512, 131072 + 4096), 512);
	CU_ASSERT_EQUAL(buf[0], 0);
	CU_ASSERT_EQUAL(buf[511], 0);
	blk_disk_close(&disk);
}

static void test_read_only_refuses_writes(void)
{
	static uint8_t buf[512];
	struct iovec v = { buf, sizeof(buf) };
	struct blk_disk disk;

	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, true), 0);
	CU_ASSERT_TRUE(disk.readonly);
	CU_ASSERT_FALSE(disk.discard);
	CU_ASSERT_EQUAL(fcntl(disk.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	CU_ASSERT_EQUAL(blk_io_writev(&io, &disk, &v, 1, 0, NULL), -EBADF);
	CU_ASSERT_EQUAL(blk_io_discard(&io, &disk, 0, 4096, NULL), -EBADF);
	CU_ASSERT_EQUAL(blk_io_in_flight(&io), 0);
	/* The kernel would refuse it too: the descriptor itself cannot write. */
	CU_ASSERT_EQUAL(pwrite(disk.fd, buf, sizeof(buf), 0), -1);
	blk_disk_close(&disk);
}

static void test_depth_and_eventfd(void)
{
	static uint8_t buf[512];
	struct iovec v = { buf, sizeof(buf) };
	struct pollfd pfd = { .fd = io.efd, .events = POLLIN };
	struct blk_disk disk;

	CU_ASSERT_EQUAL_FATAL(blk_disk_open(&disk, image, true), 0);
	nr_seen = 0;
	for (unsigned int i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(blk_io_readv(&io, &disk, &v, 1, i * 512, NULL), 0);
	CU_ASSERT_EQUAL(blk_io_readv(&io, &disk, &v, 1, 0, NULL), -EBUSY);
	CU_ASSERT_EQUAL(blk_io_flush(&io, &disk, NULL), -EBUSY);
	CU_ASSERT_EQUAL(blk_io_submit(&io), 16);
	/* Completions make the eventfd readable; reaping without waiting takes them all. */
	CU_ASSERT_EQUAL(poll(&pfd, 1, 10000), 1);
	while (nr_seen < 16)
		blk_io_reap(&io, false, record, NULL);
	CU_ASSERT_EQUAL(blk_io_in_flight(&io), 0);
	CU_ASSERT_EQUAL(blk_io_reap(&io, true, record, NULL), 0); /* nothing: no wait */
	pfd.revents = 0;
	CU_ASSERT_EQUAL(poll(&pfd, 1, 0), 0);
	blk_disk_close(&disk);
}

UNIT_SUITE(blk_io, setup, teardown, UNIT_TEST(test_open_file), UNIT_TEST(test_writev_lands_in_file),
	   UNIT_TEST(test_readv_returns_file), UNIT_TEST(test_flush_completes),
	   UNIT_TEST(test_discard_punches_hole), UNIT_TEST(test_read_only_refuses_writes),
	   UNIT_TEST(test_depth_and_eventfd))
