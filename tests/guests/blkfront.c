// SPDX-License-Identifier: MIT
/*
 * blkfront: a small block frontend that negotiates as Linux's xen-blkfront does
 * (talk_to_blkback, blkfront_connect): it waits for the backend's InitWait, reads the
 * keys blkfront reads, grants a ring page, allocates an unbound port for domain 0, writes
 * ring-ref, event-channel, protocol and feature-persistent, goes Initialised, and once
 * the backend is Connected goes Connected itself. Then it does I/O the way blkfront builds
 * requests: a multi-segment write, a flush, a read back, a read of what the host wrote
 * before boot, an indirect write, a discard, and requests the backend must refuse. The
 * host side (blkfront.tool) checks the image file while the guest waits, and answers in
 * data/host-verdict.
 *
 * Command line: vbd=N (the read-write disk's virtual-device number), sectors=N (its size
 * in 512-byte sectors), ro_vbd=N (a read-only disk, optional).
 */
#include "kit.h"
#include "events.h"
#include "gnttab_guest.h"
#include "xenbus.h"
#include "xs.h"

#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

#define SECOND 1000000ULL
#define NR_DATA 24
#define RING_REF 8
#define INDIRECT_REF 9
#define DATA_REF 16 /* data page i: DATA_REF + i */

/* The layout blkfront.tool checks (byte offsets in the image). */
#define GUEST_AREA 0 /* 8 pages written by the guest */
#define INDIRECT_AREA (128 * 1024) /* 16 pages written with one indirect request */
#define HOST_AREA (512 * 1024) /* 64 KiB the host wrote before boot */
#define DISCARD_AREA (768 * 1024) /* 64 KiB the host wrote, the guest discards */

static uint8_t gt_frame[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t ring_page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t indirect_page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t data[NR_DATA][GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));

static struct grant_entry_v1 *const gt = (struct grant_entry_v1 *)gt_frame;

struct vbd {
	unsigned int devid;
	struct kit_xenbus_dev xb;
	evtchn_port_t port;
	blkif_front_ring_t ring;
	unsigned long long sectors;
	unsigned int info, max_indirect;
	bool discard, flush;
};

static uint8_t guest_byte(uint64_t off)
{
	return (uint8_t)(off * 7 + (off >> 12) + 0x5a);
}

static uint8_t host_byte(uint64_t off)
{
	return (uint8_t)(off * 13 + 0x33);
}

static unsigned long long parse_num(const char *s)
{
	unsigned long long v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

/* A backend key as a number (64-bit: "sectors"); `dflt` when absent. */
static unsigned long long backend_num(struct vbd *v, const char *key, unsigned long long dflt)
{
	char path[192], buf[32];

	snprintf(path, sizeof(path), "%s/%s", v->xb.otherend, key);
	return kit_xs_read(0, path, buf, sizeof(buf)) == XS_READ && buf[0] ? parse_num(buf) : dflt;
}

static void write_key(struct vbd *v, const char *key, unsigned int val)
{
	check_eq(kit_xenbus_write_uint(&v->xb, key, val), 0, key);
}

static void switch_state(struct vbd *v, enum xenbus_state state)
{
	check_eq(kit_xenbus_switch_state(&v->xb, state), 0, "xenbus_switch_state");
}

static bool wait_backend_state(struct vbd *v, enum xenbus_state state)
{
	return kit_xenbus_wait_otherend(&v->xb, state, 20 * SECOND);
}

/* A number the runner passed as key=N on the command line; `dflt` when absent. */
static uint64_t cmdline_num(const char *key, uint64_t dflt)
{
	uint64_t v;

	return kit_cmdline_u64(key, &v) ? v : dflt;
}

/* blkfront's probe and talk_to_blkback, then blkfront_connect once the backend is up. */
static void connect(struct vbd *v, grant_ref_t ring_ref)
{
	struct blkif_sring *sring = (struct blkif_sring *)ring_page;

	if (kit_xenbus_probe("vbd", v->devid, &v->xb))
		kit_error("no vbd %u in xenstore", v->devid);
	if (!wait_backend_state(v, XenbusStateInitWait))
		kit_error("backend %s never reached InitWait", v->xb.otherend);
	v->max_indirect = backend_num(v, "feature-max-indirect-segments", 0);
	v->flush = backend_num(v, "feature-flush-cache", 0);
	v->discard = backend_num(v, "feature-discard", 0);

	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&v->ring, sring, GUEST_PAGE);
	gnttab_grant(&gt[ring_ref], v->xb.otherend_id, gfn_of(sring), GTF_permit_access);
	check_eq(kit_xenbus_alloc_evtchn(&v->xb, &v->port), 0, "alloc_unbound");
	write_key(v, "ring-ref", ring_ref);
	write_key(v, "event-channel", v->port);
	check_eq(kit_xenbus_write(&v->xb, "protocol", XEN_IO_PROTO_ABI_X86_64), 0, "protocol");
	write_key(v, "feature-persistent", 0);
	switch_state(v, XenbusStateInitialised);
	if (!wait_backend_state(v, XenbusStateConnected))
		kit_error("backend %s never Connected", v->xb.otherend);
	v->sectors = backend_num(v, "sectors", 0);
	v->info = backend_num(v, "info", ~0ull);
	check_eq(backend_num(v, "sector-size", 0), 512, "sector-size");
	check(backend_num(v, "physical-sector-size", 0) % 512 == 0, "physical-sector-size");
	switch_state(v, XenbusStateConnected);
}

