// SPDX-License-Identifier: MIT
/*
 * grant32: grant-table calls from 32-bit code (paging off, the 32-bit hypercall ABI).
 * Built with -m32, the Xen public headers give the compat layouts a 32-bit Linux uses:
 * struct gnttab_setup_table with a 32-bit frame-list handle and 32-bit frames, struct
 * gnttab_copy with 32-bit gmfns (24 bytes), xen_add_to_physmap with 32-bit idx and gpfn. Expectations: xen/grant_table.h and Xen 4.17's
 * compat/grant_table.c (frames not placed read as INVALID_GFN cut to 32 bits; a setup_table
 * count of 0 does nothing and succeeds, above 1 is -EINVAL), grant_table.c for the rest.
 */
#include "rt32.h"

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>

const char test32_name[] = "grant32";

_Static_assert(sizeof(struct gnttab_copy) == 24, "the compat layout of gnttab_copy");
_Static_assert(sizeof(xen_pfn_t) == 4, "32-bit frames");
_Static_assert(sizeof(struct xen_add_to_physmap) == 16, "the compat layout of add_to_physmap");

static uint8_t gt_frame[4096] __attribute__((aligned(4096)));
static uint8_t src_page[4096] __attribute__((aligned(4096)));
static uint8_t dst_page[4096] __attribute__((aligned(4096)));

static long grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, (uint32_t)(uintptr_t)uop, count);
}

static void test_sizes(void)
{
	static struct gnttab_query_size q = { .dom = DOMID_SELF };
	static struct gnttab_get_version g = { .dom = DOMID_SELF };
	static struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
	static xen_pfn_t frames[3] = { 1, 2, 3 };

	check(grant_table_op(GNTTABOP_query_size, &q, 1) == 0, "query_size", 0);
	check(q.status == GNTST_okay, "query_size status", (uint32_t)q.status);
	check(q.nr_frames == 1, "nr_frames", q.nr_frames);
	check(q.max_nr_frames == 64, "max_nr_frames", q.max_nr_frames);
	check(grant_table_op(GNTTABOP_get_version, &g, 1) == 0, "get_version", 0);
	check(g.version == 1, "version", g.version);
	set_xen_guest_handle(st.frame_list, frames);
	st.status = 99;
	check(grant_table_op(GNTTABOP_setup_table, &st, 0) == 0, "setup_table count 0", 0);
	check(st.status == 99, "setup_table count 0 wrote a status", (uint32_t)st.status);
	check(grant_table_op(GNTTABOP_setup_table, &st, 2) == -XEN_EINVAL, "setup_table count 2",
	      0);
	check(grant_table_op(GNTTABOP_setup_table, &st, 1) == 0, "setup_table", 0);
	check(st.status == GNTST_okay, "setup_table status", (uint32_t)st.status);
	check(frames[0] == 0xffffffffu, "frame 0 not placed", frames[0]);
	check(frames[1] == 0xffffffffu, "frame 1 not placed", frames[1]);
	check(frames[2] == 3, "frame list written past nr_frames", frames[2]);
	q.status = 99;
	check(grant_table_op(GNTTABOP_query_size, &q, 1) == 0, "query_size", 0);
	check(q.nr_frames == 2, "nr_frames after setup_table", q.nr_frames);
}

static void set_copy(struct gnttab_copy *op, uint32_t src, domid_t sdom, uint16_t soff,
		     uint32_t dst, uint16_t doff, uint16_t len)
{
	*op = (struct gnttab_copy){ .len = len, .status = 99 };
	op->source.u.gmfn = src;
	op->source.domid = sdom;
	op->source.offset = soff;
	op->dest.u.gmfn = dst;
	op->dest.domid = DOMID_SELF;
	op->dest.offset = doff;
}

/* The domain's own id, from the HVM leaf (base+4 ECX): xl picks it, it need not be 1. */
static domid_t own_domid(uint32_t base)
{
	uint32_t a, b, c, d;

	cpuid(base + 4, &a, &b, &c, &d);
	return (domid_t)c;
}

