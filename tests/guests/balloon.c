// SPDX-License-Identifier: MIT
/*
 * balloon: the XENMEM reservation and memory-map sub-ops as a balloon driver uses them,
 * with the answers of Xen 4.17 for an HVM domU (common/memory.c, arch/x86/mm.c,
 * arch/x86/hvm/hypercall.c):
 *
 * - decrease_reservation / populate_physmap / increase_reservation return the number of
 *   extents done, counting from the start extent in the command's bits 6 and up; a bad
 *   argument stops the work instead of returning an error (copy failure, foreign domain,
 *   order above 9, PoD on oneself, exact-node requests, address widths <= 12 bits).
 * - Every page given back lowers current_reservation by one and reads as mmio_dm for
 *   HVMOP_get_mem_type; a page that is not there (released already, or a hole) stops the
 *   list there. Neighbours keep their data (a populated page's own contents are not
 *   promised: real Xen gave some back unscrubbed).
 * - Allocations stop at maximum_reservation (assign_pages()); populating a gfn that is
 *   still populated allocates a page anyway (the p2m keeps the old one allocated), and
 *   increase_reservation of a translated guest allocates pages it never maps.
 * - memory_map returns the map of hvm_start_info as E820 entries (20 bytes), cut to the
 *   caller's count; machine_memory_map and machphys_mapping are -ENOSYS for HVM.
 * - libxl gives a domU 1 MiB above its memory as maximum (LIBXL_MAXMEM_CONSTANT).
 */
#include "kit.h"
#include "hypercall.h"

#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>

#define PAGE 4096ULL
/* A 2 MiB-aligned scratch area well above the image, below 64 MiB of RAM. */
#define SCRATCH 0x1000000ULL
#define SCRATCH_PAGES 512
#define BAD_POINTER ((void *)0x40000000000ULL)
#define LIBXL_SLACK_PAGES 256

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

static xen_pfn_t list[600];

static long reservation(unsigned long cmd, xen_pfn_t *extents, unsigned long nr, unsigned int order,
			unsigned int flags, domid_t domid)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr, .extent_order = order, .mem_flags = flags, .domid = domid
	};

	set_xen_guest_handle(r.extent_start, extents);
	return HYPERVISOR_memory_op(cmd, &r);
}

static long stat(unsigned int cmd, domid_t domid)
{
	struct xen_memory_domain d = { .domid = domid };

	return HYPERVISOR_memory_op(cmd, &d);
}

static long current_pages(void)
{
	return stat(XENMEM_current_reservation, DOMID_SELF);
}

static uint8_t *page(unsigned int i)
{
	return (uint8_t *)(SCRATCH + i * PAGE);
}

static xen_pfn_t pfn(unsigned int i)
{
	return (SCRATCH >> 12) + i;
}

static bool page_is(unsigned int i, uint8_t v)
{
	const uint8_t *p = page(i);

	for (unsigned int j = 0; j < PAGE; j += 256)
		if (p[j] != v)
			return false;
	return true;
}

static int mem_type(xen_pfn_t gfn)
{
	struct xen_hvm_get_mem_type mt = { .domid = DOMID_SELF, .pfn = gfn };

	if (HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt))
		return -1;
	return mt.mem_type;
}

/*
 * One string instruction for the whole area: a byte loop over 2 MiB takes seconds on
 * kvm_pvm hosts, where every guest loop iteration is slow.
 */
static void fill(void)
{
	void *p = page(0);
	unsigned long n = SCRATCH_PAGES * PAGE;

	asm volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(0x5a) : "memory");
}

static uint64_t ram_pages_in_memmap(void)
{
	unsigned int n;
	const struct hvm_memmap_table_entry *e = kit_memmap(&n);
	uint64_t pages = 0;

	for (unsigned int i = 0; i < n; i++)
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			pages += e[i].size / PAGE;
	return pages;
}