static struct blkif_request *new_req(struct vbd *v, uint8_t op, uint64_t sector)
{
	struct blkif_request *r = RING_GET_REQUEST(&v->ring, v->ring.req_prod_pvt);

	memset(r, 0, sizeof(*r));
	r->operation = op;
	r->id = v->ring.req_prod_pvt;
	r->sector_number = sector;
	v->ring.req_prod_pvt++;
	return r;
}

/* Publishes the request, notifies if asked, and returns the response's status. */
static int run(struct vbd *v, uint8_t want_op)
{
	struct blkif_response rsp;
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&v->ring, notify);
	if (notify)
		kit_send(v->port);
	if (!kit_wait_for(RING_HAS_UNCONSUMED_RESPONSES(&v->ring), 10 * SECOND)) {
		fail("no response from the backend");
		return 99;
	}
	rsp = *RING_GET_RESPONSE(&v->ring, v->ring.rsp_cons);
	v->ring.rsp_cons++;
	check_eq(rsp.id, v->ring.rsp_cons - 1, "response id");
	check_eq(rsp.operation, want_op, "response operation");
	return rsp.status;
}

/* Grants data pages first..first+n-1 (read-only when the backend only reads them). */
static void grant_data(struct vbd *v, unsigned int first, unsigned int n, bool readonly)
{
	for (unsigned int i = first; i < first + n; i++)
		gnttab_grant(&gt[DATA_REF + i], v->xb.otherend_id, gfn_of(data[i]),
			     GTF_permit_access | (readonly ? GTF_readonly : 0));
}

static void end_data(unsigned int first, unsigned int n)
{
	for (unsigned int i = first; i < first + n; i++)
		check(gnttab_end_access(&gt[DATA_REF + i]), "data grant %u still held", i);
}

static void rw(struct vbd *v, uint8_t op, uint64_t sector, unsigned int first, unsigned int n,
	       int want)
{
	struct blkif_request *r = new_req(v, op, sector);

	r->nr_segments = n;
	for (unsigned int i = 0; i < n; i++)
		r->seg[i] = (struct blkif_request_segment){ .gref = DATA_REF + first + i,
							    .last_sect = 7 };
	grant_data(v, first, n, op != BLKIF_OP_READ);
	check_eq(run(v, op), want, op == BLKIF_OP_READ ? "read status" : "write status");
	end_data(first, n);
}

