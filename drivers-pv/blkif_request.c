// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a blkif request copied off the ring (blkif_request.h). The rules are those of
 * io/blkif.h and of what Linux's blkfront sends: read and write carry 1..11 segments,
 * flush and barrier 0..11 (blkfront sends a FUA or preflush write as a flush or barrier
 * with its data), indirect requests read or write 1..feature-max-indirect-segments
 * segments described in up to 8 granted pages, each segment covers sectors
 * first_sect..last_sect of one 4 KiB page, and consecutive segments continue on the disk.
 */
#include <errno.h>
#include <string.h>

#include <xen/io/protocols.h>

#include "drivers-pv/blkif_request.h"

int blk_protocol_check(const char *protocol)
{
	if (!protocol || !protocol[0] || !strcmp(protocol, XEN_IO_PROTO_ABI_X86_64))
		return 0;
	if (!strcmp(protocol, XEN_IO_PROTO_ABI_X86_32))
		return -EPROTONOSUPPORT;
	return -EINVAL;
}

/*
 * Sums the sectors of req->seg[0..nr_segments) and checks each segment and the whole
 * range against the disk.
 */
static int check_segments(const struct blk_limits *lim, struct blk_req *req)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < req->nr_segments; i++) {
		const struct blkif_request_segment *seg = &req->seg[i];

		if (seg->first_sect > seg->last_sect || seg->last_sect >= BLK_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		total += seg->last_sect - seg->first_sect + 1u;
	}
	req->nr_sectors = total;
	/* Written so that a sector_number near 2^64 cannot wrap past the check. */
	if (req->sector > lim->sectors || total > lim->sectors - req->sector)
		return BLKIF_RSP_ERROR;
	return 0;
}

static int parse_discard(const struct blk_limits *lim, const struct blkif_request *ring_req,
			 struct blk_req *req)
{
	const struct blkif_request_discard *d = (const struct blkif_request_discard *)ring_req;

	if (!lim->discard)
		return BLKIF_RSP_EOPNOTSUPP;
	if (lim->readonly || (d->flag & ~BLKIF_DISCARD_SECURE))
		return BLKIF_RSP_ERROR;
	req->secure = d->flag & BLKIF_DISCARD_SECURE;
	req->sector = d->sector_number;
	req->nr_sectors = d->nr_sectors;
	if (req->sector > lim->sectors || req->nr_sectors > lim->sectors - req->sector)
		return BLKIF_RSP_ERROR;
	return 0;
}

static int parse_indirect(const struct blk_limits *lim, const struct blkif_request *ring_req,
			  struct blk_req *req)
{
	const struct blkif_request_indirect *ind = (const struct blkif_request_indirect *)ring_req;
	unsigned int pages;

	req->rsp_op = ind->indirect_op;
	if (!lim->max_indirect_segments)
		return BLKIF_RSP_EOPNOTSUPP;
	if (ind->indirect_op != BLKIF_OP_READ && ind->indirect_op != BLKIF_OP_WRITE)
		return BLKIF_RSP_ERROR;
	if (ind->nr_segments < 1 || ind->nr_segments > lim->max_indirect_segments ||
	    ind->nr_segments > BLK_MAX_INDIRECT_SEGMENTS)
		return BLKIF_RSP_ERROR;
	if (ind->indirect_op == BLKIF_OP_WRITE && lim->readonly)
		return BLKIF_RSP_ERROR;
	pages = (ind->nr_segments + BLK_SEGS_PER_INDIRECT_PAGE - 1) / BLK_SEGS_PER_INDIRECT_PAGE;
	req->op = ind->indirect_op;
	req->indirect = true;
	req->nr_segments = ind->nr_segments;
	req->nr_indirect_pages = pages;
	req->sector = ind->sector_number;
	memcpy(req->indirect_grefs, ind->indirect_grefs, pages * sizeof(grant_ref_t));
	return 0;
}

static int parse_direct(const struct blk_limits *lim, const struct blkif_request *ring_req,
			struct blk_req *req)
{
	bool cache_op = ring_req->operation == BLKIF_OP_FLUSH_DISKCACHE ||
			ring_req->operation == BLKIF_OP_WRITE_BARRIER;

	if (cache_op && !lim->flush)
		return BLKIF_RSP_EOPNOTSUPP;
	if (ring_req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	    (!cache_op && ring_req->nr_segments == 0))
		return BLKIF_RSP_ERROR;
	req->op = ring_req->operation;
	req->nr_segments = ring_req->nr_segments;
	req->sector = ring_req->sector_number;
	if (blk_req_writes(req) && lim->readonly)
		return BLKIF_RSP_ERROR;
	memcpy(req->seg, ring_req->seg, req->nr_segments * sizeof(req->seg[0]));
	return check_segments(lim, req);
}

int blk_req_parse(const struct blk_limits *lim, const struct blkif_request *ring_req,
		  struct blk_req *req)
{
	req->id = ring_req->id;
	req->rsp_op = ring_req->operation;
	req->indirect = false;
	req->secure = false;
	req->nr_segments = 0;
	req->nr_indirect_pages = 0;
	req->nr_sectors = 0;

	switch (ring_req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		return parse_direct(lim, ring_req, req);
	case BLKIF_OP_DISCARD:
		req->op = BLKIF_OP_DISCARD;
		return parse_discard(lim, ring_req, req);
	case BLKIF_OP_INDIRECT:
		return parse_indirect(lim, ring_req, req);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

int blk_req_set_indirect_segments(const struct blk_limits *lim, struct blk_req *req,
				  const struct blkif_request_segment *segs)
{
	if (!req->indirect || req->nr_segments > BLK_MAX_INDIRECT_SEGMENTS)
		return BLKIF_RSP_ERROR;
	memcpy(req->seg, segs, req->nr_segments * sizeof(req->seg[0]));
	return check_segments(lim, req);
}
