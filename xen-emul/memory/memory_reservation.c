// SPDX-License-Identifier: GPL-2.0
/*
 * XENMEM reservation and memory-map sub-ops, answered as Xen 4.17 answers an HVM domU
 * (common/memory.c do_memory_op and its helpers, arch/x86/mm.c arch_memory_op):
 *
 * - decrease_reservation gives each page back to the host (a hole punched in the RAM
 *   memfd) and lowers the domain's page count; populate_physmap brings pages back zeroed
 *   (Xen hands out scrubbed pages) and raises it; neither may pass max_pages.
 * - The three reservation ops return the number of extents done (counting from the start
 *   extent in the command's high bits), never an error: a bad argument stops the work.
 * - increase_reservation of a translated guest allocates pages it never maps, so they only
 *   count against the reservation; Xen does exactly that.
 *
 * One limit of ours: a page can only be populated where the VM has RAM (KVM memory slots
 * are fixed), so populating a gfn in a hole stops there, where Xen would map it.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include "vmm/guest_mem.h"
#include "vmm/log.h"
#include "xen-emul/magic_pages.h"
#include "xen-emul/memory/memory.h"

/* Largest extent order of a domU (CONFIG_DOMU_MAX_ORDER = PAGETABLE_ORDER on x86). */
#define DOMU_MAX_ORDER 9
/* Xen's NUMA_NO_NODE: what XENMEMF_get_node() gives for flags without a node. */
#define NUMA_NO_NODE 0xffu
#define PFN_LIMIT (UINT64_MAX >> GUEST_PAGE_SHIFT)

/*
 * The layouts 32-bit callers use (Xen translates them in compat/memory.c; the public
 * headers compiled for x86-64 cannot describe them): 4-byte handles, longs and pfns.
 */
struct compat_memory_reservation {
	uint32_t extent_start;
	uint32_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags;
	domid_t domid;
};

struct compat_memory_map {
	uint32_t nr_entries;
	uint32_t buffer;
};

/* XENMEM_memory_map entries are in the BIOS E820 format (memory.h): packed, 20 bytes. */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/* One reservation request, decoded from either layout. */
struct memop_args {
	uint64_t extent_list; /* guest address of the pfn array */
	unsigned int pfn_size; /* 8, or 4 for 32-bit callers */
	uint64_t nr_extents;
	unsigned int extent_order;
	unsigned int mem_flags;
	domid_t domid;
	uint64_t nr_done;
};

