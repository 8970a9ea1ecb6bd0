// SPDX-License-Identifier: GPL-2.0
/*
 * XENMEM reservation, accounting and memory-map sub-ops through the dispatcher, with
 * Xen 4.17's answers to an HVM domU (common/memory.c, arch/x86/mm.c): extents done as
 * the result, never an error, for the reservation ops; -EINVAL/-EFAULT/-ESRCH/-EPERM
 * for the counters; released pages handed back to the host and zero when populated.
 */
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"

#define REQ 0x200000ULL /* the request struct, identity-mapped RAM */
#define LIST 0x201000ULL /* the extent list */
#define BUF 0x202000ULL /* memory_map buffer */
#define STAT 0x203000ULL /* xen_memory_domain of the counter queries */
#define DATA 0x400000ULL /* pages the tests balloon */
#define DATA_PFN (DATA >> 12)
#define BAD 0x40000000000ULL
/* 32 MiB of RAM, in pages: libxl's PVH layout has no legacy hole. */
#define RAM_PAGES ((32ULL << 20) / 4096)
/* libxc's special pages below gfn 0xff000, populated for every domain. */
#define SPECIAL_PAGES 8

XEN_FIXTURE_SUITE(1000000)

static long memop(uint64_t cmd, uint64_t arg)
{
	return fixture_call(&fx, __HYPERVISOR_memory_op, cmd, arg, 0);
}

static long stat_op(unsigned int cmd, domid_t domid)
{
	struct xen_memory_domain *d = fixture_ptr(&fx, STAT, sizeof(*d));

	d->domid = domid;
	return memop(cmd, STAT);
}

static long current(void)
{
	return stat_op(XENMEM_current_reservation, DOMID_SELF);
}

/* Writes a reservation request for `nr` extents listed at LIST. */
static void request(uint64_t nr, unsigned int order, unsigned int flags, domid_t domid)
{
	struct xen_memory_reservation *r = fixture_ptr(&fx, REQ, sizeof(*r));

	memset(r, 0, sizeof(*r));
	set_xen_guest_handle(r->extent_start, (xen_pfn_t *)LIST);
	r->nr_extents = nr;
	r->extent_order = order;
	r->mem_flags = flags;
	r->domid = domid;
}

static void set_list(unsigned int i, uint64_t pfn)
{
	((xen_pfn_t *)fixture_ptr(&fx, LIST, 4096))[i] = pfn;
}

static uint8_t *data(unsigned int page)
{
	return fixture_ptr(&fx, DATA + page * 4096ULL, 4096);
}

static uint64_t memfd_blocks(void)
{
	struct stat st;

	fstat(fx.vm.mem.fd, &st);
	return (uint64_t)st.st_blocks;
}

static void test_counters(void)
{
	/* As real Xen 4.17 with libxl: RAM and special pages; maximum RAM + 1 MiB. */
	CU_ASSERT_EQUAL(current(), RAM_PAGES + SPECIAL_PAGES);
	CU_ASSERT_EQUAL(stat_op(XENMEM_maximum_reservation, DOMID_SELF), RAM_PAGES + 256);
	CU_ASSERT_EQUAL(stat_op(XENMEM_maximum_gpfn, DOMID_SELF), 0xfefff);
	CU_ASSERT_EQUAL(stat_op(XENMEM_current_reservation, 7),
			RAM_PAGES + SPECIAL_PAGES); /* own id */
	CU_ASSERT_EQUAL(stat_op(XENMEM_current_reservation, 0), -XEN_EPERM);
	CU_ASSERT_EQUAL(stat_op(XENMEM_current_reservation, DOMID_IO), -XEN_ESRCH);
	CU_ASSERT_EQUAL(memop(XENMEM_current_reservation | (1 << 6), STAT), -XEN_EINVAL);
	CU_ASSERT_EQUAL(memop(XENMEM_maximum_gpfn, BAD), -XEN_EFAULT);
}

static void test_decrease_gives_pages_back(void)
{
	long cur = current();
	uint64_t blocks;

	memset(data(0), 0xa5, 4 * 4096);
	request(2, 0, 0, DOMID_SELF);
	set_list(0, DATA_PFN);
	set_list(1, DATA_PFN + 2);
	blocks = memfd_blocks(); /* every page the call touches is allocated by now */
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 2);
	CU_ASSERT_EQUAL(current(), cur - 2);
	/* The host got 8 KiB back (st_blocks counts 512-byte units). */
	CU_ASSERT_EQUAL(memfd_blocks(), blocks - 16);
	CU_ASSERT_EQUAL(data(1)[0], 0xa5);
	/* Released already: nothing done. */
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	CU_ASSERT_EQUAL(current(), cur - 2);
	memset(data(0), 0x11, 4096); /* the guest may still write there; populate scrubs */
	request(2, 0, 0, DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 2);
	CU_ASSERT_EQUAL(current(), cur);
	CU_ASSERT_EQUAL(data(0)[0], 0);
	CU_ASSERT_EQUAL(data(0)[4095], 0);
	CU_ASSERT_EQUAL(data(2)[100], 0);
	CU_ASSERT_EQUAL(data(3)[0], 0xa5);
}

