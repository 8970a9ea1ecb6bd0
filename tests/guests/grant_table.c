// SPDX-License-Identifier: MIT
/*
 * grant_table: the grant-table calls a Linux guest makes while it sets up grants
 * (drivers/xen/grant-table.c): GNTTABOP_query_size, then XENMEM_add_to_physmap of each
 * frame it wants, into a RAM page (as PVH does with a ballooned page) and into a gfn with
 * no RAM (as HVM does inside the platform PCI device's BAR); GNTTABOP_setup_table,
 * get_version and set_version; GNTTABOP_copy through grants the guest made to itself;
 * GNTTABOP_swap_grant_ref.
 *
 * Expectations: xen/grant_table.h and xen/memory.h, and Xen 4.17's grant_table.c for an
 * HVM domU: nr_frames starts at 1 and max_nr_frames is the domain's limit (64 unless
 * the command line says max=N); the guest's domain id is 1 unless it says domid=N; unplaced frames are INVALID_GFN in setup_table; a
 * frame placed over RAM shows the table's contents (zero when new); version 1 is in
 * force and version 2 is refused with -ENOSYS by a domain limited to version 1, the
 * version in force written back; a copy status per op (GNTST_*).
 */
#include "gnttab_guest.h"

/* A gfn below 4 GiB with no RAM and not in the reserved range at 0xfc000000. */
#define HOLE_GFN 0xf0000UL

static uint8_t ram_frame[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t src_page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t dst_page[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));

/* A number handed over on the command line as key=N, or `def`. */
static unsigned int cmdline_uint(const char *key, unsigned int def)
{
	uint64_t v;

	return kit_cmdline_u64(key, &v) ? (unsigned int)v : def;
}

static void query(struct gnttab_query_size *q)
{
	*q = (struct gnttab_query_size){ .dom = DOMID_SELF, .status = 99 };
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_query_size, q, 1), 0, "query_size");
	check_eq(q->status, GNTST_okay, "query_size status");
}

static void test_sizes(void)
{
	struct gnttab_query_size q;
	unsigned int max = cmdline_uint("max", 64);

	query(&q);
	printf("grant_table: %u of %u frames\n", q.nr_frames, q.max_nr_frames);
	check_eq(q.nr_frames, 1, "initial nr_frames");
	check_eq(q.max_nr_frames, max, "max_nr_frames");
	q.dom = 0;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size dom0");
	check_eq(q.status, GNTST_permission_denied, "query_size of dom0");
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL,
		 "query_size count 2");
	/* The last frame can be placed, the one after cannot. */
	check_eq(gnttab_place_frame(max, gfn_of(dst_page)), -XEN_EINVAL, "frame past the limit");
	check_eq(gnttab_place_frame(max - 1, HOLE_GFN + 1), 0, "last frame");
	query(&q);
	check_eq(q.nr_frames, max, "nr_frames after placing the last frame");
}

static void test_versions(void)
{
	struct gnttab_get_version g = { .dom = DOMID_SELF };
	struct gnttab_set_version s = { .version = 2 };

	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &g, 1), 0, "get_version");
	check_eq(g.version, 1, "version in force");
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &s, 1), -XEN_ENOSYS,
		 "set_version 2");
	check_eq(s.version, 1, "version written back after set_version 2");
	s.version = 1;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &s, 1), 0, "set_version 1");
	s.version = 3;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_set_version, &s, 1), -XEN_EINVAL,
		 "set_version 3");
	check_eq(s.version, 1, "version written back after set_version 3");
	g.dom = 0;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_get_version, &g, 1), -XEN_EPERM,
		 "get_version of dom0");
	/* Sub-ops Xen does not let an HVM guest use. */
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_transfer, &g, 1), -XEN_ENOSYS, "transfer");
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_get_status_frames, &g, 1), -XEN_ENOSYS,
		 "get_status_frames");
}

/* Frame 0 into RAM, frame 1 into the hole; both must hold entries the guest writes. */
static void test_placement(void)
{
	volatile struct grant_entry_v1 *hole = (void *)(HOLE_GFN << 12);
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3 };
	xen_pfn_t frames[4] = { 0, 0, 0, 0x1234 };

	memset(ram_frame, 0xa5, sizeof(ram_frame));
	check_eq(gnttab_place_frame(0, gfn_of(ram_frame)), 0, "frame 0 into RAM");
	/*
	 * A toolstack seeds the reserved entries (console, xenstore: below
	 * GNTTAB_NR_RESERVED_ENTRIES) before boot, as libxc does; the rest of frame 0 is zero.
	 */
	check_eq(ram_frame[GNTTAB_NR_RESERVED_ENTRIES * sizeof(struct grant_entry_v1)], 0,
		 "new frame reads as zero (first unreserved entry)");
	check_eq(ram_frame[GUEST_PAGE - 1], 0, "new frame reads as zero (last byte)");
	check_eq(gnttab_place_frame(1, HOLE_GFN), 0, "frame 1 into a hole");
	check_eq(hole[5].flags, 0, "frame in the hole reads as zero");
	gnttab_grant(&hole[5], 0, 0x777, GTF_permit_access);
	check_eq(hole[5].frame, 0x777, "entry written in the hole frame");
	set_xen_guest_handle(st.frame_list, frames);
	st.status = 99;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table");
	check_eq(st.status, GNTST_okay, "setup_table status");
	check_eq(frames[0], gfn_of(ram_frame), "setup_table frame 0");
	check_eq(frames[1], HOLE_GFN, "setup_table frame 1");
	check_eq(frames[2], ~0UL, "setup_table frame 2 (not placed)");
	check_eq(frames[3], 0x1234, "setup_table wrote past nr_frames");
	gnttab_end_access(&hole[5]);
}

