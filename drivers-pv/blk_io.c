// SPDX-License-Identifier: GPL-2.0
/*
 * The disk engine on io_uring (blk_io.h). Reads, writes, flushes (IORING_OP_FSYNC with
 * IORING_FSYNC_DATASYNC) and file discards (IORING_OP_FALLOCATE punching a hole, the size
 * kept) go through the ring; a device discard is the BLKDISCARD ioctl, which io_uring
 * cannot issue, done on the spot and reported at the next reap like the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "drivers-pv/blk_io.h"

/* Whether the device's queue takes discards (its discard_max_bytes is not 0). */
static bool device_discards(dev_t rdev)
{
	char path[96], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/discard_max_bytes", major(rdev),
		 minor(rdev));
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoull(buf, NULL, 10) > 0;
}

static int probe_blockdev(struct blk_disk *disk, const struct stat *st)
{
	uint64_t size;
	int lbs, pbs;

	if (ioctl(disk->fd, BLKGETSIZE64, &size) || ioctl(disk->fd, BLKSSZGET, &lbs) ||
	    ioctl(disk->fd, BLKPBSZGET, &pbs))
		return -errno;
	disk->blockdev = true;
	disk->size = size;
	disk->logical_block_size = lbs;
	disk->physical_block_size = pbs;
	disk->discard = !disk->readonly && device_discards(st->st_rdev);
	return 0;
}

static void probe_file(struct blk_disk *disk, const struct stat *st)
{
	uint32_t fs_block = st->st_blksize;

	disk->blockdev = false;
	disk->size = st->st_size;
	disk->logical_block_size = 512;
	/* The file system's block, when it is a sane one: partial blocks cost it a read. */
	if (fs_block >= 512 && fs_block <= 65536 && !(fs_block & (fs_block - 1)))
		disk->physical_block_size = fs_block;
	else
		disk->physical_block_size = 512;
	/* Whether holes can be punched shows at the first discard (EOPNOTSUPP then). */
	disk->discard = !disk->readonly;
}

int blk_disk_open(struct blk_disk *disk, const char *path, bool readonly)
{
	struct stat st;
	int rc;

	memset(disk, 0, sizeof(*disk));
	disk->readonly = readonly;
	disk->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (disk->fd < 0)
		return -errno;
	if (fstat(disk->fd, &st)) {
		rc = -errno;
		goto fail;
	}
	if (S_ISBLK(st.st_mode)) {
		rc = probe_blockdev(disk, &st);
		if (rc)
			goto fail;
	} else if (S_ISREG(st.st_mode)) {
		probe_file(disk, &st);
	} else {
		rc = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	close(disk->fd);
	disk->fd = -1;
	return rc;
}

void blk_disk_close(struct blk_disk *disk)
{
	if (disk->fd >= 0)
		close(disk->fd);
	disk->fd = -1;
}

int blk_io_init(struct blk_io *io, unsigned int depth)
{
	int rc;

	memset(io, 0, sizeof(*io));
	io->depth = depth;
	io->sync_done = calloc(depth, sizeof(*io->sync_done));
	if (!io->sync_done)
		return -ENOMEM;
	io->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->efd < 0) {
		rc = -errno;
		goto free_sync;
	}
	rc = io_uring_queue_init(depth, &io->ring, 0);
	if (rc)
		goto close_efd;
	rc = io_uring_register_eventfd(&io->ring, io->efd);
	if (rc)
		goto exit_ring;
	return 0;
exit_ring:
	io_uring_queue_exit(&io->ring);
close_efd:
	close(io->efd);
free_sync:
	free(io->sync_done);
	io->sync_done = NULL;
	return rc;
}

void blk_io_exit(struct blk_io *io)
{
	if (!io->sync_done)
		return;
	io_uring_queue_exit(&io->ring);
	close(io->efd);
	free(io->sync_done);
	io->sync_done = NULL;
}

unsigned int blk_io_in_flight(const struct blk_io *io)
{
	return io->queued + io->submitted + io->nr_sync;
}

