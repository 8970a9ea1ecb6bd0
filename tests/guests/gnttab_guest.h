/* SPDX-License-Identifier: MIT */
/*
 * Grant-table helpers for the grant_* test guests, written from the protocol in
 * xen/grant_table.h and the way Linux's drivers/xen/grant-table.c uses it: an entry is
 * filled as frame and domid first, then the flags behind a write barrier; access ends
 * with a compare-and-swap of the flags that fails while GTF_reading/GTF_writing are set.
 */
#ifndef GNTTAB_GUEST_H
#define GNTTAB_GUEST_H

#include "kit.h"
#include "hypercall.h"

#include <xen/grant_table.h>
#include <xen/memory.h>

#define GUEST_PAGE 4096

static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

/* XENMEM_add_to_physmap(XENMAPSPACE_grant_table): frame idx at gfn. */
static inline long gnttab_place_frame(unsigned long idx, unsigned long gfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = idx,
		.gpfn = gfn,
	};

	return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
}

static inline uint16_t gnttab_flags(volatile struct grant_entry_v1 *e)
{
	return __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
}

/* Grants `frame` to `domid`: frame and domid first, flags last (gnttab_update_entry_v1). */
static inline void gnttab_grant(volatile struct grant_entry_v1 *e, domid_t domid, uint32_t frame,
				uint16_t flags)
{
	e->frame = frame;
	e->domid = domid;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&e->flags, flags, __ATOMIC_SEQ_CST);
}

/* Ends access as Linux does: false (entry untouched) while the backend holds it. */
static inline bool gnttab_end_access(volatile struct grant_entry_v1 *e)
{
	uint16_t flags = gnttab_flags(e);

	do {
		if (flags & (GTF_reading | GTF_writing))
			return false;
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return true;
}

static inline uint32_t fnv1a(const volatile uint8_t *p, unsigned int len)
{
	uint32_t h = 2166136261u;

	for (unsigned int i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static inline unsigned long gfn_of(const void *p)
{
	return (unsigned long)p >> 12; /* the kit identity-maps the low 4 GiB */
}

#endif
