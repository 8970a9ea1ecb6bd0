// SPDX-License-Identifier: GPL-2.0
/*
 * A vbd queue (drivers-pv/blkback_queue.c) between a frontend played here the way Linux's
 * blkfront plays it (a shared ring it initialised, pages granted to domain 0, requests
 * built as blkif_queue_rw_req and blkif_queue_discard_req build them) and an image file
 * checked with pread/pwrite and SEEK_HOLE. The fixture's domain has no KVM; its grant
 * table and memory are the real ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#include "drivers-pv/blkback_queue.h"
#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"

#include <xen/memory.h>

#define ARG 0x200000ULL
#define GT_GFN 0x300ULL /* grant frame 0: refs 0..511 */
#define RING_GFN 0x400ULL /* up to 4 ring pages */
#define INDIRECT_GFN 0x410ULL
#define DATA_GFN 0x500ULL /* data page i is DATA_GFN + i, granted by ref DATA_REF + i */
#define RING_REF 8
#define INDIRECT_REF 20
#define DATA_REF 100
#define NR_DATA 64
#define IMAGE_SIZE (1u << 20)

static struct xen_fixture fx;
static char image[64];
static struct blk_disk disk;
static struct blkback_queue q;
static blkif_front_ring_t front;
static unsigned int notifications;

static void count_notify(void *arg)
{
	notifications++;
}

static void grant(grant_ref_t ref, uint64_t gfn, bool readonly)
{
	struct grant_entry_v1 *e =
		(struct grant_entry_v1 *)fixture_ptr(&fx, GT_GFN << 12, 4096) + ref;

	e->domid = 0;
	e->frame = gfn;
	e->flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
}

static uint16_t grant_flags(grant_ref_t ref)
{
	return ((struct grant_entry_v1 *)fixture_ptr(&fx, GT_GFN << 12, 4096))[ref].flags;
}

static uint8_t *data_page(unsigned int i)
{
	return fixture_ptr(&fx, (DATA_GFN + i) << 12, 4096);
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 9));
}

/* A guest and an image; the queue started on `order` ring pages with these limits. */
static void start(unsigned int order, bool readonly, bool persistent)
{
	struct xen_add_to_physmap *xatp;
	grant_ref_t refs[4];
	struct blkback_queue_config cfg;
	int fd;

	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	xatp = fixture_ptr(&fx, ARG, sizeof(*xatp));
	*xatp = (struct xen_add_to_physmap){ .domid = DOMID_SELF,
					     .space = XENMAPSPACE_grant_table,
					     .gpfn = GT_GFN };
	CU_ASSERT_FATAL(fixture_call(&fx, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0) ==
			0);
	strcpy(image, "/tmp/blkback-queue.XXXXXX");
	fd = mkstemp(image);
	CU_ASSERT_FATAL(fd >= 0 && ftruncate(fd, IMAGE_SIZE) == 0);
	close(fd);
	CU_ASSERT_FATAL(blk_disk_open(&disk, image, readonly) == 0);

	struct blkif_sring *sring = fixture_ptr(&fx, RING_GFN << 12, 4096u << order);

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&front, sring, 4096u << order);
	for (unsigned int i = 0; i < (1u << order); i++) {
		refs[i] = RING_REF + i;
		grant(refs[i], RING_GFN + i, false);
	}
	for (unsigned int i = 0; i < NR_DATA; i++)
		grant(DATA_REF + i, DATA_GFN + i, false);
	notifications = 0;
	cfg = (struct blkback_queue_config){
		.dom = &fx.dom,
		.backend = 0,
		.disk = &disk,
		.limits = { .sectors = disk.size >> 9,
			    .readonly = readonly,
			    .discard = !readonly,
			    .flush = true,
			    .max_indirect_segments = 32 },
		.ring_refs = refs,
		.nr_ring_pages = 1u << order,
		.persistent = persistent,
		.notify = count_notify,
	};
	CU_ASSERT_FATAL(blkback_queue_start(&q, &cfg) == 0);
	CU_ASSERT_EQUAL(blkif_ring_size(&q.ring), RING_SIZE(&front));
}

static void stop(void)
{
	blkback_queue_stop(&q);
	blk_disk_close(&disk);
	unlink(image);
	fixture_destroy(&fx);
}

static struct blkif_request *next_req(void)
{
	struct blkif_request *r = RING_GET_REQUEST(&front, front.req_prod_pvt);