static void counters(void)
{
	long cur = current_pages(), max = stat(XENMEM_maximum_reservation, DOMID_SELF);
	long gpfn = stat(XENMEM_maximum_gpfn, DOMID_SELF);
	uint64_t ram = ram_pages_in_memmap();

	printf("balloon: current %ld, maximum %ld, maximum gpfn %#lx, RAM %llu pages\n", cur, max,
	       gpfn, (unsigned long long)ram);
	/*
	 * Besides RAM, the current reservation holds what the toolstack populated outside it
	 * (libxl: the 8 special pages and the ACPI pages); the maximum is the RAM plus
	 * libxl's slack (real Xen 4.17 + libxl: 16401 and 16640 for 64 MiB).
	 */
	kit_fact("current - RAM at boot", "%ld", cur - (long)ram);
	kit_fact("maximum gpfn", "%#lx", gpfn);
	kit_fact("RAM pages in the memory map", "%llu", (unsigned long long)ram);
	check(cur >= (long)ram, "current reservation %ld below the RAM of the map", cur);
	check_eq(max - (long)ram, LIBXL_SLACK_PAGES, "maximum - RAM at boot");
	check(gpfn >= (long)(SCRATCH >> 12), "maximum gpfn %#lx below RAM in use", gpfn);
	check_eq(stat(XENMEM_current_reservation, 0x7ff1 /* DOMID_IO */), -XEN_ESRCH, "DOMID_IO");
	check_eq(stat(XENMEM_current_reservation | (1 << 6), DOMID_SELF), -XEN_EINVAL,
		 "start extent on a stat op");
	check_eq(HYPERVISOR_memory_op(XENMEM_maximum_reservation, BAD_POINTER), -XEN_EFAULT,
		 "stat op bad pointer");
}

static void memory_map(void)
{
	struct e820_entry e820[8];
	struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(e820) };
	unsigned int n;
	const struct hvm_memmap_table_entry *si = kit_memmap(&n);

	for (unsigned int i = 0; i < n; i++)
		kit_fact("start_info memmap entry", "%#llx size %#llx type %u",
			 (unsigned long long)si[i].addr, (unsigned long long)si[i].size,
			 si[i].type);
	memset(e820, 0xee, sizeof(e820));
	set_xen_guest_handle(map.buffer, e820);
	check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map");
	check_eq(map.nr_entries, n, "memory_map entries vs start_info");
	for (unsigned int i = 0; i < n && i < map.nr_entries; i++)
		check(e820[i].addr == si[i].addr && e820[i].size == si[i].size &&
			      e820[i].type == si[i].type,
		      "memory_map entry %u differs from start_info", i);
	memset(e820, 0xee, sizeof(e820));
	map.nr_entries = 1;
	check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &map), 0, "memory_map, 1 entry");
	check_eq(map.nr_entries, 1, "memory_map cut to 1 entry");
	check_eq(e820[1].type, 0xeeeeeeee, "memory_map wrote past the caller's count");
	check_eq(HYPERVISOR_memory_op(XENMEM_memory_map | (1 << 6), &map), -XEN_ENOSYS,
		 "memory_map with a start extent");
	set_xen_guest_handle(map.buffer, BAD_POINTER);
	check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &map), -XEN_EFAULT, "bad buffer");
	check_eq(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map), -XEN_ENOSYS,
		 "machine_memory_map");
	check_eq(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &map), -XEN_ENOSYS,
		 "machphys_mapping");
}

/*
 * XENFEAT_memory_op_vnode_supported is offered (as Xen 4.17 does), so XENMEM_get_vnumainfo
 * must answer as Xen's memory.c does for a domain built without vNUMA: -EOPNOTSUPP once
 * the request passed its checks (start extent, readable, pad, domain).
 */
static void vnuma_info(void)
{
	struct xen_vnuma_topology_info t = { .domid = DOMID_SELF };

	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_EOPNOTSUPP,
		 "get_vnumainfo without vNUMA");
	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo | (1 << 6), &t), -XEN_EINVAL,
		 "get_vnumainfo with a start extent");
	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo, BAD_POINTER), -XEN_EFAULT,
		 "get_vnumainfo bad pointer");
	t.pad = 1;
	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_EINVAL,
		 "get_vnumainfo with pad set");
	t.pad = 0;
	t.domid = 0x7ff1; /* DOMID_IO: no domain to look up */
	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_ESRCH,
		 "get_vnumainfo of DOMID_IO");
	t.domid = 0; /* dom0 exists; a domU may not read its topology */
	check_eq(HYPERVISOR_memory_op(XENMEM_get_vnumainfo, &t), -XEN_EPERM,
		 "get_vnumainfo of domain 0");
}

