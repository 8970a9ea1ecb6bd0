// SPDX-License-Identifier: GPL-2.0
/*
 * blk_req_parse(): requests built as Linux's blkfront builds them (blkif_queue_rw_req,
 * blkif_queue_discard_req) are accepted with the meaning io/blkif.h gives them; malformed
 * ones get the status Linux's blkback answers (BLKIF_RSP_ERROR for a bad request,
 * BLKIF_RSP_EOPNOTSUPP for an operation not offered).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <xen/io/protocols.h>

#include "drivers-pv/blkif_request.h"
#include "tests/unit/unit.h"

/* A 1 MiB disk: 2048 sectors of 512 bytes. */
#define DISK_SECTORS 2048

static const struct blk_limits rw_disk = {
	.sectors = DISK_SECTORS,
	.discard = true,
	.flush = true,
	.max_indirect_segments = 32,
};

static struct blk_req req;

static struct blkif_request rw(uint8_t op, uint64_t sector, unsigned int nr_segs)
{
	struct blkif_request r = {
		.operation = op,
		.nr_segments = nr_segs,
		.id = 0x1234567890abcdefull,
		.sector_number = sector,
	};

	for (unsigned int i = 0; i < nr_segs && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
		r.seg[i] = (struct blkif_request_segment){ .gref = 100 + i, .last_sect = 7 };
	return r;
}

static void test_read_write_accepted(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 8, 11);

	r.seg[0].first_sect = 2; /* 6 sectors from the first page, then 10 full pages */
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(req.id, 0x1234567890abcdefull);
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(req.op, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(req.nr_segments, 11);
	CU_ASSERT_EQUAL(req.sector, 8);
	CU_ASSERT_EQUAL(req.nr_sectors, 6 + 10 * 8);
	CU_ASSERT_EQUAL(req.seg[10].gref, 110);
	CU_ASSERT_EQUAL(blk_seg_offset(&req.seg[0]), 1024);
	CU_ASSERT_EQUAL(blk_seg_len(&req.seg[0]), 3072);
	CU_ASSERT_FALSE(blk_req_writes(&req));

	r = rw(BLKIF_OP_WRITE, 0, 1);
	r.seg[0].first_sect = r.seg[0].last_sect = 7; /* one sector, the page's last */
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(req.nr_sectors, 1);
	CU_ASSERT_EQUAL(blk_seg_offset(&req.seg[0]), 3584);
	CU_ASSERT_TRUE(blk_req_writes(&req));
}

static void test_segment_count(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 0, 0);

	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = rw(BLKIF_OP_WRITE, 0, 11);
	r.nr_segments = 12;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r.nr_segments = 255;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	/* The response still names the request. */
	CU_ASSERT_EQUAL(req.id, 0x1234567890abcdefull);
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_WRITE);
}

static void test_segment_sectors(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, 0, 2);

	r.seg[1].first_sect = 5;
	r.seg[1].last_sect = 4;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r.seg[1].first_sect = 0;
	r.seg[1].last_sect = 8; /* a 4 KiB page has sectors 0..7 */
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r.seg[1].first_sect = 8;
	r.seg[1].last_sect = 8;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r.seg[1].first_sect = 255;
	r.seg[1].last_sect = 255;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
}

static void test_range_inside_disk(void)
{
	struct blkif_request r = rw(BLKIF_OP_READ, DISK_SECTORS - 16, 2);

	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0); /* the last 16 sectors */
	r.sector_number = DISK_SECTORS - 15;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r.sector_number = DISK_SECTORS;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	/* sector + length wrapping around 2^64 must not pass. */
	r.sector_number = UINT64_MAX - 3;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
}

static void test_read_only_disk(void)
{
	struct blk_limits ro = rw_disk;
	struct blkif_request r = rw(BLKIF_OP_WRITE, 0, 1);

	ro.readonly = true;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), BLKIF_RSP_ERROR);
	r.operation = BLKIF_OP_READ;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), 0);
	/* blkfront's FUA write: a flush carrying data. */
	r.operation = BLKIF_OP_FLUSH_DISKCACHE;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), BLKIF_RSP_ERROR);
	r.operation = BLKIF_OP_WRITE_BARRIER;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), BLKIF_RSP_ERROR);
	/* An empty flush writes nothing. */
	r.nr_segments = 0;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), 0);
}