static void test_write_flush_read(struct vbd *v)
{
	const uint8_t *flat = &data[0][0]; /* the pages are contiguous */

	for (unsigned int i = 0; i < 8; i++)
		for (unsigned int b = 0; b < GUEST_PAGE; b++)
			data[i][b] = guest_byte(GUEST_AREA + i * GUEST_PAGE + b);
	rw(v, BLKIF_OP_WRITE, GUEST_AREA / 512, 0, 8, BLKIF_RSP_OKAY);
	if (v->flush) {
		new_req(v, BLKIF_OP_FLUSH_DISKCACHE, 0);
		check_eq(run(v, BLKIF_OP_FLUSH_DISKCACHE), BLKIF_RSP_OKAY, "flush");
	}
	memset(data[8], 0, 8 * GUEST_PAGE);
	rw(v, BLKIF_OP_READ, GUEST_AREA / 512, 8, 8, BLKIF_RSP_OKAY);
	check(!memcmp(data[8], data[0], 8 * GUEST_PAGE), "read back differs from the write");
	memset(data[0], 0, 16 * GUEST_PAGE);
	rw(v, BLKIF_OP_READ, HOST_AREA / 512, 0, 16, BLKIF_RSP_ERROR); /* 16 > 11 segments */
	rw(v, BLKIF_OP_READ, HOST_AREA / 512, 0, 11, BLKIF_RSP_OKAY);
	for (unsigned int i = 0; i < 11 * GUEST_PAGE; i++) {
		if (flat[i] != host_byte(HOST_AREA + i)) {
			fail("host-written byte %u: %x", i, flat[i]);
			break;
		}
	}
	printf("blkfront: wrote, flushed and read back 32 KiB; read 44 KiB the host wrote\n");
}

static void test_indirect(struct vbd *v)
{
	struct blkif_request_segment *segs = (struct blkif_request_segment *)indirect_page;
	struct blkif_request_indirect *ind;

	if (v->max_indirect < 16) {
		fail("feature-max-indirect-segments %u", v->max_indirect);
		return;
	}
	for (unsigned int i = 0; i < 16; i++) {
		for (unsigned int b = 0; b < GUEST_PAGE; b++)
			data[i][b] = guest_byte(INDIRECT_AREA + i * GUEST_PAGE + b);
		segs[i] = (struct blkif_request_segment){ .gref = DATA_REF + i, .last_sect = 7 };
	}
	/* blkfront grants indirect pages read-only. */
	gnttab_grant(&gt[INDIRECT_REF], v->xb.otherend_id, gfn_of(indirect_page),
		     GTF_permit_access | GTF_readonly);
	grant_data(v, 0, 16, true);
	ind = (struct blkif_request_indirect *)new_req(v, BLKIF_OP_INDIRECT, 0);
	ind->indirect_op = BLKIF_OP_WRITE;
	ind->nr_segments = 16;
	ind->sector_number = INDIRECT_AREA / 512;
	ind->indirect_grefs[0] = INDIRECT_REF;
	check_eq(run(v, BLKIF_OP_WRITE), BLKIF_RSP_OKAY, "indirect write");
	end_data(0, 16);
	check(gnttab_end_access(&gt[INDIRECT_REF]), "indirect grant still held");
	printf("blkfront: 64 KiB in one indirect request of 16 segments\n");
}

static void test_discard(struct vbd *v)
{
	struct blkif_request_discard *d;

	if (!v->discard) {
		fail("no feature-discard on a read-write image file");
		return;
	}
	d = (struct blkif_request_discard *)new_req(v, BLKIF_OP_DISCARD, 0);
	d->sector_number = DISCARD_AREA / 512;
	d->nr_sectors = 65536 / 512;
	check_eq(run(v, BLKIF_OP_DISCARD), BLKIF_RSP_OKAY, "discard");
}

