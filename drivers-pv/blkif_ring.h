/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend end of a blkif ring (io/blkif.h, io/ring.h) of 1 to 16 granted pages
 * (max-ring-page-order 4). Each page is mapped on its own through the grant table, so the
 * pages are not contiguous in the VMM: slots are reached by their byte offset in the
 * shared ring, and a slot that straddles two pages is copied in two parts. The indices in
 * the first page (req_prod, rsp_prod, req_event, rsp_event) follow io/ring.h's back-ring
 * rules through its macros.
 */
#ifndef XENKVM_DRIVERS_PV_BLKIF_RING_H
#define XENKVM_DRIVERS_PV_BLKIF_RING_H

#include <stdbool.h>

#include "drivers-pv/blkif_request.h"
#include "xen-emul/gnttab/grant_table.h"

/* max-ring-page-order we offer (Linux's blkback offers the same). */
#define BLKIF_MAX_RING_ORDER 4
#define BLKIF_MAX_RING_PAGES (1u << BLKIF_MAX_RING_ORDER)

struct blkif_ring {
	struct xen_domain *dom;
	unsigned int nr_pages;
	struct xen_gnttab_map pages[BLKIF_MAX_RING_PAGES];
	blkif_back_ring_t back; /* sring is page 0; nr_ents from the whole ring's size */
	bool broken; /* the frontend moved req_prod too far: no more requests are taken */
};

/*
 * Maps the frontend's ring pages (ring-ref, or ring-ref0..N) writable for backend domain
 * `backend`: 0, -EINVAL for a page count that is not a power of two up to 16, or -EIO
 * when a grant cannot be mapped (nothing stays mapped then).
 */
int blkif_ring_map(struct blkif_ring *ring, struct xen_domain *dom, domid_t backend,
		   const grant_ref_t *refs, unsigned int nr_pages);
void blkif_ring_unmap(struct blkif_ring *ring);

/* Slots (requests the frontend may have outstanding). */
static inline unsigned int blkif_ring_size(const struct blkif_ring *ring)
{
	return ring->back.nr_ents;
}

/*
 * The next request, copied once into *req, when one is waiting and there is room for its
 * response; false otherwise. Sets ring->broken (and returns false from then on) when
 * req_prod claims more requests than the ring can hold.
 */
bool blkif_ring_next_request(struct blkif_ring *ring, struct blkif_request *req);

/* Writes a response into the next response slot (published by blkif_ring_push()). */
void blkif_ring_put_response(struct blkif_ring *ring, uint64_t id, uint8_t op, int16_t status);

/* Publishes the responses written; true when the frontend asked to be notified. */
bool blkif_ring_push(struct blkif_ring *ring);

/*
 * After the requests were taken: re-arms req_event and reports whether more arrived
 * meanwhile (io/ring.h's RING_FINAL_CHECK_FOR_REQUESTS).
 */
bool blkif_ring_final_check(struct blkif_ring *ring);

#endif
