// SPDX-License-Identifier: GPL-2.0
/*
 * The backend end of a multi-page blkif ring (blkif_ring.h). io/ring.h's macros need the
 * barriers below; they touch only the indices in the first page, while slots are copied
 * by byte offset across the separately mapped pages.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "drivers-pv/blkif_ring.h"

#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define SLOT_SIZE sizeof(union blkif_sring_entry)

int blkif_ring_map(struct blkif_ring *ring, struct xen_domain *dom, domid_t backend,
		   const grant_ref_t *refs, unsigned int nr_pages)
{
	memset(ring, 0, sizeof(*ring));
	if (!nr_pages || nr_pages > BLKIF_MAX_RING_PAGES || (nr_pages & (nr_pages - 1)))
		return -EINVAL;
	ring->dom = dom;
	for (unsigned int i = 0; i < nr_pages; i++) {
		if (xen_gnttab_map(dom, backend, refs[i], false, &ring->pages[i]) != GNTST_okay) {
			blkif_ring_unmap(ring);
			return -EIO;
		}
		ring->nr_pages = i + 1;
	}
	BACK_RING_INIT(&ring->back, (struct blkif_sring *)ring->pages[0].addr,
		       (size_t)nr_pages << XEN_PAGE_SHIFT);
	return 0;
}

void blkif_ring_unmap(struct blkif_ring *ring)
{
	for (unsigned int i = 0; i < ring->nr_pages; i++)
		xen_gnttab_unmap(ring->dom, &ring->pages[i]);
	ring->nr_pages = 0;
	ring->back.sring = NULL;
}

/* Byte `off` of the shared ring, and how many bytes follow it in the same page. */
static uint8_t *ring_byte(struct blkif_ring *ring, size_t off, size_t *room)
{
	*room = BLK_PAGE_SIZE - (off & (BLK_PAGE_SIZE - 1));
	return (uint8_t *)ring->pages[off >> XEN_PAGE_SHIFT].addr + (off & (BLK_PAGE_SIZE - 1));
}

static size_t slot_offset(const struct blkif_ring *ring, RING_IDX idx)
{
	return offsetof(struct blkif_sring, ring) + (idx & (ring->back.nr_ents - 1)) * SLOT_SIZE;
}

/* Copies between the ring and `buf`, page by page. */
static void ring_copy(struct blkif_ring *ring, size_t off, void *buf, size_t len, bool to_ring)
{
	uint8_t *p = buf;

	while (len) {
		size_t room, n;
		uint8_t *at = ring_byte(ring, off, &room);

		n = len < room ? len : room;
		if (to_ring)
			memcpy(at, p, n);
		else
			memcpy(p, at, n);
		off += n;
		p += n;
		len -= n;
	}
}

bool blkif_ring_next_request(struct blkif_ring *ring, struct blkif_request *req)
{
	blkif_back_ring_t *back = &ring->back;
	RING_IDX rp;

	if (ring->broken)
		return false;
	rp = __atomic_load_n(&back->sring->req_prod, __ATOMIC_RELAXED);
	xen_rmb(); /* the requests up to rp are written before rp */
	if (RING_REQUEST_PROD_OVERFLOW(back, rp)) {
		ring->broken = true;
		return false;
	}
	if (back->req_cons == rp || RING_REQUEST_CONS_OVERFLOW(back, back->req_cons))
		return false;
	ring_copy(ring, slot_offset(ring, back->req_cons), req, sizeof(*req), false);
	back->req_cons++;
	return true;
}

void blkif_ring_put_response(struct blkif_ring *ring, uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response rsp;

	memset(&rsp, 0, sizeof(rsp));
	rsp.id = id;
	rsp.operation = op;
	rsp.status = status;
	ring_copy(ring, slot_offset(ring, ring->back.rsp_prod_pvt), &rsp, sizeof(rsp), true);
	ring->back.rsp_prod_pvt++;
}

bool blkif_ring_push(struct blkif_ring *ring)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&ring->back, notify);
	return notify;
}

bool blkif_ring_final_check(struct blkif_ring *ring)
{
	int more;

	if (ring->broken)
		return false;
	RING_FINAL_CHECK_FOR_REQUESTS(&ring->back, more);
	return more;
}