static void copy_op(struct gnttab_copy *op, uint16_t flags, grant_ref_t sref, unsigned long sgfn,
		    uint16_t soff, grant_ref_t dref, unsigned long dgfn, uint16_t doff,
		    uint16_t len)
{
	*op = (struct gnttab_copy){ .flags = flags, .len = len, .status = 99 };
	op->source.domid = op->dest.domid = DOMID_SELF;
	if (flags & GNTCOPY_source_gref)
		op->source.u.ref = sref;
	else
		op->source.u.gmfn = sgfn;
	if (flags & GNTCOPY_dest_gref)
		op->dest.u.ref = dref;
	else
		op->dest.u.gmfn = dgfn;
	op->source.offset = soff;
	op->dest.offset = doff;
}

static void test_copy(void)
{
	volatile struct grant_entry_v1 *gt = (void *)ram_frame;
	/* The guest's own domain id, from the HVM leaf: xl picks it under real Xen. */
	uint32_t a, b, c, d;
	struct gnttab_copy ops[3];
	domid_t self;

	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	self = (domid_t)c;
	for (unsigned int i = 0; i < GUEST_PAGE; i++)
		src_page[i] = (uint8_t)(i * 7 + 1);
	memset(dst_page, 0, sizeof(dst_page));
	gnttab_grant(&gt[8], self, gfn_of(src_page), GTF_permit_access | GTF_readonly);
	gnttab_grant(&gt[9], self, gfn_of(dst_page), GTF_permit_access);
	copy_op(&ops[0], GNTCOPY_source_gref, 8, 0, 16, 0, gfn_of(dst_page), 32, 100);
	copy_op(&ops[1], GNTCOPY_dest_gref, 0, gfn_of(src_page), 0, 8, 0, 0, 1);
	copy_op(&ops[2], GNTCOPY_source_gref | GNTCOPY_dest_gref, 8, 0, 4000, 9, 0, 0, 97);
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, 3), 0, "GNTTABOP_copy");
	check_eq(ops[0].status, GNTST_okay, "copy from a self-grant");
	check(memcmp(dst_page + 32, src_page + 16, 100) == 0, "copied bytes differ");
	check_eq(dst_page[31], 0, "byte before the copy");
	check_eq(dst_page[132], 0, "byte after the copy");
	check_eq(ops[1].status, GNTST_general_error, "copy into a read-only grant");
	check_eq(ops[2].status, GNTST_bad_copy_arg, "copy past the page");
	check_eq(gnttab_flags(&gt[8]), GTF_permit_access | GTF_readonly, "flags after copies");
	check_eq(gnttab_flags(&gt[9]), GTF_permit_access, "flags after copies");
	check(gnttab_end_access(&gt[8]) && gnttab_end_access(&gt[9]), "end access failed");
}

static void test_swap(void)
{
	volatile struct grant_entry_v1 *gt = (void *)ram_frame;
	struct gnttab_swap_grant_ref op = { .ref_a = 10, .ref_b = 11, .status = 99 };

	gnttab_grant(&gt[10], 0, 0x1010, GTF_permit_access);
	gnttab_grant(&gt[11], 2, 0x1111, GTF_permit_access | GTF_readonly);
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_swap_grant_ref, &op, 1), 0, "swap_grant_ref");
	check_eq(op.status, GNTST_okay, "swap status");
	check_eq(gt[10].frame, 0x1111, "frame of ref 10 after the swap");
	check_eq(gt[10].domid, 2, "domid of ref 10 after the swap");
	check_eq(gt[11].flags, GTF_permit_access, "flags of ref 11 after the swap");
	op.ref_b = 0x7fffffff;
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_swap_grant_ref, &op, 1), 0, "swap_grant_ref");
	check_eq(op.status, GNTST_bad_gntref, "swap with a reference past the table");
	gnttab_end_access(&gt[10]);
	gnttab_end_access(&gt[11]);
}

void test_main(void)
{
	test_sizes();
	test_versions();
	test_placement();
	test_copy();
	test_swap();
}