int xen_memres_init(struct xen_domain *dom)
{
	const struct guest_mem *mem = &dom->vm->mem;
	struct xen_memres *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->nr_pfns = guest_mem_top(mem) >> GUEST_PAGE_SHIFT;
	m->released = calloc((m->nr_pfns + 63) / 64, sizeof(uint64_t));
	m->busy = calloc((m->nr_pfns + 63) / 64, sizeof(uint64_t));
	if (!m->released || !m->busy) {
		free(m->released);
		free(m->busy);
		free(m);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		m->tot_pages += mem->regions[i].size >> GUEST_PAGE_SHIFT;
	/*
	 * libxl's maximum is the RAM plus its slack; the special pages and the firmware pages
	 * (the ACPI tables) count as populated, as under Xen.
	 */
	m->max_pages = m->tot_pages + XEN_MAXMEM_SLACK_PAGES;
	m->tot_pages += XEN_MAGIC_NR_PAGES + (mem->firmware.size >> GUEST_PAGE_SHIFT);
	m->max_mapped_pfn = m->nr_pfns - 1;
	if (m->max_mapped_pfn < XEN_MAGIC_FIRST_GFN + XEN_MAGIC_NR_PAGES - 1)
		m->max_mapped_pfn = XEN_MAGIC_FIRST_GFN + XEN_MAGIC_NR_PAGES - 1;
	dom->memres = m;
	return 0;
}

void xen_memres_destroy(struct xen_domain *dom)
{
	if (dom->memres) {
		free(dom->memres->released);
		free(dom->memres->busy);
	}
	free(dom->memres);
	dom->memres = NULL;
}

void xen_memres_log_stats(struct xen_domain *dom)
{
	uint64_t tot, max, released = 0;

	if (!dom->memres)
		return;
	pthread_mutex_lock(&dom->lock);
	tot = dom->memres->tot_pages;
	max = dom->memres->max_pages;
	for (uint64_t i = 0; i < (dom->memres->nr_pfns + 63) / 64; i++)
		released += (uint64_t)__builtin_popcountll(dom->memres->released[i]);
	pthread_mutex_unlock(&dom->lock);
	log_info("memory: reservation %llu KiB (XENMEM_current_reservation), maximum %llu KiB, "
		 "%llu KiB given back by the guest",
		 (unsigned long long)tot << 2, (unsigned long long)max << 2,
		 (unsigned long long)released << 2);
}

static bool is_self(struct xen_call *call, domid_t domid)
{
	return domid == DOMID_SELF || domid == call->dom->cfg.domid;
}

static bool bit_get(const uint64_t *map, uint64_t pfn)
{
	return map[pfn / 64] & (1ULL << (pfn % 64));
}

static void bit_set(uint64_t *map, uint64_t pfn, bool on)
{
	if (on)
		map[pfn / 64] |= 1ULL << (pfn % 64);
	else
		map[pfn / 64] &= ~(1ULL << (pfn % 64));
}

static bool pfn_released(const struct xen_memres *m, uint64_t pfn)
{
	return bit_get(m->released, pfn);
}

static void pfn_set_released(struct xen_memres *m, uint64_t pfn, bool released)
{
	bit_set(m->released, pfn, released);
}

/*
 * The host side of a batch, done after the domain lock is dropped: runs of guest pages
 * to punch out of the RAM memfd (given back, or to come back zeroed). Until then each
 * page is `busy`, and another reservation op that meets it stops there.
 */
struct discard_list {
	unsigned int n;
	struct {
		uint64_t pfn, count;
	} run[XEN_BATCH_PAGES];
};

static void discard_later(struct xen_memres *m, struct discard_list *l, uint64_t pfn,
			  uint64_t count)
{
	for (uint64_t i = 0; i < count; i++)
		bit_set(m->busy, pfn + i, true);
	if (l->n && l->run[l->n - 1].pfn + l->run[l->n - 1].count == pfn) {
		l->run[l->n - 1].count += count;
		return;
	}
	l->run[l->n].pfn = pfn;
	l->run[l->n].count = count;
	l->n++;
}

static bool any_busy(const struct xen_memres *m, uint64_t pfn, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++)
		if (bit_get(m->busy, pfn + i))
			return true;
	return false;
}

/* One syscall per run, no lock held; then the pages are no longer busy. */
static void discard_now(struct xen_domain *dom, const struct discard_list *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		int rc = guest_mem_discard(&dom->vm->mem, l->run[i].pfn << GUEST_PAGE_SHIFT,
					   l->run[i].count << GUEST_PAGE_SHIFT);

		/* The accounting stands; only the host's memory is not handed back. */
		if (rc)
			log_warn("punching guest pages 0x%llx+%llu out: %s",
				 (unsigned long long)l->run[i].pfn,
				 (unsigned long long)l->run[i].count, strerror(-rc));
	}
	if (!l->n)
		return;
	pthread_mutex_lock(&dom->lock);
	for (unsigned int i = 0; i < l->n; i++)
		for (uint64_t j = 0; j < l->run[i].count; j++)
			bit_set(dom->memres->busy, l->run[i].pfn + j, false);
	pthread_mutex_unlock(&dom->lock);
}

/* [pfn, pfn + n) lies inside one RAM region (no wrap). */
static bool pfns_are_ram(struct xen_domain *dom, uint64_t pfn, uint64_t n)
{
	if (pfn > PFN_LIMIT || n > PFN_LIMIT - pfn)
		return false;
	return guest_mem_is_ram(&dom->vm->mem, pfn << GUEST_PAGE_SHIFT, n << GUEST_PAGE_SHIFT);
}