	memset(r, 0, sizeof(*r));
	r->id = front.req_prod_pvt;
	front.req_prod_pvt++;
	return r;
}

/* Data request of `nr` whole data pages from page `first`, at `sector`. */
static void rw_req(uint8_t op, uint64_t sector, unsigned int first, unsigned int nr)
{
	struct blkif_request *r = next_req();

	r->operation = op;
	r->nr_segments = nr;
	r->sector_number = sector;
	for (unsigned int i = 0; i < nr; i++)
		r->seg[i] = (struct blkif_request_segment){ .gref = DATA_REF + first + i,
							    .last_sect = 7 };
}

/* Publishes the requests, kicks the backend and collects `n` responses into rsp[]. */
static struct blkif_response rsp[128];

static unsigned int run(unsigned int n)
{
	unsigned int got = 0;
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	(void)notify;
	blkback_queue_kick(&q);
	for (int spins = 0; got < n && spins < 1000; spins++) {
		while (got < n && RING_HAS_UNCONSUMED_RESPONSES(&front)) {
			rsp[got++] = *RING_GET_RESPONSE(&front, front.rsp_cons);
			front.rsp_cons++;
		}
		if (got < n) {
			struct pollfd pfd = { .fd = blkback_queue_io_fd(&q), .events = POLLIN };

			poll(&pfd, 1, 100);
			blkback_queue_complete(&q);
		}
	}
	return got;
}

static void test_write_then_read(void)
{
	static uint8_t want[3 * 4096], back[3 * 4096];
	int fd;

	start(0, false, false);
	for (unsigned int i = 0; i < 3; i++)
		fill(data_page(i), 4096, i + 1);
	memcpy(want, data_page(0), sizeof(want));
	rw_req(BLKIF_OP_WRITE, 64, 0, 3);
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].id, 0);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_WRITE);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	CU_ASSERT(notifications >= 1);
	/* No grant stays taken once the response is out. */
	CU_ASSERT_EQUAL(grant_flags(DATA_REF), GTF_permit_access);
	fd = open(image, O_RDONLY);
	CU_ASSERT_EQUAL(pread(fd, back, sizeof(back), 64 * 512), (ssize_t)sizeof(back));
	CU_ASSERT_EQUAL(memcmp(back, want, sizeof(want)), 0);
	close(fd);

	/* The reverse: the host writes, the guest reads sectors 2..5 of a page. */
	fill(want, 4096, 9);
	fd = open(image, O_WRONLY);
	CU_ASSERT_EQUAL(pwrite(fd, want, 4096, 200 * 512), 4096);
	close(fd);
	memset(data_page(5), 0xcc, 4096);
	rw_req(BLKIF_OP_READ, 200, 5, 1);
	RING_GET_REQUEST(&front, front.req_prod_pvt - 1)->seg[0].first_sect = 2;
	RING_GET_REQUEST(&front, front.req_prod_pvt - 1)->seg[0].last_sect = 5;
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_READ);
	CU_ASSERT_EQUAL(memcmp(data_page(5) + 1024, want, 2048), 0);
	CU_ASSERT_EQUAL(data_page(5)[1023], 0xcc); /* outside the segment: untouched */
	CU_ASSERT_EQUAL(data_page(5)[3072], 0xcc);
	stop();
}

static void test_bad_requests_answered(void)
{
	struct blkif_request *r;

	start(0, false, false);
	rw_req(BLKIF_OP_READ, 0, 0, 1);
	RING_GET_REQUEST(&front, front.req_prod_pvt - 1)->seg[0].gref = 400; /* not granted */
	rw_req(BLKIF_OP_READ, IMAGE_SIZE / 512, 0, 1); /* past the end */
	r = next_req();
	r->operation = BLKIF_OP_RESERVED_1;
	rw_req(BLKIF_OP_READ, 0, 1, 1); /* a good one after them */
	CU_ASSERT_EQUAL_FATAL(run(4), 4);
	for (unsigned int i = 0; i < 4; i++) {
		int16_t want = i == 3 ? BLKIF_RSP_OKAY :
			       i == 2 ? BLKIF_RSP_EOPNOTSUPP :
					BLKIF_RSP_ERROR;

		/* In order of completion: the refused ones are answered at once. */
		CU_ASSERT_EQUAL(rsp[i].id, i);
		CU_ASSERT_EQUAL(rsp[i].status, want);
	}
	CU_ASSERT_EQUAL(q.errors, 3);
	stop();
}