static void test_flush_and_barrier(void)
{
	struct blk_limits noflush = rw_disk;
	struct blkif_request r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);

	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(req.op, BLKIF_OP_FLUSH_DISKCACHE);
	CU_ASSERT_EQUAL(req.nr_segments, 0);
	CU_ASSERT_FALSE(blk_req_writes(&req));
	r = rw(BLKIF_OP_WRITE_BARRIER, 4, 3);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_WRITE_BARRIER);
	CU_ASSERT_EQUAL(req.nr_sectors, 24);
	CU_ASSERT_TRUE(blk_req_writes(&req));
	noflush.flush = false;
	CU_ASSERT_EQUAL(blk_req_parse(&noflush, &r, &req), BLKIF_RSP_EOPNOTSUPP);
}

static struct blkif_request discard(uint64_t sector, uint64_t nr, uint8_t flag)
{
	struct blkif_request r;
	struct blkif_request_discard *d = (struct blkif_request_discard *)&r;

	memset(&r, 0, sizeof(r));
	d->operation = BLKIF_OP_DISCARD;
	d->flag = flag;
	d->id = 77;
	d->sector_number = sector;
	d->nr_sectors = nr;
	return r;
}

static void test_discard(void)
{
	struct blk_limits ro = rw_disk, nodiscard = rw_disk;
	struct blkif_request r = discard(8, 2040, 0);

	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(req.op, BLKIF_OP_DISCARD);
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_DISCARD);
	CU_ASSERT_EQUAL(req.id, 77);
	CU_ASSERT_EQUAL(req.sector, 8);
	CU_ASSERT_EQUAL(req.nr_sectors, 2040);
	CU_ASSERT_FALSE(req.secure);
	r = discard(8, 2040, BLKIF_DISCARD_SECURE);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_TRUE(req.secure);
	r = discard(8, 2041, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = discard(1, UINT64_MAX, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = discard(0, 8, 0x80);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = discard(0, 8, 0);
	ro.readonly = true;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), BLKIF_RSP_ERROR);
	nodiscard.discard = false;
	CU_ASSERT_EQUAL(blk_req_parse(&nodiscard, &r, &req), BLKIF_RSP_EOPNOTSUPP);
}

static struct blkif_request indirect(uint8_t op, uint16_t nr_segs, uint64_t sector)
{
	struct blkif_request r;
	struct blkif_request_indirect *ind = (struct blkif_request_indirect *)&r;

	memset(&r, 0, sizeof(r));
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = op;
	ind->nr_segments = nr_segs;
	ind->id = 9;
	ind->sector_number = sector;
	for (unsigned int i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
		ind->indirect_grefs[i] = 500 + i;
	return r;
}

static void test_indirect(void)
{
	struct blkif_request_segment segs[32];
	struct blkif_request r = indirect(BLKIF_OP_WRITE, 32, 16);

	for (unsigned int i = 0; i < 32; i++)
		segs[i] = (struct blkif_request_segment){ .gref = 1000 + i, .last_sect = 7 };
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_TRUE(req.indirect);
	CU_ASSERT_EQUAL(req.op, BLKIF_OP_WRITE);
	/* blkfront checks the response's operation against indirect_op. */
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_WRITE);
	CU_ASSERT_EQUAL(req.nr_segments, 32);
	CU_ASSERT_EQUAL(req.nr_indirect_pages, 1);
	CU_ASSERT_EQUAL(req.indirect_grefs[0], 500);
	CU_ASSERT_EQUAL(blk_req_set_indirect_segments(&rw_disk, &req, segs), 0);
	CU_ASSERT_EQUAL(req.nr_sectors, 256);
	CU_ASSERT_EQUAL(req.seg[31].gref, 1031);

	segs[5].last_sect = 8;
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(blk_req_set_indirect_segments(&rw_disk, &req, segs), BLKIF_RSP_ERROR);
	segs[5].last_sect = 7;
	r = indirect(BLKIF_OP_READ, 32, DISK_SECTORS - 255);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(blk_req_set_indirect_segments(&rw_disk, &req, segs), BLKIF_RSP_ERROR);
}