/* Copies the request once, in the caller's layout; -EFAULT when it cannot be read. */
static int read_reservation(struct xen_call *call, struct memop_args *a)
{
	struct xen_memory_reservation r;
	struct compat_memory_reservation c;

	if (!call->is_64) {
		if (xen_copy_from_guest(call, &c, call->args[1], sizeof(c)))
			return -EFAULT;
		*a = (struct memop_args){
			c.extent_start, 4, c.nr_extents, c.extent_order, c.mem_flags, c.domid, 0
		};
		return 0;
	}
	if (xen_copy_from_guest(call, &r, call->args[1], sizeof(r)))
		return -EFAULT;
	*a = (struct memop_args){ (uint64_t)(uintptr_t)r.extent_start.p,
				  8,
				  r.nr_extents,
				  r.extent_order,
				  r.mem_flags,
				  r.domid,
				  0 };
	return 0;
}

static int read_extent(struct xen_call *call, const struct memop_args *a, uint64_t i, uint64_t *pfn)
{
	uint64_t at = a->extent_list + i * a->pfn_size;

	*pfn = 0;
	if (i > UINT64_MAX / a->pfn_size || at < a->extent_list)
		return -EFAULT;
	return xen_copy_from_guest(call, pfn, at, a->pfn_size);
}

/*
 * construct_memop_from_reservation(): an address width of one page or less, or an exact
 * node request from a domU (propagate_node()), makes the whole call do nothing. Without
 * a virtual NUMA layout, XENMEMF_vnode is ignored.
 */
static bool mem_flags_ok(unsigned int flags)
{
	unsigned int bits = XENMEMF_get_address_bits(flags);

	if (bits && bits <= GUEST_PAGE_SHIFT)
		return false;
	if (flags & XENMEMF_vnode)
		return true;
	return XENMEMF_get_node(flags) == NUMA_NO_NODE || !(flags & XENMEMF_exact_node_request);
}

/*
 * guest_remove_page(): false when the gfn holds no RAM page (already released or a hole,
 * or another vCPU's reservation op has it in flight). The page goes back to the host
 * once the lock is dropped.
 */
static bool remove_page(struct xen_domain *dom, uint64_t pfn, struct discard_list *l)
{
	struct xen_memres *m = dom->memres;

	if (pfn >= m->nr_pfns || !pfns_are_ram(dom, pfn, 1) || pfn_released(m, pfn) ||
	    any_busy(m, pfn, 1))
		return false;
	pfn_set_released(m, pfn, true);
	m->tot_pages--;
	discard_later(m, l, pfn, 1);
	return true;
}

/*
 * A new extent at pfn: allocated against max_pages as a whole (assign_pages()), zeroed,
 * mapped. A page that was still populated is replaced, and, as in Xen's p2m, the page it
 * held stays allocated to the domain: the count grows either way.
 */
static bool populate_extent(struct xen_domain *dom, uint64_t pfn, uint64_t n,
			    struct discard_list *l)
{
	struct xen_memres *m = dom->memres;

	if (n > m->max_pages - m->tot_pages || !pfns_are_ram(dom, pfn, n) || pfn + n > m->nr_pfns ||
	    any_busy(m, pfn, n))
		return false;
	/* Zeroed (punched out) once the lock is dropped, before the call returns. */
	discard_later(m, l, pfn, n);
	for (uint64_t i = 0; i < n; i++)
		pfn_set_released(m, pfn + i, false);
	m->tot_pages += n;
	if (pfn + n - 1 > m->max_mapped_pfn)
		m->max_mapped_pfn = pfn + n - 1;
	return true;
}

static void decrease_reservation(struct xen_call *call, struct memop_args *a, uint64_t end,
				 struct discard_list *l)
{
	uint64_t pfn, n = 1ULL << a->extent_order;