static void test_read_only_disk(void)
{
	start(0, true, false);
	fill(data_page(0), 4096, 3);
	rw_req(BLKIF_OP_WRITE, 0, 0, 1);
	rw_req(BLKIF_OP_READ, 0, 0, 1);
	CU_ASSERT_EQUAL_FATAL(run(2), 2);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_ERROR);
	CU_ASSERT_EQUAL(rsp[1].status, BLKIF_RSP_OKAY);
	/* The read brought the image's zeroes over the pattern. */
	CU_ASSERT_EQUAL(data_page(0)[100], 0);
	stop();
}

static void test_flush_with_data_and_barrier(void)
{
	static uint8_t back[4096];
	int fd;

	start(0, false, false);
	fill(data_page(0), 4096, 4);
	rw_req(BLKIF_OP_FLUSH_DISKCACHE, 8, 0, 1); /* blkfront's FUA write */
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_FLUSH_DISKCACHE);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	fd = open(image, O_RDONLY);
	CU_ASSERT_EQUAL(pread(fd, back, 4096, 8 * 512), 4096);
	CU_ASSERT_EQUAL(memcmp(back, data_page(0), 4096), 0);
	/* A barrier behind two writes waits for them; all three are answered. */
	fill(data_page(1), 4096, 5);
	rw_req(BLKIF_OP_WRITE, 16, 1, 1);
	rw_req(BLKIF_OP_WRITE, 24, 1, 1);
	rw_req(BLKIF_OP_WRITE_BARRIER, 32, 1, 1);
	next_req()->operation = BLKIF_OP_FLUSH_DISKCACHE; /* empty flush */
	CU_ASSERT_EQUAL_FATAL(run(4), 4);
	for (unsigned int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(rsp[i].status, BLKIF_RSP_OKAY);
	/* The barrier came after both writes it waited for. */
	CU_ASSERT_EQUAL(rsp[2].operation == BLKIF_OP_WRITE_BARRIER ||
				rsp[3].operation == BLKIF_OP_WRITE_BARRIER,
			true);
	CU_ASSERT_EQUAL(pread(fd, back, 4096, 32 * 512), 4096);
	CU_ASSERT_EQUAL(memcmp(back, data_page(1), 4096), 0);
	close(fd);
	stop();
}

static void test_discard_makes_hole(void)
{
	struct blkif_request_discard *d;
	int fd;

	start(0, false, false);
	fill(data_page(0), 4096, 6);
	for (unsigned int i = 0; i < 16; i++)
		rw_req(BLKIF_OP_WRITE, 1024 + i * 8, 0, 1); /* 64 KiB at 512 KiB */
	CU_ASSERT_EQUAL_FATAL(run(16), 16);
	fd = open(image, O_RDONLY);
	CU_ASSERT_EQUAL(fsync(fd), 0);
	CU_ASSERT_EQUAL(lseek(fd, 1024 * 512, SEEK_HOLE), 1024 * 512 + 65536);
	d = (struct blkif_request_discard *)next_req();
	d->operation = BLKIF_OP_DISCARD;
	d->sector_number = 1024;
	d->nr_sectors = 128;
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_DISCARD);
	if (rsp[0].status == BLKIF_RSP_EOPNOTSUPP) {
		unit_skip("the file system under /tmp punches no holes");
	} else {
		CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
		CU_ASSERT_EQUAL(lseek(fd, 1024 * 512, SEEK_HOLE), 1024 * 512);
	}
	close(fd);
	stop();
}

static void test_indirect_read(void)
{
	struct blkif_request_indirect *ind;
	struct blkif_request_segment *segs;
	static uint8_t want[20 * 4096];
	int fd;

	start(0, false, false);
	segs = fixture_ptr(&fx, INDIRECT_GFN << 12, 4096);
	grant(INDIRECT_REF, INDIRECT_GFN, true); /* blkfront grants it read-only */
	fill(want, sizeof(want), 7);
	fd = open(image, O_WRONLY);
	CU_ASSERT_EQUAL(pwrite(fd, want, sizeof(want), 4096), (ssize_t)sizeof(want));
	close(fd);
	for (unsigned int i = 0; i < 20; i++)
		segs[i] =
			(struct blkif_request_segment){ .gref = DATA_REF + 19 - i, .last_sect = 7 };
	ind = (struct blkif_request_indirect *)next_req();
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = BLKIF_OP_READ;
	ind->nr_segments = 20;
	ind->sector_number = 8;
	ind->indirect_grefs[0] = INDIRECT_REF;
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].operation, BLKIF_OP_READ); /* indirect_op, as blkfront checks */
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	for (unsigned int i = 0; i < 20; i++)
		CU_ASSERT_EQUAL(memcmp(data_page(19 - i), want + i * 4096, 4096), 0);
	CU_ASSERT_EQUAL(grant_flags(INDIRECT_REF), GTF_permit_access | GTF_readonly);
	stop();
}