static struct io_uring_sqe *next_sqe(struct blk_io *io)
{
	struct io_uring_sqe *sqe;

	if (blk_io_in_flight(io) >= io->depth)
		return NULL;
	sqe = io_uring_get_sqe(&io->ring);
	if (!sqe)
		return NULL;
	io->queued++;
	return sqe;
}

int blk_io_readv(struct blk_io *io, const struct blk_disk *disk, const struct iovec *iov,
		 unsigned int iovcnt, uint64_t offset, void *tag)
{
	struct io_uring_sqe *sqe = next_sqe(io);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_readv(sqe, disk->fd, iov, iovcnt, offset);
	io_uring_sqe_set_data(sqe, tag);
	return 0;
}

int blk_io_writev(struct blk_io *io, const struct blk_disk *disk, const struct iovec *iov,
		  unsigned int iovcnt, uint64_t offset, void *tag)
{
	struct io_uring_sqe *sqe;

	if (disk->readonly)
		return -EBADF;
	sqe = next_sqe(io);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_writev(sqe, disk->fd, iov, iovcnt, offset);
	io_uring_sqe_set_data(sqe, tag);
	return 0;
}

int blk_io_flush(struct blk_io *io, const struct blk_disk *disk, void *tag)
{
	struct io_uring_sqe *sqe = next_sqe(io);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_fsync(sqe, disk->fd, IORING_FSYNC_DATASYNC);
	io_uring_sqe_set_data(sqe, tag);
	return 0;
}

/* BLKDISCARD now; the result waits in sync_done and the eventfd says so. */
static int discard_device(struct blk_io *io, const struct blk_disk *disk, uint64_t offset,
			  uint64_t len, void *tag)
{
	uint64_t range[2] = { offset, len };
	int res = 0;

	if (blk_io_in_flight(io) >= io->depth)
		return -EBUSY;
	if (ioctl(disk->fd, BLKDISCARD, range))
		res = -errno;
	io->sync_done[io->nr_sync++] = (struct blk_io_sync_done){ .tag = tag, .res = res };
	eventfd_write(io->efd, 1);
	return 0;
}

int blk_io_discard(struct blk_io *io, const struct blk_disk *disk, uint64_t offset, uint64_t len,
		   void *tag)
{
	struct io_uring_sqe *sqe;

	if (disk->readonly)
		return -EBADF;
	if (disk->blockdev)
		return discard_device(io, disk, offset, len, tag);
	sqe = next_sqe(io);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_fallocate(sqe, disk->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset,
				len);
	io_uring_sqe_set_data(sqe, tag);
	return 0;
}

int blk_io_submit(struct blk_io *io)
{
	int rc;

	if (!io->queued)
		return 0;
	rc = io_uring_submit(&io->ring);
	if (rc < 0)
		return rc;
	io->queued -= rc;
	io->submitted += rc;
	return rc;
}

static int reap_sync(struct blk_io *io, blk_io_done_fn *done, void *arg)
{
	unsigned int n = io->nr_sync;

	/* Popped one by one: a callback may queue another device discard meanwhile. */
	for (unsigned int i = 0; i < n; i++) {
		struct blk_io_sync_done d = io->sync_done[--io->nr_sync];

		done(d.tag, d.res, arg);
	}
	return n;
}

int blk_io_reap(struct blk_io *io, bool wait, blk_io_done_fn *done, void *arg)
{
	struct io_uring_cqe *cqe;
	eventfd_t ignored;
	int n, rc;

	eventfd_read(io->efd, &ignored);
	n = reap_sync(io, done, arg);
	while (io->submitted) {
		if (wait && !n)
			rc = io_uring_wait_cqe(&io->ring, &cqe);
		else
			rc = io_uring_peek_cqe(&io->ring, &cqe);
		if (rc == -EINTR)
			continue;
		if (rc)
			break;
		void *tag = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&io->ring, cqe);
		io->submitted--;
		n++;
		done(tag, res, arg);
	}
	return n;
}