static void balloon_down_up(long cur0)
{
	for (unsigned int i = 0; i < 8; i++)
		list[i] = pfn(i * 2); /* every other page: neighbours must keep their data */
	check_eq(reservation(XENMEM_decrease_reservation, list, 8, 0, 0, DOMID_SELF), 8,
		 "decrease 8 pages");
	check_eq(current_pages(), cur0 - 8, "current after decrease");
	check_eq(mem_type(pfn(0)), HVMMEM_mmio_dm, "type of a released page");
	check_eq(mem_type(pfn(1)), HVMMEM_ram_rw, "type of its neighbour");
	check(page_is(1, 0x5a) && page_is(15, 0x5a), "neighbours lost their contents");
	/* Already gone: the list stops at once. */
	check_eq(reservation(XENMEM_decrease_reservation, list, 8, 0, 0, DOMID_SELF), 0,
		 "decrease of released pages");
	list[0] = pfn(1), list[1] = pfn(3), list[2] = 0xf0000 /* the MMIO hole */, list[3] = pfn(5);
	check_eq(reservation(XENMEM_decrease_reservation, list, 4, 0, 0, DOMID_SELF), 2,
		 "decrease stopping at a hole");
	check_eq(current_pages(), cur0 - 10, "current after the partial decrease");
	for (unsigned int i = 0; i < 8; i++)
		list[i] = pfn(i);
	check_eq(reservation(XENMEM_populate_physmap, list, 8, 0, 0, DOMID_SELF), 8,
		 "populate 8 pages");
	/* pfn 5, 6 and 7 were still there: populating allocates anyway, as Xen does. */
	check_eq(current_pages(), cur0 - 10 + 8, "current after populate");
	/*
	 * What a populated page holds is not promised: real Xen 4.17 handed some back with
	 * their old contents (free_domheap_pages() scrubs only a dying domain's pages), and
	 * xenkvm hands out zeroed ones. Pages outside the list keep theirs.
	 */
	check(page_is(9, 0x5a) && page_is(11, 0x5a), "populate touched other pages");
	check_eq(mem_type(pfn(0)), HVMMEM_ram_rw, "type of a populated page");
}

static void orders_and_starts(void)
{
	long cur = current_pages();

	list[0] = pfn(16), list[1] = pfn(20);
	check_eq(reservation(XENMEM_decrease_reservation, list, 2, 2, 0, DOMID_SELF), 2,
		 "decrease 2 extents of order 2");
	check_eq(current_pages(), cur - 8, "current after order-2 decrease");
	check_eq(reservation(XENMEM_populate_physmap, list, 2, 2, 0, DOMID_SELF), 2,
		 "populate 2 extents of order 2");
	check(page_is(24, 0x5a), "order-2 extents touched the page after them");
	list[0] = pfn(256); /* pages 8, 10, 12 and 14 are still released */
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 10, 0, DOMID_SELF), 0,
		 "order 10 (above a domU's 9)");
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 9, 0, DOMID_SELF), 1,
		 "decrease of one 2 MiB extent");
	check_eq(current_pages(), cur - 512, "current after the 2 MiB decrease");
	check_eq(reservation(XENMEM_populate_physmap, list, 1, 9, 0, DOMID_SELF), 1,
		 "populate one 2 MiB extent");
	check_eq(current_pages(), cur, "current after the 2 MiB populate");
	/* An extent with a page already gone stops there; the pages before it stay gone. */
	list[0] = pfn(9); /* 9 is there, 10 is not */
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 2, 0, DOMID_SELF), 0,
		 "an order-2 extent with released pages");
	check_eq(current_pages(), cur - 1, "only the page before the gap is released");
	list[0] = pfn(8);
	check_eq(reservation(XENMEM_populate_physmap, list, 1, 3, 0, DOMID_SELF), 1,
		 "populate the order-3 extent back");
	cur = current_pages();
	fill();
	for (unsigned int i = 0; i < 4; i++)
		list[i] = pfn(32 + i);
	/* Start at extent 2: only the last two are released. */
	check_eq(reservation(XENMEM_decrease_reservation | (2 << 6), list, 4, 0, 0, DOMID_SELF), 4,
		 "decrease from start extent 2");
	check_eq(mem_type(pfn(33)), HVMMEM_ram_rw, "extent before the start");
	check_eq(mem_type(pfn(34)), HVMMEM_mmio_dm, "extent after the start");
	check_eq(reservation(XENMEM_populate_physmap | (5 << 6), list, 4, 0, 0, DOMID_SELF), 5,
		 "start extent past the end");
	check_eq(reservation(XENMEM_populate_physmap | (2 << 6), list, 4, 0, 0, DOMID_SELF), 4,
		 "populate from start extent 2");
	check_eq(current_pages(), cur, "current after the start-extent round trip");
}