	for (; a->nr_done < end; a->nr_done++) {
		if (read_extent(call, a, a->nr_done, &pfn))
			return;
		/* Pages released before a failure inside an extent stay released. */
		for (uint64_t j = 0; j < n; j++)
			if (!remove_page(call->dom, pfn + j, l))
				return;
	}
}

static void populate_physmap(struct xen_call *call, struct memop_args *a, uint64_t end,
			     struct discard_list *l)
{
	uint64_t pfn;

	/* Populate-on-demand on oneself is refused at the first extent. */
	if (a->mem_flags & XENMEMF_populate_on_demand)
		return;
	for (; a->nr_done < end; a->nr_done++) {
		if (read_extent(call, a, a->nr_done, &pfn))
			return;
		if (!populate_extent(call->dom, pfn, 1ULL << a->extent_order, l))
			return;
	}
}

/* A translated guest's new pages are allocated but never mapped, nor reported. */
static void increase_reservation(struct xen_call *call, struct memop_args *a, uint64_t end)
{
	struct xen_memres *m = call->dom->memres;
	uint64_t n = 1ULL << a->extent_order;

	for (; a->nr_done < end; a->nr_done++) {
		if (n > m->max_pages - m->tot_pages)
			return;
		m->tot_pages += n;
	}
}

static long reservation_op(struct xen_call *call, unsigned int op, uint64_t start)
{
	struct xen_domain *dom = call->dom;
	struct memop_args a;
	uint64_t batch, end;
	struct discard_list discards;

	if (read_reservation(call, &a))
		return (long)start;
	/* Too many extents to encode a continuation, nothing left, or not ours: no work. */
	if (a.nr_extents > (UINT_MAX >> MEMOP_EXTENT_SHIFT) || start >= a.nr_extents ||
	    !is_self(call, a.domid) || !mem_flags_ok(a.mem_flags))
		return (long)start;
	a.nr_done = start;
	if (a.extent_order > DOMU_MAX_ORDER)
		return (long)start;
	/*
	 * XEN_BATCH_PAGES pages an exit (one extent at least), so that the domain lock is
	 * held for a bounded number of page syscalls; the rest is a continuation with the
	 * progress in the command's high bits, exactly as Xen's do_memory_op() encodes it
	 * when preempted.
	 */
	discards.n = 0;
	batch = XEN_BATCH_PAGES >> a.extent_order;
	end = a.nr_extents - start > (batch ? batch : 1) ? start + (batch ? batch : 1) :
							   a.nr_extents;
	pthread_mutex_lock(&dom->lock);
	if (op == XENMEM_decrease_reservation)
		decrease_reservation(call, &a, end, &discards);
	else if (op == XENMEM_populate_physmap)
		populate_physmap(call, &a, end, &discards);
	else
		increase_reservation(call, &a, end);
	pthread_mutex_unlock(&dom->lock);
	/* No lock across the syscalls made on the guest's behalf. */
	discard_now(dom, &discards);
	if (a.nr_done == end && end < a.nr_extents) {
		call->args[0] = op | (a.nr_done << MEMOP_EXTENT_SHIFT);
		return xen_call_continue(call);
	}
	return (long)a.nr_done;
}

bool xen_memres_pfn_is_mapped(struct xen_domain *dom, uint64_t pfn)
{
	bool mapped;

	if (pfn > PFN_LIMIT)
		return false;
	if (!pfns_are_ram(dom, pfn, 1))
		return guest_mem_ptr(&dom->vm->mem, pfn << GUEST_PAGE_SHIFT, 1) != NULL;
	pthread_mutex_lock(&dom->lock);
	mapped = !pfn_released(dom->memres, pfn);
	pthread_mutex_unlock(&dom->lock);
	return mapped;
}

