// SPDX-License-Identifier: MIT
/*
 * balloon_storm: a balloon driver gone mad. Forever: give 64 MiB back with one
 * XENMEM_decrease_reservation of order-0 extents, then take it back with one
 * XENMEM_populate_physmap, each with a nr_extents of 2^26 - 1 (the most a continuation
 * can encode) whose extent list ends at the top of RAM. Xen reads the extent after the
 * last one, fails to copy it and returns the number done (common/memory.c: a copy
 * failure stops the work, never an error), so each call must return exactly the 16384
 * extents of the list, and current_reservation must follow.
 */
#include "hostile.h"

#include <xen/memory.h>

#define PAGE 4096ULL
#define STORM_BASE (32ULL << 20)
#define STORM_PAGES 16384u
/* Xen's MEMOP_EXTENT_SHIFT (xen/include/xen/hypercall.h, not a public header) is 6. */
#define HUGE_COUNT ((~0u) >> 6)

static long reservation(unsigned long cmd, xen_pfn_t *extents, unsigned long nr)
{
	struct xen_memory_reservation r = { .nr_extents = nr, .domid = DOMID_SELF };

	set_xen_guest_handle(r.extent_start, extents);
	return HYPERVISOR_memory_op(cmd, &r);
}

static long current_pages(void)
{
	struct xen_memory_domain d = { .domid = DOMID_SELF };

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

/* The end of the RAM entry holding the storm area and the list after it. */
static uint64_t ram_end(void)
{
	unsigned int n;
	const struct hvm_memmap_table_entry *map = kit_memmap(&n);

	for (unsigned int i = 0; i < n; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= STORM_BASE &&
		    map[i].addr + map[i].size > STORM_BASE)
			return map[i].addr + map[i].size;
	return 0;
}

void test_main(void)
{
	uint64_t end = ram_end();
	xen_pfn_t *list = (xen_pfn_t *)(uintptr_t)(end - STORM_PAGES * sizeof(xen_pfn_t));
	unsigned long rounds = 0;
	long cur0;

	if (end < STORM_BASE + STORM_PAGES * PAGE + STORM_PAGES * sizeof(xen_pfn_t))
		kit_error("needs RAM from 32 MiB up to past 96 MiB (run with --memory 128)");
	for (unsigned int i = 0; i < STORM_PAGES; i++)
		list[i] = (STORM_BASE >> 12) + i;
	cur0 = current_pages();
	hostile_expect(cur0 > 0, "current_reservation returned %ld", cur0);
	hostile_start("decrease/populate 64 MiB with 2^26-1 extents");
	for (;;) {
		long rc = reservation(XENMEM_decrease_reservation, list, HUGE_COUNT);

		hostile_expect(rc == STORM_PAGES, "decrease_reservation round %lu returned %ld",
			       rounds, rc);
		rc = current_pages();
		hostile_expect(rc == cur0 - STORM_PAGES, "current_reservation %ld after decrease",
			       rc);
		rc = reservation(XENMEM_populate_physmap, list, HUGE_COUNT);
		hostile_expect(rc == STORM_PAGES, "populate_physmap round %lu returned %ld", rounds,
			       rc);
		rc = current_pages();
		hostile_expect(rc == cur0, "current_reservation %ld after populate", rc);
		hostile_round_done(++rounds);
	}
}