/*
 * Four ring pages (128 slots), 100 requests in flight: slots 36 and 72 begin 64 bytes
 * before a page ends, so the segments of those requests lie on the next page.
 */
static void test_multi_page_ring(void)
{
	static uint8_t back[512];
	bool seen[100] = { false };
	int fd;

	start(2, false, false);
	CU_ASSERT_EQUAL(blkif_ring_size(&q.ring), 128);
	for (unsigned int i = 0; i < NR_DATA; i++)
		fill(data_page(i), 512, i);
	/* Request i writes sectors 8i..8i+7, each from sector 0 of its own page. */
	for (unsigned int i = 0; i < 100; i++) {
		struct blkif_request *r = next_req();

		r->operation = BLKIF_OP_WRITE;
		r->nr_segments = 8;
		r->sector_number = i * 8;
		for (unsigned int k = 0; k < 8; k++)
			r->seg[k].gref = DATA_REF + (i * 8 + k) % NR_DATA;
	}
	CU_ASSERT_EQUAL_FATAL(run(100), 100);
	for (unsigned int i = 0; i < 100; i++) {
		CU_ASSERT_EQUAL(rsp[i].status, BLKIF_RSP_OKAY);
		if (rsp[i].id < 100)
			seen[rsp[i].id] = true;
	}
	for (unsigned int i = 0; i < 100; i++)
		CU_ASSERT_TRUE(seen[i]);
	fd = open(image, O_RDONLY);
	for (unsigned int s = 0; s < 800; s++) {
		CU_ASSERT_EQUAL(pread(fd, back, 512, s * 512), 512);
		CU_ASSERT_EQUAL(memcmp(back, data_page(s % NR_DATA), 512), 0);
	}
	close(fd);
	stop();
}

static void test_persistent_grants_kept(void)
{
	start(0, false, true);
	fill(data_page(0), 4096, 8);
	rw_req(BLKIF_OP_WRITE, 0, 0, 2);
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(rsp[0].status, BLKIF_RSP_OKAY);
	/* Still mapped after the response: blkfront keeps granting the same pages. */
	CU_ASSERT_EQUAL(grant_flags(DATA_REF), GTF_permit_access | GTF_reading | GTF_writing);
	CU_ASSERT_EQUAL(q.pgrants.count, 2);
	rw_req(BLKIF_OP_READ, 0, 0, 2);
	CU_ASSERT_EQUAL_FATAL(run(1), 1);
	CU_ASSERT_EQUAL(q.pgrants.count, 2);
	blkback_queue_stop(&q);
	CU_ASSERT_EQUAL(grant_flags(DATA_REF), GTF_permit_access);
	blk_disk_close(&disk);
	unlink(image);
	fixture_destroy(&fx);
}

/* A frontend claiming more requests than the ring holds is not served further. */
static void test_overrun_ring(void)
{
	start(0, false, false);
	front.sring->req_prod = 1000;
	blkback_queue_kick(&q);
	CU_ASSERT_TRUE(q.ring.broken);
	CU_ASSERT_EQUAL(q.requests, 0);
	CU_ASSERT_EQUAL(front.sring->rsp_prod, 0);
	stop();
}

UNIT_SUITE(blkback_queue, NULL, NULL, UNIT_TEST(test_write_then_read),
	   UNIT_TEST(test_bad_requests_answered), UNIT_TEST(test_read_only_disk),
	   UNIT_TEST(test_flush_with_data_and_barrier), UNIT_TEST(test_discard_makes_hole),
	   UNIT_TEST(test_indirect_read), UNIT_TEST(test_multi_page_ring),
	   UNIT_TEST(test_persistent_grants_kept), UNIT_TEST(test_overrun_ring))
