/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One blkif request (io/blkif.h, the native x86_64 layout) taken off a guest's ring: the
 * backend copies the ring slot once (RING_COPY_REQUEST), blk_req_parse() checks the copy
 * and turns it into a struct blk_req, or into the status the response must carry
 * (BLKIF_RSP_ERROR, BLKIF_RSP_EOPNOTSUPP). An indirect request names pages of segment
 * descriptors: the backend copies those once too and hands them to
 * blk_req_set_indirect_segments(). Everything here is a pure function of its arguments.
 *
 * Units are those of a frontend that does not write feature-large-sector-size (Linux's
 * blkfront): sector_number, first_sect and last_sect count 512-byte sectors, 8 to a 4 KiB
 * page, whatever the disk's logical block size.
 */
#ifndef XENKVM_DRIVERS_PV_BLKIF_REQUEST_H
#define XENKVM_DRIVERS_PV_BLKIF_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/io/blkif.h>

#define BLK_SECTOR_SHIFT 9
#define BLK_SECTOR_SIZE (1u << BLK_SECTOR_SHIFT)
#define BLK_PAGE_SIZE (1u << XEN_PAGE_SHIFT)
#define BLK_SECTORS_PER_PAGE (BLK_PAGE_SIZE / BLK_SECTOR_SIZE)
/* Segment descriptors in one indirect page. */
#define BLK_SEGS_PER_INDIRECT_PAGE (BLK_PAGE_SIZE / sizeof(struct blkif_request_segment))
/*
 * feature-max-indirect-segments we offer (Linux's blkback offers the same 256; blkfront
 * asks for at most 32 by default, max_indirect_segments). 256 segments fit one page.
 */
#define BLK_MAX_INDIRECT_SEGMENTS 256

/* What a request is checked against: the disk and the features written to xenstore. */
struct blk_limits {
	uint64_t sectors; /* disk size in 512-byte sectors */
	bool readonly;
	bool discard; /* feature-discard offered */
	bool flush; /* feature-flush-cache / feature-barrier offered */
	uint16_t max_indirect_segments; /* feature-max-indirect-segments, 0: none */
};

/* A checked request: what to do, where, and which granted pages. */
struct blk_req {
	uint64_t id; /* echoed in the response */
	uint8_t rsp_op; /* operation echoed in the response (indirect: indirect_op) */
	/* BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE, _WRITE_BARRIER or _DISCARD */
	uint8_t op;
	bool indirect;
	bool secure; /* discard with BLKIF_DISCARD_SECURE */
	uint16_t nr_segments;
	uint8_t nr_indirect_pages;
	uint64_t sector; /* first 512-byte sector */
	uint64_t nr_sectors; /* data requests: the sum over segments */
	grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
	struct blkif_request_segment seg[BLK_MAX_INDIRECT_SEGMENTS];
};

/*
 * The frontend's "protocol" key: absent (NULL or ""), or XEN_IO_PROTO_ABI_X86_64, is the
 * native layout: 0. x86_32-abi (a 32-bit guest's layout) is refused with
 * -EPROTONOSUPPORT: its 32-bit-aligned structures are not in the public headers and
 * xenkvm runs 64-bit PVH guests' backends only; anything else -EINVAL.
 */
int blk_protocol_check(const char *protocol);

/*
 * Checks the request copied off the ring. Fills req->id and req->rsp_op whatever the
 * outcome (the response needs them) and returns:
 *  0                     a valid request; when req->indirect, its segments are still to be
 *                        read from req->indirect_grefs (blk_req_set_indirect_segments)
 *  BLKIF_RSP_EOPNOTSUPP  an operation not offered (reserved or unknown, discard without
 *                        feature-discard, flush without feature-flush-cache, indirect
 *                        without feature-max-indirect-segments)
 *  BLKIF_RSP_ERROR       anything else that is wrong (segment count, a segment's sectors,
 *                        the range outside the disk, a write to a read-only disk)
 */
int blk_req_parse(const struct blk_limits *lim, const struct blkif_request *ring_req,
		  struct blk_req *req);

/*
 * For an indirect request: takes the nr_segments descriptors copied from its indirect
 * pages (segs holds req->nr_segments entries, page after page) and checks them as
 * blk_req_parse() checks direct ones: 0 or BLKIF_RSP_ERROR.
 */
int blk_req_set_indirect_segments(const struct blk_limits *lim, struct blk_req *req,
				  const struct blkif_request_segment *segs);

/* Bytes a checked segment covers, and its offset within the granted page. */
static inline uint32_t blk_seg_len(const struct blkif_request_segment *seg)
{
	return (uint32_t)(seg->last_sect - seg->first_sect + 1) << BLK_SECTOR_SHIFT;
}

static inline uint32_t blk_seg_offset(const struct blkif_request_segment *seg)
{
	return (uint32_t)seg->first_sect << BLK_SECTOR_SHIFT;
}

/* True for requests that write the disk (a flush or barrier with data included). */
static inline bool blk_req_writes(const struct blk_req *req)
{
	return req->op != BLKIF_OP_READ && req->nr_segments > 0;
}

#endif
