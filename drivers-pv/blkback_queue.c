// SPDX-License-Identifier: GPL-2.0
/*
 * One vbd queue (blkback_queue.h): ring in, grant maps and io_uring I/O, responses out.
 * A request is answered exactly once: with an error as soon as it fails a check, or when
 * its last I/O stage completes. Segment mappings live from dispatch to completion and are
 * gone before the response is visible, so the frontend may reuse a page as soon as it
 * reads the response.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers-pv/blkback_queue.h"

static void release(struct blkback_queue *q, struct blkback_pending *p)
{
	for (unsigned int i = 0; i < p->nr_maps; i++)
		xen_gnttab_unmap(q->cfg.dom, &p->maps[i]);
	p->nr_maps = 0;
	p->next_free = q->free;
	q->free = p;
}

static void respond(struct blkback_queue *q, struct blkback_pending *p, int status)
{
	/* Unmapped first: the frontend may reuse the pages once it sees the response. */
	release(q, p);
	blkif_ring_put_response(&q->ring, p->req.id, p->req.rsp_op, status);
	if (status != BLKIF_RSP_OKAY)
		q->errors++;
}

static void push_and_notify(struct blkback_queue *q)
{
	if (blkif_ring_push(&q->ring) && q->cfg.notify)
		q->cfg.notify(q->cfg.notify_arg);
}

/* Copies the indirect pages' descriptors once and checks them. */
static int read_indirect(struct blkback_queue *q, struct blkback_pending *p)
{
	struct blk_req *r = &p->req;
	unsigned int done = 0;

	for (unsigned int i = 0; i < r->nr_indirect_pages; i++) {
		unsigned int n = r->nr_segments - done;

		if (n > BLK_SEGS_PER_INDIRECT_PAGE)
			n = BLK_SEGS_PER_INDIRECT_PAGE;
		if (xen_gnttab_copy_from(q->cfg.dom, q->cfg.backend, r->indirect_grefs[i], 0,
					 &q->indirect_segs[done],
					 n * sizeof(q->indirect_segs[0])) != GNTST_okay)
			return BLKIF_RSP_ERROR;
		done += n;
	}
	return blk_req_set_indirect_segments(&q->cfg.limits, r, q->indirect_segs);
}

/* Each segment's page, from the persistent grants or mapped for this request. */
static int map_segments(struct blkback_queue *q, struct blkback_pending *p)
{
	bool to_guest = p->req.op == BLKIF_OP_READ;

	for (unsigned int i = 0; i < p->req.nr_segments; i++) {
		const struct blkif_request_segment *seg = &p->req.seg[i];
		uint8_t *page = NULL;

		if (q->cfg.persistent)
			page = blk_pgrant_get(&q->pgrants, seg->gref);
		if (!page) {
			struct xen_gnttab_map *map = &p->maps[p->nr_maps];

			if (xen_gnttab_map(q->cfg.dom, q->cfg.backend, seg->gref, !to_guest, map) !=
			    GNTST_okay)
				return -EIO;
			p->nr_maps++;
			page = map->addr;
		}
		p->iov[i].iov_base = page + blk_seg_offset(seg);
		p->iov[i].iov_len = blk_seg_len(seg);
	}
	return 0;
}

static int submit_io(struct blkback_queue *q, struct blkback_pending *p)
{
	const struct blk_disk *disk = q->cfg.disk;
	struct blk_req *r = &p->req;
	uint64_t off = r->sector << BLK_SECTOR_SHIFT;
	int rc;

	if (r->op == BLKIF_OP_DISCARD)
		return blk_io_discard(&q->io, disk, off, r->nr_sectors << BLK_SECTOR_SHIFT, p);
	if (!r->nr_segments) /* an empty flush or barrier */
		return blk_io_flush(&q->io, disk, p);
	rc = map_segments(q, p);
	if (rc)
		return rc;
	p->flush_after = r->op == BLKIF_OP_FLUSH_DISKCACHE || r->op == BLKIF_OP_WRITE_BARRIER;
	if (r->op == BLKIF_OP_READ)
		return blk_io_readv(&q->io, disk, p->iov, r->nr_segments, off, p);
	return blk_io_writev(&q->io, disk, p->iov, r->nr_segments, off, p);
}

static void dispatch(struct blkback_queue *q, struct blkback_pending *p)
{
	p->flush_after = false;
	p->flushing = false;
	if (p->req.op == BLKIF_OP_DISCARD && !p->req.nr_sectors) {
		respond(q, p, BLKIF_RSP_OKAY);
		return;
	}
	if (submit_io(q, p)) {
		respond(q, p, BLKIF_RSP_ERROR);
		return;
	}
	q->active++;
}

