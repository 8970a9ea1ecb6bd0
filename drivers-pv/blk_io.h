/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block backend's disk engine: a raw image file or a block device (struct blk_disk),
 * and an io_uring (struct blk_io, one per I/O thread) that reads and writes it at byte
 * offsets, flushes it (fdatasync: the data and the metadata needed to read it back are on
 * stable storage when the flush completes) and discards ranges of it (a hole punched in
 * a file, BLKDISCARD on a device).
 *
 * Each operation carries a caller's tag; completions come back through blk_io_reap() in
 * the order the kernel finishes them, with the result (bytes moved, 0, or -errno). The
 * engine's eventfd becomes readable when completions are waiting, so the I/O thread can
 * poll it next to the guest's event channel.
 */
#ifndef XENKVM_DRIVERS_PV_BLK_IO_H
#define XENKVM_DRIVERS_PV_BLK_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <liburing.h>

struct blk_disk {
	int fd;
	bool readonly; /* opened O_RDONLY */
	bool blockdev;
	bool discard; /* discards can be tried (a hole punch, or a device that discards) */
	uint64_t size; /* bytes */
	uint32_t logical_block_size; /* BLKSSZGET; 512 for a file */
	uint32_t physical_block_size; /* BLKPBSZGET; the file system's block for a file */
};

/*
 * Opens `path` (a regular file or a block device; anything else is -EINVAL) read-only or
 * read-write and finds its size and block sizes. -errno on failure, nothing left open.
 */
int blk_disk_open(struct blk_disk *disk, const char *path, bool readonly);
void blk_disk_close(struct blk_disk *disk);

/* A discard done on the spot (BLKDISCARD), waiting to be reaped. */
struct blk_io_sync_done {
	void *tag;
	int res;
};

struct blk_io {
	struct io_uring ring;
	int efd; /* completion eventfd */
	unsigned int depth;
	unsigned int queued; /* prepared, not yet submitted */
	unsigned int submitted; /* handed to the kernel, not reaped yet */
	unsigned int nr_sync; /* entries in sync_done */
	struct blk_io_sync_done *sync_done;
};

/* An engine for up to `depth` operations in flight. -errno on failure. */
int blk_io_init(struct blk_io *io, unsigned int depth);
void blk_io_exit(struct blk_io *io);

/*
 * Queue one operation (submitted by blk_io_submit()). -EBUSY when `depth` operations are
 * already queued or in flight; -EBADF for a write or discard on a read-only disk.
 */
int blk_io_readv(struct blk_io *io, const struct blk_disk *disk, const struct iovec *iov,
		 unsigned int iovcnt, uint64_t offset, void *tag);
int blk_io_writev(struct blk_io *io, const struct blk_disk *disk, const struct iovec *iov,
		  unsigned int iovcnt, uint64_t offset, void *tag);
int blk_io_flush(struct blk_io *io, const struct blk_disk *disk, void *tag);
int blk_io_discard(struct blk_io *io, const struct blk_disk *disk, uint64_t offset, uint64_t len,
		   void *tag);

/* Hands the queued operations to the kernel: the number submitted or -errno. */
int blk_io_submit(struct blk_io *io);

typedef void blk_io_done_fn(void *tag, int res, void *arg);

/*
 * Calls done(tag, res, arg) for every finished operation, waiting for at least one first
 * when `wait` (and something is in flight). Returns how many it reaped. Clears the
 * eventfd before looking, so a completion that lands meanwhile makes it readable again.
 */
int blk_io_reap(struct blk_io *io, bool wait, blk_io_done_fn *done, void *arg);

/* Operations submitted or queued and not reaped yet. */
unsigned int blk_io_in_flight(const struct blk_io *io);

#endif