static void test_partial_progress(void)
{
	long cur = current();

	request(4, 0, 0, DOMID_SELF);
	set_list(0, DATA_PFN + 8);
	set_list(1, 0xf0000); /* the MMIO hole */
	set_list(2, DATA_PFN + 9);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 1);
	/* Start extent 2 from the command's high bits; the list runs to extent 3. */
	set_list(3, DATA_PFN + 10);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation | (2 << 6), REQ), 4);
	CU_ASSERT_EQUAL(current(), cur - 3);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation | (9 << 6), REQ), 9);
	/* Populate into the hole or past RAM stops there. */
	request(2, 0, 0, DOMID_SELF);
	set_list(0, DATA_PFN + 8);
	set_list(1, 0xf0000);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 1);
	set_list(0, (32 << 20) >> 12);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 0);
	request(2, 0, 0, DOMID_SELF);
	set_list(0, DATA_PFN + 9);
	set_list(1, DATA_PFN + 10);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 2);
	CU_ASSERT_EQUAL(current(), cur);
}

static void test_orders(void)
{
	long cur = current();

	request(1, 10, 0, DOMID_SELF);
	set_list(0, DATA_PFN);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 0);
	request(1, 9, 0, DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 1);
	CU_ASSERT_EQUAL(current(), cur - 512);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 1);
	CU_ASSERT_EQUAL(current(), cur);
}

static void test_refusals(void)
{
	long cur = current();

	set_list(0, DATA_PFN);
	request(1, 0, 0, 0);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	request(1, 0, 0, DOMID_IO);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	request(1, 0, XENMEMF_address_bits(12), DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	request(1, 0, XENMEMF_exact_node(1), DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	request(1, 0, XENMEMF_populate_on_demand, DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 0);
	request(1ULL << 26, 0, 0, DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation | (5 << 6), BAD), 5);
	request(1, 0, 0, DOMID_SELF);
	((struct xen_memory_reservation *)fixture_ptr(&fx, REQ, 32))->extent_start.p =
		(xen_pfn_t *)BAD;
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 0);
	CU_ASSERT_EQUAL(current(), cur);
	/* A wider address limit and a plain node hint are fine. */
	request(1, 0, XENMEMF_address_bits(32) | XENMEMF_node(0), 7);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 1);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 1);
	CU_ASSERT_EQUAL(current(), cur);
}

static void test_maximum(void)
{
	long max = stat_op(XENMEM_maximum_reservation, DOMID_SELF);
	long room = max - current();

	CU_ASSERT_FATAL(room > 0 && room < 500);
	request((uint64_t)room + 1, 0, 0, DOMID_SELF);
	for (long i = 0; i <= room; i++)
		set_list((unsigned int)i, DATA_PFN + (uint64_t)i);
	/* Populating populated pages allocates anyway, until the maximum. */
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), room);
	CU_ASSERT_EQUAL(current(), max);
	request(1, 0, 0, DOMID_SELF);
	((struct xen_memory_reservation *)fixture_ptr(&fx, REQ, 32))->extent_start.p = NULL;
	CU_ASSERT_EQUAL(memop(XENMEM_increase_reservation, REQ), 0);
	request(4, 0, 0, DOMID_SELF);
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), 4);
	((struct xen_memory_reservation *)fixture_ptr(&fx, REQ, 32))->extent_start.p = NULL;
	CU_ASSERT_EQUAL(memop(XENMEM_increase_reservation, REQ), 4);
	CU_ASSERT_EQUAL(current(), max);
}