static void begin(struct blkback_queue *q, struct blkback_pending *p,
		  const struct blkif_request *ring_req)
{
	int rc = blk_req_parse(&q->cfg.limits, ring_req, &p->req);

	p->nr_maps = 0;
	if (!rc && p->req.indirect)
		rc = read_indirect(q, p);
	if (rc) {
		respond(q, p, rc);
		return;
	}
	if (p->req.op == BLKIF_OP_WRITE_BARRIER && q->active) {
		q->held = p;
		return;
	}
	dispatch(q, p);
}

void blkback_queue_kick(struct blkback_queue *q)
{
	struct blkif_request ring_req;

	do {
		while (!q->held && q->free && blkif_ring_next_request(&q->ring, &ring_req)) {
			struct blkback_pending *p = q->free;

			q->free = p->next_free;
			q->requests++;
			begin(q, p, &ring_req);
		}
	} while (!q->held && q->free && blkif_ring_final_check(&q->ring));
	if (q->ring.broken && !q->errors) {
		fprintf(stderr, "xenkvm: vbd: the frontend's req_prod overran the ring\n");
		q->errors++;
	}
	if (blk_io_submit(&q->io) < 0)
		fprintf(stderr, "xenkvm: vbd: io_uring submit failed\n");
	push_and_notify(q);
}

/* Expected result of the stage that completed: bytes for data, 0 for the rest. */
static int expected_result(const struct blkback_pending *p)
{
	if (p->flushing || !p->req.nr_segments)
		return 0;
	return (int)(p->req.nr_sectors << BLK_SECTOR_SHIFT);
}

static void io_done(void *tag, int res, void *arg)
{
	struct blkback_pending *p = tag;
	struct blkback_queue *q = arg;
	int status = BLKIF_RSP_OKAY;

	if (res == -EOPNOTSUPP && p->req.op == BLKIF_OP_DISCARD)
		status = BLKIF_RSP_EOPNOTSUPP;
	else if (res != expected_result(p))
		status = BLKIF_RSP_ERROR;
	if (status == BLKIF_RSP_OKAY && p->flush_after) {
		p->flush_after = false;
		p->flushing = true;
		if (!blk_io_flush(&q->io, q->cfg.disk, p))
			return;
		status = BLKIF_RSP_ERROR;
	}
	q->active--;
	respond(q, p, status);
}

void blkback_queue_complete(struct blkback_queue *q)
{
	blk_io_reap(&q->io, false, io_done, q);
	if (q->held && !q->active) {
		struct blkback_pending *p = q->held;

		q->held = NULL;
		dispatch(q, p);
	}
	/* Submits the flush stages queued above, then takes what waited for room. */
	blkback_queue_kick(q);
}

int blkback_queue_start(struct blkback_queue *q, const struct blkback_queue_config *cfg)
{
	unsigned int slots;
	int rc;

	memset(q, 0, sizeof(*q));
	q->cfg = *cfg;
	q->cfg.ring_refs = NULL; /* only valid during the call */
	rc = blkif_ring_map(&q->ring, cfg->dom, cfg->backend, cfg->ring_refs, cfg->nr_ring_pages);
	if (rc)
		return rc;
	slots = blkif_ring_size(&q->ring);
	q->pending = calloc(slots, sizeof(*q->pending));
	if (!q->pending) {
		rc = -ENOMEM;
		goto unmap;
	}
	for (unsigned int i = slots; i-- > 0;) {
		q->pending[i].q = q;
		q->pending[i].next_free = q->free;
		q->free = &q->pending[i];
	}
	rc = blk_io_init(&q->io, slots);
	if (rc)
		goto free_pending;
	rc = blk_pgrant_init(&q->pgrants, cfg->dom, cfg->backend,
			     cfg->persistent ? BLK_PGRANT_DEFAULT_MAX : 0);
	if (rc)
		goto exit_io;
	return 0;
exit_io:
	blk_io_exit(&q->io);
free_pending:
	free(q->pending);
	q->pending = NULL;
unmap:
	blkif_ring_unmap(&q->ring);
	return rc;
}

static void drop_done(void *tag, int res, void *arg)
{
	struct blkback_queue *q = arg;

	q->active--;
	release(q, tag);
}

void blkback_queue_stop(struct blkback_queue *q)
{
	if (!q->pending)
		return;
	blk_io_submit(&q->io);
	while (blk_io_in_flight(&q->io))
		blk_io_reap(&q->io, true, drop_done, q);
	if (q->held)
		release(q, q->held);
	q->held = NULL;
	blk_pgrant_destroy(&q->pgrants);
	blk_io_exit(&q->io);
	free(q->pending);
	q->pending = NULL;
	blkif_ring_unmap(&q->ring);
}