/* The highest gfn ever mapped: RAM, populated pages and Xen pages placed in holes. */
static uint64_t max_mapped_pfn(struct xen_domain *dom)
{
	const struct guest_mem *mem = &dom->vm->mem;
	unsigned int nr_extra = __atomic_load_n(&mem->nr_extra, __ATOMIC_ACQUIRE);
	uint64_t max = dom->memres->max_mapped_pfn;

	for (unsigned int i = 0; i < nr_extra; i++)
		if (mem->extra[i].gpa >> GUEST_PAGE_SHIFT > max)
			max = mem->extra[i].gpa >> GUEST_PAGE_SHIFT;
	return max;
}

/*
 * current_reservation, maximum_reservation, maximum_gpfn. Another domain: -ESRCH when
 * the id cannot name one (reserved ids), else -EPERM, XSM's answer to a domU.
 */
static long stat_op(struct xen_call *call, unsigned int op, uint64_t start)
{
	struct xen_domain *dom = call->dom;
	struct xen_memory_domain md;
	long rc;

	if (start)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(call, &md, call->args[1], sizeof(md)))
		return -XEN_EFAULT;
	if (!is_self(call, md.domid))
		return md.domid >= DOMID_FIRST_RESERVED ? -XEN_ESRCH : -XEN_EPERM;
	pthread_mutex_lock(&dom->lock);
	if (op == XENMEM_current_reservation)
		rc = (long)dom->memres->tot_pages;
	else if (op == XENMEM_maximum_reservation)
		rc = (long)dom->memres->max_pages;
	else
		rc = (long)max_mapped_pfn(dom);
	pthread_mutex_unlock(&dom->lock);
	return rc;
}

static int read_memory_map(struct xen_call *call, uint64_t *nr, uint64_t *buffer)
{
	struct xen_memory_map m;
	struct compat_memory_map c;

	if (!call->is_64) {
		if (xen_copy_from_guest(call, &c, call->args[1], sizeof(c)))
			return -EFAULT;
		*nr = c.nr_entries;
		*buffer = c.buffer;
		return 0;
	}
	if (xen_copy_from_guest(call, &m, call->args[1], sizeof(m)))
		return -EFAULT;
	*nr = m.nr_entries;
	*buffer = (uint64_t)(uintptr_t)m.buffer.p;
	return 0;
}

/* Writes the entry count back; the handle is written back unchanged, as Xen does. */
static int write_memory_map(struct xen_call *call, uint32_t nr, uint64_t buffer)
{
	struct xen_memory_map m = { .nr_entries = nr };
	struct compat_memory_map c = { nr, (uint32_t)buffer };

	if (!call->is_64)
		return xen_copy_to_guest(call, call->args[1], &c, sizeof(c));
	m.buffer.p = (void *)(uintptr_t)buffer;
	return xen_copy_to_guest(call, call->args[1], &m, sizeof(m));
}

/* The map the guest was booted with (hvm_start_info), as E820 entries, cut to fit. */
static long memory_map(struct xen_call *call)
{
	struct guest_memmap_entry map[GUEST_MEMMAP_MAX];
	struct e820_entry e820[GUEST_MEMMAP_MAX];
	uint64_t nr, buffer;
	unsigned int n;

	if (read_memory_map(call, &nr, &buffer))
		return -XEN_EFAULT;
	n = guest_mem_memmap(&call->dom->vm->mem, map);
	if (nr < n)
		n = (unsigned int)nr;
	for (unsigned int i = 0; i < n; i++)
		e820[i] = (struct e820_entry){ map[i].addr, map[i].size, map[i].type };
	if (n && xen_copy_to_guest(call, buffer, e820, n * sizeof(e820[0])))
		return -XEN_EFAULT;
	if (write_memory_map(call, n, buffer))
		return -XEN_EFAULT;
	return 0;
}

long xen_memop_reservation(struct xen_call *call, uint64_t cmd)
{
	unsigned int op = cmd & MEMOP_CMD_MASK;
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return reservation_op(call, op, start);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return stat_op(call, op, start);
	case XENMEM_memory_map:
		/* arch_memory_op() matches the whole command: a start extent makes it unknown. */
		return start ? -XEN_ENOSYS : memory_map(call);
	default:
		return -XEN_ENOSYS;
	}
}
