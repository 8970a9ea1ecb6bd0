// SPDX-License-Identifier: GPL-2.0
/*
 * The persistent-grant cache (blk_pgrant.h): an open-addressed hash of grant references,
 * never shrunk while the ring is connected, as blkfront expects its grants to stay mapped.
 */
#include <errno.h>
#include <stdlib.h>

#include "drivers-pv/blk_pgrant.h"

int blk_pgrant_init(struct blk_pgrant_cache *c, struct xen_domain *dom, domid_t backend,
		    unsigned int max)
{
	unsigned int slots = 16;

	while (slots < 2 * max)
		slots *= 2;
	*c = (struct blk_pgrant_cache){
		.dom = dom, .backend = backend, .max = max, .nr_slots = slots
	};
	c->slots = calloc(slots, sizeof(*c->slots));
	return c->slots ? 0 : -ENOMEM;
}

void blk_pgrant_destroy(struct blk_pgrant_cache *c)
{
	if (!c->slots)
		return;
	for (unsigned int i = 0; i < c->nr_slots; i++)
		if (c->slots[i].used)
			xen_gnttab_unmap(c->dom, &c->slots[i].map);
	free(c->slots);
	c->slots = NULL;
	c->count = 0;
}

void *blk_pgrant_get(struct blk_pgrant_cache *c, grant_ref_t ref)
{
	unsigned int i = (ref * 2654435761u) & (c->nr_slots - 1);
	struct blk_pgrant_entry *e;

	/* Fewer than half the slots are used, so the probe ends at a free one. */
	for (;; i = (i + 1) & (c->nr_slots - 1)) {
		e = &c->slots[i];
		if (!e->used)
			break;
		if (e->map.ref == ref)
			return e->map.addr;
	}
	if (c->count >= c->max)
		return NULL;
	if (xen_gnttab_map(c->dom, c->backend, ref, false, &e->map) != GNTST_okay)
		return NULL;
	e->used = true;
	c->count++;
	return e->map.addr;
}
