// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for blkif request checking (drivers-pv/blkif_request.c): any disk
 * limits, any 112-byte ring slot and any indirect segment pages. Whatever the input, an
 * accepted request must stay inside what io/blkif.h allows and inside the disk: a
 * known operation, a segment count within the limits, every segment inside its 4 KiB
 * page, the sector range inside the disk without wrapping, nothing written to a
 * read-only disk; a refused one must carry BLKIF_RSP_ERROR or BLKIF_RSP_EOPNOTSUPP.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers-pv/blkif_request.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static void check_segments(const struct blk_limits *lim, const struct blk_req *req)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < req->nr_segments; i++) {
		must(req->seg[i].first_sect <= req->seg[i].last_sect);
		must(req->seg[i].last_sect < BLK_SECTORS_PER_PAGE);
		must(blk_seg_offset(&req->seg[i]) + blk_seg_len(&req->seg[i]) <= BLK_PAGE_SIZE);
		sum += req->seg[i].last_sect - req->seg[i].first_sect + 1u;
	}
	must(sum == req->nr_sectors);
	must(req->sector <= lim->sectors && req->nr_sectors <= lim->sectors - req->sector);
}

static void check_accepted(const struct blk_limits *lim, const struct blkif_request *ring,
			   const struct blk_req *req)
{
	switch (req->op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		must(req->nr_segments >= 1);
		must(req->nr_segments <=
		     (req->indirect ? lim->max_indirect_segments : BLKIF_MAX_SEGMENTS_PER_REQUEST));
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		must(lim->flush && !req->indirect);
		must(req->nr_segments <= BLKIF_MAX_SEGMENTS_PER_REQUEST);
		break;
	case BLKIF_OP_DISCARD:
		must(lim->discard && !lim->readonly && req->nr_segments == 0);
		must(req->sector <= lim->sectors && req->nr_sectors <= lim->sectors - req->sector);
		return;
	default:
		must(0);
	}
	must(!(lim->readonly && blk_req_writes(req)));
	must(req->rsp_op == (req->indirect ? req->op : ring->operation));
	if (!req->indirect)
		check_segments(lim, req);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct blk_req req;
	static struct blkif_request_segment segs[BLK_MAX_INDIRECT_SEGMENTS];
	struct input in = { data, size };
	struct blkif_request ring;
	struct blk_limits lim;
	uint8_t flags = take(&in, 1);
	int rc;

	lim = (struct blk_limits){
		.sectors = take(&in, 8),
		.readonly = flags & 1,
		.discard = flags & 2,
		.flush = flags & 4,
		.max_indirect_segments = take(&in, 2) % (BLK_MAX_INDIRECT_SEGMENTS + 1),
	};
	memset(&ring, 0, sizeof(ring));
	memcpy(&ring, in.p, in.left < sizeof(ring) ? in.left : sizeof(ring));
	in.p += in.left < sizeof(ring) ? in.left : sizeof(ring);
	in.left -= in.left < sizeof(ring) ? in.left : sizeof(ring);

	memset(&req, 0xa5, sizeof(req));
	rc = blk_req_parse(&lim, &ring, &req);
	must(req.id == ring.id);
	if (rc) {
		must(rc == BLKIF_RSP_ERROR || rc == BLKIF_RSP_EOPNOTSUPP);
		return 0;
	}
	check_accepted(&lim, &ring, &req);
	if (!req.indirect)
		return 0;
	must(req.nr_indirect_pages >= 1 &&
	     req.nr_indirect_pages <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
	must((unsigned int)req.nr_indirect_pages * BLK_SEGS_PER_INDIRECT_PAGE >= req.nr_segments);
	memset(segs, 0, sizeof(segs));
	memcpy(segs, in.p, in.left < sizeof(segs) ? in.left : sizeof(segs));
	rc = blk_req_set_indirect_segments(&lim, &req, segs);
	if (rc) {
		must(rc == BLKIF_RSP_ERROR);
		return 0;
	}
	check_segments(&lim, &req);
	return 0;
}
