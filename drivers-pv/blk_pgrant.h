/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistent grants (feature-persistent, io/blkif.h note 7): a frontend that negotiated
 * them keeps granting the same pages, so the backend keeps each mapped (writable, as
 * blkfront grants them) from its first use until the ring disconnects, saving a map and an
 * unmap per segment. Up to `max` grants per ring are kept; beyond that, or for a grant that
 * cannot be mapped writable, the caller maps the page for the one request.
 */
#ifndef XENKVM_DRIVERS_PV_BLK_PGRANT_H
#define XENKVM_DRIVERS_PV_BLK_PGRANT_H

#include "xen-emul/gnttab/grant_table.h"

/* Linux's blkback keeps 1056 per ring by default (xen_blkif_max_pgrants). */
#define BLK_PGRANT_DEFAULT_MAX 1056

struct blk_pgrant_entry {
	bool used;
	struct xen_gnttab_map map;
};

struct blk_pgrant_cache {
	struct xen_domain *dom;
	domid_t backend;
	unsigned int max; /* grants kept at most */
	unsigned int count; /* grants kept */
	unsigned int nr_slots; /* hash slots, a power of two above 2 * max */
	struct blk_pgrant_entry *slots;
};

int blk_pgrant_init(struct blk_pgrant_cache *c, struct xen_domain *dom, domid_t backend,
		    unsigned int max);
/* Unmaps every kept grant and frees the cache. */
void blk_pgrant_destroy(struct blk_pgrant_cache *c);

/*
 * The kept mapping of `ref`, mapped now if it is new and there is room; NULL when it is
 * not kept (cache full, or the grant cannot be mapped writable).
 */
void *blk_pgrant_get(struct blk_pgrant_cache *c, grant_ref_t ref);

#endif
