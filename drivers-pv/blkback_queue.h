/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One queue of a vbd (a ring, its event channel, its I/O): requests are copied off the
 * ring and checked (blkif_request.h), their segments mapped through the grant table (or
 * found among the persistent grants), the I/O handed to the disk engine (blk_io.h), and
 * each response written when its I/O completes, in order of completion. Everything runs
 * on the queue's I/O thread: blkback_queue_kick() when the frontend notified the event
 * channel, blkback_queue_complete() when the engine's eventfd is readable.
 *
 * Ordering: a flush (BLKIF_OP_FLUSH_DISKCACHE) is an fdatasync, so it covers every write
 * completed before it; with data (blkfront's FUA or preflush write), the data is written
 * first and the fdatasync follows before the response. A barrier (BLKIF_OP_WRITE_BARRIER)
 * waits for every request taken before it to complete, then does the same.
 */
#ifndef XENKVM_DRIVERS_PV_BLKBACK_QUEUE_H
#define XENKVM_DRIVERS_PV_BLKBACK_QUEUE_H

#include <stdbool.h>
#include <sys/uio.h>

#include "drivers-pv/blk_io.h"
#include "drivers-pv/blk_pgrant.h"
#include "drivers-pv/blkif_request.h"
#include "drivers-pv/blkif_ring.h"

struct blkback_queue;

/* A request taken off the ring and not answered yet. */
struct blkback_pending {
	struct blkback_queue *q;
	struct blk_req req;
	bool flush_after; /* a write that an fdatasync must follow before the response */
	bool flushing; /* that fdatasync is in flight */
	unsigned int nr_maps; /* maps[] used: segments not among the persistent grants */
	struct xen_gnttab_map maps[BLK_MAX_INDIRECT_SEGMENTS];
	struct iovec iov[BLK_MAX_INDIRECT_SEGMENTS];
	struct blkback_pending *next_free;
};

struct blkback_queue_config {
	struct xen_domain *dom;
	domid_t backend; /* the domain the grants must name (0) */
	const struct blk_disk *disk;
	struct blk_limits limits;
	const grant_ref_t *ring_refs;
	unsigned int nr_ring_pages;
	bool persistent; /* both ends wrote feature-persistent = 1 */
	void (*notify)(void *arg); /* raise the frontend's event channel */
	void *notify_arg;
};

struct blkback_queue {
	struct blkback_queue_config cfg;
	struct blkif_ring ring;
	struct blk_io io;
	struct blk_pgrant_cache pgrants;
	struct blkback_pending *pending; /* one per ring slot */
	struct blkback_pending *free;
	struct blkback_pending *held; /* a barrier waiting for the requests before it */
	unsigned int active; /* taken, not answered, not held */
	struct blkif_request_segment indirect_segs[BLK_MAX_INDIRECT_SEGMENTS];
	/* Counters for --stats and tests. */
	unsigned long long requests, errors;
};

/* Maps the ring and prepares the engine: 0 or -errno (nothing left mapped). */
int blkback_queue_start(struct blkback_queue *q, const struct blkback_queue_config *cfg);
/* Waits for the I/O in flight, then unmaps everything. No response is sent after it. */
void blkback_queue_stop(struct blkback_queue *q);

/* The fd that becomes readable when I/O completed: call blkback_queue_complete(). */
static inline int blkback_queue_io_fd(const struct blkback_queue *q)
{
	return q->io.efd;
}

/* Takes the waiting requests off the ring and starts them. */
void blkback_queue_kick(struct blkback_queue *q);
/* Answers the requests whose I/O completed (then takes more off the ring). */
void blkback_queue_complete(struct blkback_queue *q);

#endif