static void test_refused(struct vbd *v)
{
	struct blkif_request *r;

	rw(v, BLKIF_OP_WRITE, v->sectors - 7, 0, 1, BLKIF_RSP_ERROR); /* one sector past the end */
	new_req(v, BLKIF_OP_RESERVED_1, 0)->nr_segments = 1;
	check_eq(run(v, BLKIF_OP_RESERVED_1), BLKIF_RSP_EOPNOTSUPP, "reserved operation");
	r = new_req(v, BLKIF_OP_READ, 0);
	r->nr_segments = 1;
	r->seg[0] = (struct blkif_request_segment){ .gref = 500, .last_sect = 7 }; /* not granted */
	check_eq(run(v, BLKIF_OP_READ), BLKIF_RSP_ERROR, "read into an ungranted page");
	r = new_req(v, BLKIF_OP_READ, 0);
	r->nr_segments = 1;
	r->seg[0] =
		(struct blkif_request_segment){ .gref = DATA_REF, .first_sect = 4, .last_sect = 3 };
	grant_data(v, 0, 1, false);
	check_eq(run(v, BLKIF_OP_READ), BLKIF_RSP_ERROR, "first_sect > last_sect");
	end_data(0, 1);
}

/* blkfront's way out: Closing, then Closed once the backend closed; grants end last. */
static void disconnect(struct vbd *v)
{
	switch_state(v, XenbusStateClosing);
	if (!wait_backend_state(v, XenbusStateClosing) &&
	    kit_xenbus_read_state(v->xb.otherend) != XenbusStateClosed)
		fail("backend did not close");
	switch_state(v, XenbusStateClosed);
	if (!wait_backend_state(v, XenbusStateClosed))
		fail("backend not Closed after the frontend");
	/* The backend unmapped the ring when it closed: the grant ends. */
	check(kit_wait_for(gnttab_end_access(&gt[RING_REF]), 5 * SECOND),
	      "ring grant still held after Closed");
	check_eq(kit_close(v->port), 0, "close the port");
}

static void test_read_only(unsigned int devid)
{
	struct vbd ro = { .devid = devid };

	connect(&ro, RING_REF);
	check(ro.info & VDISK_READONLY, "info %u lacks VDISK_READONLY", ro.info);
	check(!ro.discard, "feature-discard on a read-only disk");
	rw(&ro, BLKIF_OP_WRITE, 0, 0, 1, BLKIF_RSP_ERROR);
	rw(&ro, BLKIF_OP_READ, HOST_AREA / 512, 0, 1, BLKIF_RSP_OKAY);
	check_eq(data[0][5], host_byte(HOST_AREA + 5), "read-only disk data");
	disconnect(&ro);
	printf("blkfront: the read-only disk refused a write\n");
}

void test_main(void)
{
	struct vbd v = { 0 };
	char buf[160];
	unsigned int ro;

	kit_events_init();
	if (kit_xs_init())
		kit_skip("no xenstore");
	check_eq(gnttab_place_frame(0, gfn_of(gt_frame)), 0, "grant frame 0");
	v.devid = cmdline_num("vbd", 0);
	if (!v.devid)
		kit_error("no vbd= on the command line");

	connect(&v, RING_REF);
	check_eq(v.info & VDISK_READONLY, 0, "info READONLY on a read-write disk");
	check_eq(v.sectors, cmdline_num("sectors", 0), "sectors");
	test_write_flush_read(&v);
	test_indirect(&v);
	test_discard(&v);
	test_refused(&v);
	disconnect(&v);

	/* The host checks the image now (blkfront.tool) and says what it found. */
	check_eq(kit_xs_write(0, "data/guest-done", "1"), XS_WRITE, "data/guest-done");
	{
		uint64_t end = kit_system_time() + 15 * SECOND * 1000;

		buf[0] = '\0';
		while (kit_system_time() < end &&
		       kit_xs_read(0, "data/host-verdict", buf, sizeof(buf)) != XS_READ)
			;
		printf("blkfront: host verdict: %s\n", buf);
		check(!strcmp(buf, "ok"), "host verdict %s", buf);
	}
	ro = cmdline_num("ro_vbd", 0);
	if (ro)
		test_read_only(ro);
	printf("blkfront: done\n");
}