static void test_copy(domid_t self)
{
	static struct gnttab_copy ops[3];
	static struct gnttab_swap_grant_ref swap = { .ref_a = 0, .ref_b = 100000, .status = 99 };
	uint32_t s = (uint32_t)(uintptr_t)src_page >> 12, d = (uint32_t)(uintptr_t)dst_page >> 12;

	for (unsigned int i = 0; i < sizeof(src_page); i++)
		src_page[i] = (uint8_t)(i * 5 + 3);
	set_copy(&ops[0], s, DOMID_SELF, 10, d, 20, 30);
	set_copy(&ops[1], s, DOMID_SELF, 4000, d, 0, 97);
	set_copy(&ops[2], s, self, 0, d, 0, 1);
	check(grant_table_op(GNTTABOP_copy, ops, 3) == 0, "GNTTABOP_copy", 0);
	check(ops[0].status == GNTST_okay, "copy status", (uint32_t)ops[0].status);
	for (unsigned int i = 0; i < 30; i++)
		check(dst_page[20 + i] == src_page[10 + i], "copied byte", dst_page[20 + i]);
	check(dst_page[19] == 0 && dst_page[50] == 0, "bytes around the copy", 0);
	check(ops[1].status == GNTST_bad_copy_arg, "copy past the page", (uint32_t)ops[1].status);
	check(ops[2].status == GNTST_permission_denied, "frame named by numeric domid",
	      (uint32_t)ops[2].status);
	check(grant_table_op(GNTTABOP_swap_grant_ref, &swap, 1) == 0, "swap_grant_ref", 0);
	check(swap.status == GNTST_bad_gntref, "swap past the table", (uint32_t)swap.status);
}

/* Frame 0 placed from 32-bit code, then a copy through a grant the guest made to itself. */
static void test_placed_frame(domid_t self)
{
	static struct xen_add_to_physmap xatp = { .domid = DOMID_SELF,
						  .space = XENMAPSPACE_grant_table };
	static struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
	static struct gnttab_copy op;
	static xen_pfn_t frame;
	volatile struct grant_entry_v1 *gt = (void *)gt_frame;
	uint32_t g = (uint32_t)(uintptr_t)gt_frame >> 12;
	long rc;

	gt_frame[GNTTAB_NR_RESERVED_ENTRIES * sizeof(struct grant_entry_v1)] = 0xaa;
	xatp.gpfn = g;
	rc = hypercall3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uint32_t)(uintptr_t)&xatp,
			0);
	check(rc == 0, "add_to_physmap of grant frame 0", (uint32_t)rc);
	/* Reserved entries (console, xenstore) are seeded before boot, as libxc does. */
	check(gt_frame[GNTTAB_NR_RESERVED_ENTRIES * sizeof(struct grant_entry_v1)] == 0,
	      "a new grant frame reads as zero past the reserved entries",
	      gt_frame[GNTTAB_NR_RESERVED_ENTRIES * sizeof(struct grant_entry_v1)]);
	set_xen_guest_handle(st.frame_list, &frame);
	check(grant_table_op(GNTTABOP_setup_table, &st, 1) == 0, "setup_table", 0);
	check(frame == g, "setup_table frame 0", frame);
	/* The domain grants a page to itself (its id from CPUID), frame and domid first. */
	gt[8].frame = (uint32_t)(uintptr_t)src_page >> 12;
	gt[8].domid = self;
	__atomic_store_n(&gt[8].flags, GTF_permit_access | GTF_readonly, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < sizeof(src_page); i++)
		src_page[i] = (uint8_t)(i + 9);
	op = (struct gnttab_copy){ .flags = GNTCOPY_source_gref, .len = 8, .status = 99 };
	op.source.u.ref = 8;
	op.source.domid = DOMID_SELF;
	op.source.offset = 100;
	op.dest.u.gmfn = (uint32_t)(uintptr_t)dst_page >> 12;
	op.dest.domid = DOMID_SELF;
	op.dest.offset = 0;
	check(grant_table_op(GNTTABOP_copy, &op, 1) == 0, "GNTTABOP_copy", 0);
	check(op.status == GNTST_okay, "copy through a self-grant", (uint32_t)op.status);
	check(dst_page[0] == 109 && dst_page[7] == 116, "bytes copied through the grant",
	      dst_page[0]);
	check(gt[8].flags == (GTF_permit_access | GTF_readonly), "flags after the copy",
	      gt[8].flags);
}

void test32_main(const struct hvm_start_info *si, uint32_t base)
{
	test_sizes();
	test_copy(own_domid(base));
	test_placed_frame(own_domid(base));
}