static void refused_requests(void)
{
	long cur = current_pages();

	list[0] = pfn(40);
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, 0, 0), 0, "domain 0");
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, 0, 0x7ff1), 0, "DOMID_IO");
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, XENMEMF_address_bits(12),
			     DOMID_SELF),
		 0, "12 address bits");
	check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, XENMEMF_exact_node(0),
			     DOMID_SELF),
		 0, "an exact node request");
	check_eq(reservation(XENMEM_populate_physmap, list, 1, 0, XENMEMF_populate_on_demand,
			     DOMID_SELF),
		 0, "populate-on-demand on oneself");
	check_eq(reservation(XENMEM_decrease_reservation, list, 1ul << 26, 0, 0, DOMID_SELF), 0,
		 "more extents than a continuation can encode");
	check_eq(reservation(XENMEM_decrease_reservation, BAD_POINTER, 1, 0, 0, DOMID_SELF), 0,
		 "unreadable extent list");
	check_eq(HYPERVISOR_memory_op(XENMEM_decrease_reservation | (3 << 6), BAD_POINTER), 3,
		 "unreadable request: the start extent comes back");
	check_eq(current_pages(), cur, "refused requests changed the count");
	check(page_is(40, 0x5a), "a refused request released a page");
}

static void up_to_the_maximum(void)
{
	long cur = current_pages(), max = stat(XENMEM_maximum_reservation, DOMID_SELF);
	long room = max - cur;

	if (room <= 0 || room > (long)ARRAY_SIZE(list) - 1) {
		fail("unexpected room %ld between current and maximum", room);
		return;
	}
	for (long i = 0; i <= room; i++)
		list[i] = pfn(64 + i % 256);
	check_eq(reservation(XENMEM_populate_physmap, list, room + 1, 0, 0, DOMID_SELF), room,
		 "populate beyond the maximum");
	check_eq(current_pages(), max, "current at the maximum");
	check_eq(reservation(XENMEM_increase_reservation, NULL, 1, 0, 0, DOMID_SELF), 0,
		 "increase at the maximum");
	list[0] = pfn(300), list[1] = pfn(301);
	check_eq(reservation(XENMEM_decrease_reservation, list, 2, 0, 0, DOMID_SELF), 2,
		 "decrease at the maximum");
	check_eq(reservation(XENMEM_increase_reservation, NULL, 4, 0, 0, DOMID_SELF), 2,
		 "increase into the room left");
	check_eq(current_pages(), max, "current after increase");
	check_eq(mem_type(pfn(300)), HVMMEM_mmio_dm, "increase maps nothing for HVM");
}

void test_main(void)
{
	long cur0;

	counters();
	memory_map();
	vnuma_info();
	fill();
	cur0 = current_pages();
	balloon_down_up(cur0);
	orders_and_starts();
	refused_requests();
	up_to_the_maximum();
	printf("balloon: done\n");
}