struct e820 {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

static void test_memory_map(void)
{
	struct xen_memory_map *m = fixture_ptr(&fx, REQ, sizeof(*m));
	struct e820 *e = fixture_ptr(&fx, BUF, 8 * sizeof(*e));

	memset(e, 0xee, 8 * sizeof(*e));
	m->nr_entries = 8;
	set_xen_guest_handle(m->buffer, (void *)BUF);
	CU_ASSERT_EQUAL(memop(XENMEM_memory_map, REQ), 0);
	/* libxl's map of a PVH domU: RAM from 0, the special pages reserved. */
	CU_ASSERT_EQUAL_FATAL(m->nr_entries, 2);
	CU_ASSERT(e[0].addr == 0 && e[0].size == 32 << 20 && e[0].type == 1);
	CU_ASSERT(e[1].addr == 0xfeff8000 && e[1].size == 0x8000 && e[1].type == 2);
	CU_ASSERT_EQUAL(e[2].type, 0xeeeeeeee);
	m->nr_entries = 0;
	CU_ASSERT_EQUAL(memop(XENMEM_memory_map, REQ), 0);
	CU_ASSERT_EQUAL(m->nr_entries, 0);
	CU_ASSERT_EQUAL(memop(XENMEM_memory_map | (1 << 6), REQ), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(memop(XENMEM_memory_map, BAD), -XEN_EFAULT);
	m->nr_entries = 2;
	set_xen_guest_handle(m->buffer, (void *)BAD);
	CU_ASSERT_EQUAL(memop(XENMEM_memory_map, REQ), -XEN_EFAULT);
	CU_ASSERT_EQUAL(memop(XENMEM_machine_memory_map, REQ), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(memop(XENMEM_machphys_mapping, REQ), -XEN_ENOSYS);
}

/* A 32-bit caller: 4-byte handles, nr_extents and pfns (Xen's compat layout). */
static void test_compat_layout(void)
{
	struct xen_call call = { .dom = &fx.dom,
				 .vcpu = &fx.vcpu,
				 .paging = { .cr0 = X86_CR0_PE },
				 .is_64 = false,
				 .nr = __HYPERVISOR_memory_op };
	uint32_t *r = fixture_ptr(&fx, REQ, 20), *list = fixture_ptr(&fx, LIST, 8);
	long cur = current();

	/* extent_start, nr_extents, extent_order, mem_flags, domid */
	r[0] = LIST, r[1] = 2, r[2] = 0, r[3] = 0, r[4] = DOMID_SELF;
	list[0] = DATA_PFN + 40, list[1] = DATA_PFN + 41;
	call.args[0] = XENMEM_decrease_reservation, call.args[1] = REQ;
	CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), 2);
	CU_ASSERT_EQUAL(current(), cur - 2);
	call.args[0] = XENMEM_populate_physmap;
	CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), 2);
	r[0] = 1, r[1] = BUF; /* xen_memory_map: nr_entries, buffer */
	call.args[0] = XENMEM_memory_map;
	CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), 0);
	CU_ASSERT_EQUAL(r[0], 1);
	CU_ASSERT_EQUAL(current(), cur);
}

/*
 * More extents than one exit does: continuations carry the progress in the command's
 * high bits; the guest sees one call returning every extent, as under a preempted Xen.
 */
static void test_continuation(void)
{
	const unsigned int n = 2000;
	xen_pfn_t *list = fixture_ptr(&fx, 0x300000, n * sizeof(xen_pfn_t));
	struct xen_memory_reservation *r = fixture_ptr(&fx, REQ, sizeof(*r));
	long cur = current();

	request(n, 0, 0, DOMID_SELF);
	set_xen_guest_handle(r->extent_start, (xen_pfn_t *)0x300000);
	for (unsigned int i = 0; i < n; i++)
		list[i] = (0x1000000 >> 12) + i; /* 16 MiB up: pages no other test touched */
	fx.continuations = 0;
	CU_ASSERT_EQUAL(memop(XENMEM_decrease_reservation, REQ), n);
	CU_ASSERT(fx.continuations > 0);
	CU_ASSERT_EQUAL(current(), cur - n);
	/* A start extent of the guest's own is kept. */
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap | (1000 << 6), REQ), n);
	CU_ASSERT_EQUAL(current(), cur - 1000);
	CU_ASSERT_EQUAL(memop(XENMEM_populate_physmap, REQ), 1000); /* stops at a populated one */
	CU_ASSERT_EQUAL(current(), cur);
}

UNIT_SUITE(xen_memory_ops, setup, teardown, UNIT_TEST(test_counters),
	   UNIT_TEST(test_decrease_gives_pages_back), UNIT_TEST(test_partial_progress),
	   UNIT_TEST(test_orders), UNIT_TEST(test_refusals), UNIT_TEST(test_memory_map),
	   UNIT_TEST(test_compat_layout), UNIT_TEST(test_maximum), UNIT_TEST(test_continuation))