static void test_indirect_limits(void)
{
	struct blk_limits big = rw_disk, none = rw_disk, ro = rw_disk;
	struct blkif_request r = indirect(BLKIF_OP_READ, 33, 0);

	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = indirect(BLKIF_OP_READ, 0, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	big.max_indirect_segments = BLK_MAX_INDIRECT_SEGMENTS;
	r = indirect(BLKIF_OP_READ, BLK_MAX_INDIRECT_SEGMENTS, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&big, &r, &req), 0);
	CU_ASSERT_EQUAL(req.nr_indirect_pages, 1);
	r = indirect(BLKIF_OP_READ, BLK_MAX_INDIRECT_SEGMENTS + 1, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&big, &r, &req), BLKIF_RSP_ERROR);
	/* Only read and write may be indirect. */
	r = indirect(BLKIF_OP_FLUSH_DISKCACHE, 16, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(req.rsp_op, BLKIF_OP_FLUSH_DISKCACHE);
	r = indirect(BLKIF_OP_INDIRECT, 16, 0);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_ERROR);
	r = indirect(BLKIF_OP_WRITE, 16, 0);
	ro.readonly = true;
	CU_ASSERT_EQUAL(blk_req_parse(&ro, &r, &req), BLKIF_RSP_ERROR);
	none.max_indirect_segments = 0;
	CU_ASSERT_EQUAL(blk_req_parse(&none, &r, &req), BLKIF_RSP_EOPNOTSUPP);
	/* A direct request is no indirect one. */
	r = rw(BLKIF_OP_READ, 0, 1);
	CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), 0);
	CU_ASSERT_EQUAL(blk_req_set_indirect_segments(&rw_disk, &req, r.seg), BLKIF_RSP_ERROR);
}

static void test_unknown_operations(void)
{
	static const uint8_t ops[] = { BLKIF_OP_RESERVED_1, 7, 8, 0x80, 0xff };

	for (unsigned int i = 0; i < sizeof(ops); i++) {
		struct blkif_request r = rw(ops[i], 0, 1);

		CU_ASSERT_EQUAL(blk_req_parse(&rw_disk, &r, &req), BLKIF_RSP_EOPNOTSUPP);
		CU_ASSERT_EQUAL(req.rsp_op, ops[i]);
		CU_ASSERT_EQUAL(req.id, 0x1234567890abcdefull);
	}
}

static void test_protocol_key(void)
{
	CU_ASSERT_EQUAL(blk_protocol_check(NULL), 0);
	CU_ASSERT_EQUAL(blk_protocol_check(""), 0);
	CU_ASSERT_EQUAL(blk_protocol_check(XEN_IO_PROTO_ABI_X86_64), 0);
	CU_ASSERT_EQUAL(blk_protocol_check("x86_32-abi"), -EPROTONOSUPPORT);
	CU_ASSERT_EQUAL(blk_protocol_check("arm-abi"), -EINVAL);
	CU_ASSERT_EQUAL(blk_protocol_check("x86_64-abi "), -EINVAL);
}

/* The layout the parser reads is the one blkfront writes: 112-byte slots, 32 per page. */
static void test_ring_layout(void)
{
	CU_ASSERT_EQUAL(sizeof(struct blkif_request), 112);
	CU_ASSERT_EQUAL(sizeof(struct blkif_request_segment), 8);
	CU_ASSERT_EQUAL(BLK_SEGS_PER_INDIRECT_PAGE, 512);
	CU_ASSERT_EQUAL(__CONST_RING_SIZE(blkif, 4096), 32);
}

UNIT_SUITE(blkif_request, NULL, NULL, UNIT_TEST(test_read_write_accepted),
	   UNIT_TEST(test_segment_count), UNIT_TEST(test_segment_sectors),
	   UNIT_TEST(test_range_inside_disk), UNIT_TEST(test_read_only_disk),
	   UNIT_TEST(test_flush_and_barrier), UNIT_TEST(test_discard), UNIT_TEST(test_indirect),
	   UNIT_TEST(test_indirect_limits), UNIT_TEST(test_unknown_operations),
	   UNIT_TEST(test_protocol_key), UNIT_TEST(test_ring_layout))
