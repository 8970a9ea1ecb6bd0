// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables through the hypercall dispatcher and the backend API, with Xen 4.17's
 * answers to an HVM domU as the expectation (common/grant_table.c, common/compat/
 * grant_table.c, arch/x86/hvm/hypercall.c, arch/x86/mm/p2m.c) and the flags protocol of
 * xen/grant_table.h: GTF_reading/GTF_writing set while a grant is held, cleared after.
 * The fixture's domain is 7; its RAM is identity-mapped for hypercall pointers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/gnttab/grant_table.h"

#define SELF 7
#define ARG 0x200000ULL /* hypercall arguments */
#define LIST 0x201000ULL /* setup_table's frame list */
#define GT_GFN 0x300ULL /* where the tests place grant frame 0 */
#define GT_GFN2 0x301ULL
#define DATA_GFN 0x400ULL /* granted pages */
#define DATA2_GFN 0x401ULL
#define HOLE_GFN 0xf0000ULL /* the MMIO hole below 4 GiB: no RAM */
#define RAM_END (32ULL << 20)

static struct xen_fixture fx;

static long gnttab_op(unsigned int cmd, uint64_t uop, uint64_t count)
{
	return fixture_call(&fx, __HYPERVISOR_grant_table_op, cmd, uop, count);
}

static long add_to_physmap(domid_t domid, uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap *xatp = fixture_ptr(&fx, ARG, sizeof(*xatp));

	*xatp = (struct xen_add_to_physmap){
		.domid = domid, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = gpfn
	};
	return fixture_call(&fx, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0);
}

static struct grant_entry_v1 *entry_at(uint64_t gfn, grant_ref_t ref)
{
	struct grant_entry_v1 *page = fixture_ptr(&fx, gfn << 12, 4096);

	return &page[ref % 512];
}

static uint8_t *page_at(uint64_t gfn)
{
	return fixture_ptr(&fx, gfn << 12, 4096);
}

/* Frame 0 placed at GT_GFN, ref granting `frame` to `domid` with `flags`. */
static struct grant_entry_v1 *grant(grant_ref_t ref, uint16_t flags, domid_t domid, uint32_t frame)
{
	struct grant_entry_v1 *e = entry_at(GT_GFN, ref);

	e->domid = domid;
	e->frame = frame;
	e->flags = flags;
	return e;
}

static void start(void)
{
	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	CU_ASSERT_FATAL(add_to_physmap(DOMID_SELF, 0, GT_GFN) == 0);
}

static void stop(void)
{
	fixture_destroy(&fx);
}

static void test_query_size(void)
{
	struct gnttab_query_size *q;

	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	q = fixture_ptr(&fx, ARG, sizeof(*q));
	*q = (struct gnttab_query_size){ .dom = DOMID_SELF, .status = 99 };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->status, GNTST_okay);
	CU_ASSERT_EQUAL(q->nr_frames, 1); /* INITIAL_NR_GRANT_FRAMES */
	CU_ASSERT_EQUAL(q->max_nr_frames, 64); /* Xen's default gnttab_max_frames */
	*q = (struct gnttab_query_size){ .dom = SELF };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->status, GNTST_okay);
	/* Domain 0 exists but XSM_TARGET refuses; other domains do not exist. */
	*q = (struct gnttab_query_size){ .dom = 0, .nr_frames = 1234 };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->status, GNTST_permission_denied);
	CU_ASSERT_EQUAL(q->nr_frames, 1234);
	q->dom = 9;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->status, GNTST_bad_domain);
	q->dom = DOMID_IO;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->status, GNTST_bad_domain);
	/* count must be exactly 1; a negative count is refused before anything. */
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 2), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 0x80000000u), -XEN_EINVAL);
	/* The count is an unsigned int: the upper half of the register is ignored. */
	q->dom = DOMID_SELF;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 0x100000001ULL), 0);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, RAM_END - 4, 1), -XEN_EFAULT);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, HOLE_GFN << 12, 1), -XEN_EFAULT);
	stop();
}

static void test_max_frames_config(void)
{
	struct gnttab_query_size *q;

	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	/* The domain's table again, as xen_domain_init() makes it for --max-grant-frames 4. */
	xen_gnttab_destroy(&fx.dom);
	fx.dom.cfg.max_grant_frames = 4;
	CU_ASSERT_FATAL(xen_gnttab_init(&fx.dom) == 0);
	q = fixture_ptr(&fx, ARG, sizeof(*q));
	*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG, 1), 0);
	CU_ASSERT_EQUAL(q->max_nr_frames, 4);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 3, GT_GFN), 0);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 4, GT_GFN2), -XEN_EINVAL);
	/* Beyond what the VMM accepts at all; the domain keeps no table then. */
	xen_gnttab_destroy(&fx.dom);
	fx.dom.cfg.max_grant_frames = XEN_GNTTAB_MAX_FRAMES_LIMIT + 1;
	CU_ASSERT_EQUAL(xen_gnttab_init(&fx.dom), -EINVAL);
	CU_ASSERT_PTR_NULL(fx.dom.gnttab);
	stop();
}

static void test_setup_table(void)
{
	struct gnttab_setup_table *op;
	uint64_t *list;

	start();
	op = fixture_ptr(&fx, ARG, sizeof(*op));
	list = fixture_ptr(&fx, LIST, 8 * 8);
	memset(list, 0x5a, 64);
	*op = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 4 };
	set_xen_guest_handle(op->frame_list, (xen_pfn_t *)LIST);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_okay);
	/* Frame 0 is where the guest put it; frames not placed read as INVALID_GFN. */
	CU_ASSERT_EQUAL(list[0], GT_GFN);
	CU_ASSERT_EQUAL(list[1], ~0ULL);
	CU_ASSERT_EQUAL(list[3], ~0ULL);
	CU_ASSERT_EQUAL(list[4], 0x5a5a5a5a5a5a5a5aULL); /* nothing past nr_frames */
	/* The table grew to 4 frames. */
	{
		struct gnttab_query_size *q = fixture_ptr(&fx, ARG + 0x100, sizeof(*q));

		*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
		CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size, ARG + 0x100, 1), 0);
		CU_ASSERT_EQUAL(q->nr_frames, 4);
	}
	/* More than the limit: general error, the list untouched. */
	memset(list, 0x5a, 64);
	op->nr_frames = 65;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_general_error);
	CU_ASSERT_EQUAL(list[0], 0x5a5a5a5a5a5a5a5aULL);
	op->nr_frames = 0;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_okay);
	/* A frame list that is not memory: the status says so, the call succeeds. */
	op->nr_frames = 1;
	set_xen_guest_handle(op->frame_list, (xen_pfn_t *)(HOLE_GFN << 12));
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_bad_virt_addr);
	op->dom = 0;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_permission_denied);
	op->dom = 3;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 1), 0);
	CU_ASSERT_EQUAL(op->status, GNTST_bad_domain);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, ARG, 2), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_setup_table, RAM_END - 8, 1), -XEN_EFAULT);
	stop();
}

static void test_versions(void)
{
	struct gnttab_get_version *g;
	struct gnttab_set_version *s;

	start();
	g = fixture_ptr(&fx, ARG, sizeof(*g));
	s = fixture_ptr(&fx, ARG + 0x100, sizeof(*s));
	*g = (struct gnttab_get_version){ .dom = DOMID_SELF, .version = 77 };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_get_version, ARG, 1), 0);
	CU_ASSERT_EQUAL(g->version, 1);
	*g = (struct gnttab_get_version){ .dom = SELF };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_get_version, ARG, 1), 0);
	CU_ASSERT_EQUAL(g->version, 1);
	/* get_version returns errors directly: -EPERM from XSM, -ESRCH from the lookup. */
	*g = (struct gnttab_get_version){ .dom = 0, .version = 77 };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_get_version, ARG, 1), -XEN_EPERM);
	CU_ASSERT_EQUAL(g->version, 77);
	g->dom = 12;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_get_version, ARG, 1), -XEN_ESRCH);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_get_version, RAM_END - 2, 1), -XEN_EFAULT);

	/* set_version writes the version in force back in every case. */
	s->version = 1;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, ARG + 0x100, 1), 0);
	CU_ASSERT_EQUAL(s->version, 1);
	s->version = 2; /* a domain with max_grant_version 1 */
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, ARG + 0x100, 1), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(s->version, 1);
	s->version = 0;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, ARG + 0x100, 1), -XEN_EINVAL);
	CU_ASSERT_EQUAL(s->version, 1);
	s->version = 3;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, ARG + 0x100, 1), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, RAM_END - 2, 1), -XEN_EFAULT);
	/* Setting the current version keeps the entries. */
	grant(10, GTF_permit_access, 0, DATA_GFN);
	s->version = 1;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_set_version, ARG + 0x100, 1), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 10)->frame, DATA_GFN);
	stop();
}

static void test_ops_hvm_cannot_use(void)
{
	static const unsigned int cmds[] = { GNTTABOP_dump_table,
					     GNTTABOP_transfer,
					     GNTTABOP_unmap_and_replace,
					     GNTTABOP_get_status_frames,
					     GNTTABOP_cache_flush,
					     13,
					     99 };

	start();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		CU_ASSERT_EQUAL(gnttab_op(cmds[i], ARG, 1), -XEN_ENOSYS);
	/* hvm_grant_table_op matches the whole command: continuation bits are not let in. */
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_query_size | (1u << 12), ARG, 1), -XEN_ENOSYS);
	/* The command is an unsigned int: upper bits of the register do not count. */
	{
		struct gnttab_query_size *q = fixture_ptr(&fx, ARG, sizeof(*q));

		*q = (struct gnttab_query_size){ .dom = DOMID_SELF };
		CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_grant_table_op,
					     GNTTABOP_query_size | (1ULL << 32), ARG, 1),
				0);
		CU_ASSERT_EQUAL(q->status, GNTST_okay);
	}
	stop();
}

static void test_add_to_physmap(void)
{
	struct grant_entry_v1 *e;
	uint8_t *ram;

	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	/* The RAM page shows the frame (all zero) once placed. */
	ram = page_at(GT_GFN);
	memset(ram, 0xaa, 4096);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 0, GT_GFN), 0);
	CU_ASSERT_EQUAL(ram[0], 0);
	CU_ASSERT_EQUAL(ram[4095], 0);
	e = grant(5, GTF_permit_access, 0, DATA_GFN);
	/* Placing the same frame again changes nothing. */
	CU_ASSERT_EQUAL(add_to_physmap(SELF, 0, GT_GFN), 0);
	CU_ASSERT_EQUAL(e->frame, DATA_GFN);
	/* Moving it takes its entries along. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 0, GT_GFN2), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN2, 5)->frame, DATA_GFN);
	CU_ASSERT_EQUAL(entry_at(GT_GFN2, 5)->flags, GTF_permit_access);
	/* Naming a frame past the table grows it, up to max_grant_frames. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 63, 0x310), 0);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 64, 0x311), -XEN_EINVAL);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, XENMAPIDX_grant_table_status, 0x311),
			-XEN_EINVAL); /* no status frames in v1 */
	/* Frame 1 put where frame 0 is: frame 0 leaves, and keeps its entries. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 1, GT_GFN2), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN2, 5)->frame, 0);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 0, GT_GFN), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 5)->frame, DATA_GFN);
	/* Xen takes the index as an unsigned int: 2^32 is frame 0. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 1ULL << 32, GT_GFN), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 5)->frame, DATA_GFN);
	/* gfns past Xen's 4-level EPT (ept_set_entry: gfn >> 36): -EINVAL. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 2, 1ULL << 36), -XEN_EINVAL);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 2, ~0ULL), -XEN_EINVAL);
	/* The local APIC page is the VMM's: refused (Xen: -EPERM with APICv). */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 2, 0xfee00), -XEN_EINVAL);
	/* Another domain's table: memory_op refuses first. */
	CU_ASSERT_EQUAL(add_to_physmap(0, 0, GT_GFN), -XEN_EPERM);
	CU_ASSERT_EQUAL(
		fixture_call(&fx, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, RAM_END - 8, 0),
		-XEN_EFAULT);
	stop();
}

static bool mapped(const void *addr)
{
	unsigned char vec;

	return mincore((void *)addr, 4096, &vec) == 0;
}

/* The permissions of the VMM's mapping at addr, from /proc/self/maps ("r--s"...). */
static void perms_of(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char perms[5] = "";

	strcpy(out, "none");
	if (!f)
		return;
	while (fscanf(f, "%lx-%lx %4s%*[^\n]", &lo, &hi, perms) == 3)
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			strcpy(out, perms);
			break;
		}
	fclose(f);
}

static void test_backend_map(void)
{
	struct xen_gnttab_map ro, rw;
	struct grant_entry_v1 *e;
	char perms[5];

	start();
	memcpy(page_at(DATA_GFN), "granted data", 13);
	e = grant(10, GTF_permit_access, 0, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 10, true, &ro), GNTST_okay);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_reading);
	CU_ASSERT_EQUAL(ro.gfn, DATA_GFN);
	CU_ASSERT_FATAL(ro.addr != NULL);
	CU_ASSERT_EQUAL(memcmp(ro.addr, "granted data", 13), 0);
	perms_of(ro.addr, perms);
	CU_ASSERT_STRING_EQUAL(perms, "r--s");
	/* A writable mapping on top adds GTF_writing; the view writes guest memory. */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 10, false, &rw), GNTST_okay);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
	perms_of(rw.addr, perms);
	CU_ASSERT_STRING_EQUAL(perms, "rw-s");
	memcpy(rw.addr, "backend", 7);
	CU_ASSERT_EQUAL(memcmp(page_at(DATA_GFN), "backend", 7), 0);
	/* Last writer gone: GTF_writing clears, GTF_reading stays for the reader. */
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &rw), GNTST_okay);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_reading);
	CU_ASSERT_PTR_NULL(rw.addr);
	{
		void *old = ro.addr;

		CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &ro), GNTST_okay);
		CU_ASSERT_FALSE(mapped(old)); /* nothing left to touch the frame through */
	}
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &ro), GNTST_bad_handle);
	/* The guest may now revoke, and a new map is refused. */
	e->flags = GTF_invalid;
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 10, true, &ro), GNTST_general_error);
	CU_ASSERT_PTR_NULL(ro.addr);
	CU_ASSERT_EQUAL(e->flags, GTF_invalid);
	stop();
}

static void test_backend_refusals(void)
{
	struct xen_gnttab_map m;
	struct grant_entry_v1 *e;

	start();
	/* GTF_readonly: read-only mapping only. */
	e = grant(11, GTF_permit_access | GTF_readonly, 0, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 11, false, &m), GNTST_general_error);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 11, true, &m), GNTST_okay);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
	/* Granted to another domain. */
	e = grant(12, GTF_permit_access, 3, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 12, true, &m), GNTST_general_error);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 3, 12, true, &m), GNTST_okay);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
	/* Other entry types, and a sub-page grant (copy only). */
	e = grant(13, GTF_accept_transfer, 0, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 13, true, &m), GNTST_general_error);
	e->flags = GTF_transitive;
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 13, true, &m), GNTST_general_error);
	e->flags = GTF_permit_access | GTF_sub_page;
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 13, true, &m), GNTST_general_error);
	{
		char buf[4];

		CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 13, 0, buf, 4), GNTST_okay);
	}
	/* A frame with no RAM behind it: refused, and no flag left behind. */
	e = grant(14, GTF_permit_access, 0, HOLE_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 14, false, &m), GNTST_bad_page);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access);
	e->frame = RAM_END >> 12;
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 14, true, &m), GNTST_bad_page);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access);
	/* References past the table (one frame: 512 entries). */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 512, true, &m), GNTST_bad_gntref);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 0xffffffffu, true, &m), GNTST_bad_gntref);
	/* A frame that exists but the guest never placed: its entries are all zero. */
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 1, 0x302), 0);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 2, HOLE_GFN + 1) != 0, 1); /* no KVM here */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 512 * 2 + 1, true, &m), GNTST_general_error);
	/* The entry in frame 1 works once written. */
	entry_at(0x302, 512 + 7)->domid = 0;
	entry_at(0x302, 512 + 7)->frame = DATA_GFN;
	entry_at(0x302, 512 + 7)->flags = GTF_permit_access;
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 512 + 7, true, &m), GNTST_okay);
	CU_ASSERT_EQUAL(entry_at(0x302, 512 + 7)->flags, GTF_permit_access | GTF_reading);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
	stop();
}

/* While pinned, Xen decides by the active entry, not by what the guest wrote since. */
static void test_backend_pins(void)
{
	static struct xen_gnttab_map maps[130];
	struct xen_gnttab_map other;
	struct grant_entry_v1 *e;
	unsigned int n;

	start();
	e = grant(20, GTF_permit_access, 0, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 20, true, &maps[0]), GNTST_okay);
	e->domid = 5; /* a hostile guest rewrites a held entry */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 5, 20, true, &other), GNTST_general_error);
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 20, true, &maps[1]), GNTST_okay);
	CU_ASSERT_EQUAL(maps[1].gfn, DATA_GFN);
	e->domid = 0;
	/* 8-bit pin counters: the top bit refuses more. */
	for (n = 2; n < 130; n++)
		if (xen_gnttab_map(&fx.dom, 0, 20, true, &maps[n]) != GNTST_okay)
			break;
	CU_ASSERT_EQUAL(n, 128);
	for (unsigned int i = 0; i < n; i++)
		CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &maps[i]), GNTST_okay);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access);
	stop();
}

static void test_backend_copy(void)
{
	struct grant_entry_v1 *e;
	uint8_t buf[4096];

	start();
	for (int i = 0; i < 4096; i++)
		page_at(DATA_GFN)[i] = (uint8_t)(i * 3);
	e = grant(30, GTF_permit_access, 0, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 100, buf, 200), GNTST_okay);
	CU_ASSERT_EQUAL(memcmp(buf, page_at(DATA_GFN) + 100, 200), 0);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access); /* released again */
	memset(buf, 0xee, sizeof(buf));
	CU_ASSERT_EQUAL(xen_gnttab_copy_to(&fx.dom, 0, 30, 4000, buf, 96), GNTST_okay);
	CU_ASSERT_EQUAL(page_at(DATA_GFN)[4095], 0xee);
	CU_ASSERT_EQUAL(page_at(DATA_GFN)[3999], (uint8_t)(3999 * 3));
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 0, buf, 4096), GNTST_okay);
	/* Bounds: nothing copied past the page. */
	CU_ASSERT_EQUAL(xen_gnttab_copy_to(&fx.dom, 0, 30, 4000, buf, 97), GNTST_bad_copy_arg);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 4096, buf, 1), GNTST_bad_copy_arg);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 0xffff, buf, 0xffff),
			GNTST_bad_copy_arg);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 4096, buf, 0), GNTST_okay);
	/* Read-only grant: copy_to refused, page unchanged. */
	e->flags = GTF_permit_access | GTF_readonly;
	CU_ASSERT_EQUAL(xen_gnttab_copy_to(&fx.dom, 0, 30, 0, "x", 1), GNTST_general_error);
	CU_ASSERT_EQUAL(page_at(DATA_GFN)[0], 0);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_readonly);
	/* Wrong domain, revoked, out of range. */
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 1, 30, 0, buf, 1), GNTST_general_error);
	e->flags = GTF_invalid;
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 30, 0, buf, 1), GNTST_general_error);
	CU_ASSERT_EQUAL(xen_gnttab_copy_from(&fx.dom, 0, 512, 0, buf, 1), GNTST_bad_gntref);
	stop();
}

/* A guest that flips its entry while the backend takes it never leaves a flag set. */
static volatile bool hostile_stop;

static void *hostile_writer(void *arg)
{
	struct grant_entry_v1 *e = arg;
	uint32_t *word = (uint32_t *)e;
	unsigned int i = 0;

	while (!hostile_stop) {
		/* Toggle the domid and the readonly flag with atomic ops, as a CPU would. */
		__atomic_fetch_xor(word, (i & 1) ? (1u << 16) : GTF_readonly, __ATOMIC_SEQ_CST);
		i++;
	}
	return NULL;
}

static void test_hostile_entry(void)
{
	struct grant_entry_v1 *e;
	pthread_t t;
	unsigned int ok = 0, refused = 0;

	start();
	e = grant(40, GTF_permit_access, 0, DATA_GFN);
	hostile_stop = false;
	CU_ASSERT_FATAL(pthread_create(&t, NULL, hostile_writer, e) == 0);
	for (int i = 0; i < 20000; i++) {
		struct xen_gnttab_map m;
		int rc = xen_gnttab_map(&fx.dom, 0, 40, i & 1, &m);

		if (rc == GNTST_okay) {
			ok++;
			CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
		} else {
			refused++;
			CU_ASSERT_EQUAL(rc, GNTST_general_error);
		}
	}
	hostile_stop = true;
	pthread_join(t, NULL);
	CU_ASSERT_EQUAL(ok + refused, 20000);
	CU_ASSERT_EQUAL(e->flags & (GTF_reading | GTF_writing), 0);
	/* Garbage everywhere in the frame: every ref is answered, none crashes the VMM. */
	for (int i = 0; i < 4096; i++)
		page_at(GT_GFN)[i] = (uint8_t)(i * 131 + 7);
	for (grant_ref_t ref = 0; ref < 512; ref++) {
		struct xen_gnttab_map m;
		uint8_t b;
		int rc = xen_gnttab_map(&fx.dom, (domid_t)(ref * 131 + 7), ref, true, &m);

		if (rc == GNTST_okay)
			xen_gnttab_unmap(&fx.dom, &m);
		else
			CU_ASSERT(rc == GNTST_general_error || rc == GNTST_bad_page);
		rc = xen_gnttab_copy_from(&fx.dom, 0, ref, 0, &b, 1);
		CU_ASSERT(rc == GNTST_okay || rc == GNTST_general_error || rc == GNTST_bad_page);
	}
	stop();
}

static struct gnttab_copy *copy_op(unsigned int i)
{
	return fixture_ptr(&fx, ARG + i * sizeof(struct gnttab_copy), sizeof(struct gnttab_copy));
}

static void set_copy(unsigned int i, uint16_t flags, uint64_t src, domid_t sdom, uint16_t soff,
		     uint64_t dst, domid_t ddom, uint16_t doff, uint16_t len)
{
	struct gnttab_copy *op = copy_op(i);

	memset(op, 0, sizeof(*op));
	op->flags = flags;
	if (flags & GNTCOPY_source_gref)
		op->source.u.ref = (grant_ref_t)src;
	else
		op->source.u.gmfn = src;
	if (flags & GNTCOPY_dest_gref)
		op->dest.u.ref = (grant_ref_t)dst;
	else
		op->dest.u.gmfn = dst;
	op->source.domid = sdom;
	op->source.offset = soff;
	op->dest.domid = ddom;
	op->dest.offset = doff;
	op->len = len;
	op->status = 99;
}

static int16_t copy1(uint16_t flags, uint64_t src, domid_t sdom, uint16_t soff, uint64_t dst,
		     domid_t ddom, uint16_t doff, uint16_t len)
{
	set_copy(0, flags, src, sdom, soff, dst, ddom, doff, len);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, ARG, 1), 0);
	return copy_op(0)->status;
}

static void test_guest_copy(void)
{
	struct grant_entry_v1 *src, *dst;

	start();
	for (int i = 0; i < 4096; i++)
		page_at(DATA_GFN)[i] = (uint8_t)(i + 1);
	memset(page_at(DATA2_GFN), 0, 4096);
	/* A guest may copy through grants it made to itself. */
	src = grant(50, GTF_permit_access | GTF_readonly, SELF, DATA_GFN);
	dst = grant(51, GTF_permit_access, SELF, DATA2_GFN);
	CU_ASSERT_EQUAL(
		copy1(GNTCOPY_source_gref, 50, DOMID_SELF, 100, DATA2_GFN, DOMID_SELF, 200, 50),
		GNTST_okay);
	CU_ASSERT_EQUAL(memcmp(page_at(DATA2_GFN) + 200, page_at(DATA_GFN) + 100, 50), 0);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[199], 0);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[250], 0);
	CU_ASSERT_EQUAL(src->flags, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(copy1(GNTCOPY_dest_gref, DATA_GFN, DOMID_SELF, 0, 51, SELF, 0, 4096),
			GNTST_okay);
	CU_ASSERT_EQUAL(memcmp(page_at(DATA2_GFN), page_at(DATA_GFN), 4096), 0);
	CU_ASSERT_EQUAL(dst->flags, GTF_permit_access);
	/* Both sides granted, same page, overlapping. */
	CU_ASSERT_EQUAL(
		copy1(GNTCOPY_source_gref | GNTCOPY_dest_gref, 51, SELF, 0, 51, SELF, 1, 10),
		GNTST_okay);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[1], 1);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[10], 10);
	/* Writing through a read-only grant. */
	CU_ASSERT_EQUAL(copy1(GNTCOPY_dest_gref, DATA_GFN, DOMID_SELF, 0, 50, SELF, 0, 1),
			GNTST_general_error);
	CU_ASSERT_EQUAL(src->flags, GTF_permit_access | GTF_readonly);
	/* Frames may be named only with DOMID_SELF, not with the numeric id. */
	CU_ASSERT_EQUAL(copy1(0, DATA_GFN, SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_permission_denied);
	CU_ASSERT_EQUAL(copy1(0, DATA_GFN, DOMID_SELF, 0, DATA2_GFN, 0, 0, 1),
			GNTST_permission_denied);
	/* Domain 0 granted nothing; domain 9 does not exist. */
	CU_ASSERT_EQUAL(copy1(GNTCOPY_source_gref, 1, 0, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_general_error);
	CU_ASSERT_EQUAL(copy1(GNTCOPY_source_gref, 1, 9, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_bad_domain);
	/* A grant to domain 0 is not the guest's to use. */
	grant(52, GTF_permit_access, 0, DATA_GFN);
	CU_ASSERT_EQUAL(copy1(GNTCOPY_source_gref, 52, DOMID_SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_general_error);
	CU_ASSERT_EQUAL(copy1(GNTCOPY_source_gref, 600, DOMID_SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_bad_gntref);
	/* Frames without RAM. */
	CU_ASSERT_EQUAL(copy1(0, HOLE_GFN, DOMID_SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1),
			GNTST_bad_page);
	CU_ASSERT_EQUAL(copy1(0, DATA_GFN, DOMID_SELF, 0, RAM_END >> 12, DOMID_SELF, 0, 1),
			GNTST_bad_page);
	CU_ASSERT_EQUAL(copy1(0, DATA_GFN, DOMID_SELF, 0, ~0ULL, DOMID_SELF, 0, 1), GNTST_bad_page);
	/* Past the page, on either side: nothing copied, grants released. */
	memset(page_at(DATA2_GFN), 0, 4096);
	CU_ASSERT_EQUAL(
		copy1(GNTCOPY_source_gref, 50, DOMID_SELF, 4000, DATA2_GFN, DOMID_SELF, 0, 97),
		GNTST_bad_copy_arg);
	CU_ASSERT_EQUAL(copy1(0, DATA_GFN, DOMID_SELF, 0, 51, SELF, 4095, 2) == GNTST_okay, 0);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[0], 0);
	CU_ASSERT_EQUAL(src->flags, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(dst->flags, GTF_permit_access);
	stop();
}

static void test_guest_copy_batch(void)
{
	start();
	memset(page_at(DATA2_GFN), 0, 4096);
	page_at(DATA_GFN)[0] = 0x11;
	page_at(DATA_GFN)[1] = 0x22;
	/* Each op has its own status; a failing op does not stop the next. */
	set_copy(0, 0, DATA_GFN, DOMID_SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1);
	set_copy(1, 0, HOLE_GFN, DOMID_SELF, 0, DATA2_GFN, DOMID_SELF, 0, 1);
	set_copy(2, 0, DATA_GFN, DOMID_SELF, 1, DATA2_GFN, DOMID_SELF, 1, 1);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, ARG, 3), 0);
	CU_ASSERT_EQUAL(copy_op(0)->status, GNTST_okay);
	CU_ASSERT_EQUAL(copy_op(1)->status, GNTST_bad_page);
	CU_ASSERT_EQUAL(copy_op(2)->status, GNTST_okay);
	CU_ASSERT_EQUAL(page_at(DATA2_GFN)[1], 0x22);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, ARG, 0), 0);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, ARG, 0xffffffffu), -XEN_EINVAL);
	/* An array running off the end of RAM: ops before it done, then -EFAULT. */
	{
		uint64_t at = RAM_END - sizeof(struct gnttab_copy) - 8;
		struct gnttab_copy *op = fixture_ptr(&fx, at, sizeof(*op));

		*op = *copy_op(0);
		op->status = 99;
		CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, at, 2), -XEN_EFAULT);
		CU_ASSERT_EQUAL(op->status, GNTST_okay);
	}
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, HOLE_GFN << 12, 1), -XEN_EFAULT);
	stop();
}

/*
 * More ops than one exit does: the rest goes to continuations, and the guest sees what
 * one call gives (each op's status, 0), as under Xen's preempted gnttab_copy().
 */
static void test_guest_copy_continues(void)
{
	const unsigned int n = 1000;

	start();
	memset(page_at(DATA2_GFN), 0, 4096);
	for (unsigned int i = 0; i < n; i++) {
		page_at(DATA_GFN)[i % 4096] = (uint8_t)i;
		set_copy(i, 0, DATA_GFN, DOMID_SELF, (uint16_t)i, DATA2_GFN, DOMID_SELF,
			 (uint16_t)i, 1);
	}
	fx.continuations = 0;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_copy, ARG, n), 0);
	CU_ASSERT(fx.continuations > 0);
	for (unsigned int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(copy_op(i)->status, GNTST_okay);
		CU_ASSERT_EQUAL(page_at(DATA2_GFN)[i], (uint8_t)i);
	}
	stop();
}

static void test_swap(void)
{
	struct gnttab_swap_grant_ref *ops;
	struct xen_gnttab_map m;

	start();
	ops = fixture_ptr(&fx, ARG, 3 * sizeof(*ops));
	grant(60, GTF_permit_access, 0, DATA_GFN);
	grant(61, GTF_permit_access | GTF_readonly, 4, DATA2_GFN);
	ops[0] = (struct gnttab_swap_grant_ref){ .ref_a = 60, .ref_b = 61, .status = 99 };
	ops[1] = (struct gnttab_swap_grant_ref){ .ref_a = 60, .ref_b = 512, .status = 99 };
	ops[2] = (struct gnttab_swap_grant_ref){ .ref_a = 62, .ref_b = 62, .status = 99 };
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_swap_grant_ref, ARG, 3), 0);
	CU_ASSERT_EQUAL(ops[0].status, GNTST_okay);
	CU_ASSERT_EQUAL(ops[1].status, GNTST_bad_gntref);
	CU_ASSERT_EQUAL(ops[2].status, GNTST_okay);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 60)->frame, DATA2_GFN);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 60)->domid, 4);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 60)->flags, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 61)->frame, DATA_GFN);
	/* A held entry cannot move. */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, 61, false, &m), GNTST_okay);
	ops[0].status = 99;
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_swap_grant_ref, ARG, 1), 0);
	CU_ASSERT_EQUAL(ops[0].status, GNTST_eagain);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, 61)->frame, DATA_GFN);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_swap_grant_ref, ARG, 0), 0);
	CU_ASSERT_EQUAL(gnttab_op(GNTTABOP_swap_grant_ref, RAM_END - 4, 1), -XEN_EFAULT);
	stop();
}

/* Entries the toolstack seeds before boot are in frame 0 once the guest places it. */
static void test_seed(void)
{
	struct xen_gnttab_map m;

	CU_ASSERT_FATAL(fixture_init(&fx, 1000000) == 0);
	CU_ASSERT_EQUAL(xen_gnttab_seed(&fx.dom, GNTTAB_RESERVED_XENSTORE, 0, DATA_GFN), 0);
	CU_ASSERT_EQUAL(xen_gnttab_seed(&fx.dom, GNTTAB_NR_RESERVED_ENTRIES, 0, DATA_GFN), -EINVAL);
	CU_ASSERT_EQUAL(xen_gnttab_seed(&fx.dom, 0, 0, 1ULL << 32), -ERANGE);
	/* Usable by the backend before the guest places the frame... */
	CU_ASSERT_EQUAL(xen_gnttab_map(&fx.dom, 0, GNTTAB_RESERVED_XENSTORE, false, &m),
			GNTST_okay);
	CU_ASSERT_EQUAL(xen_gnttab_unmap(&fx.dom, &m), GNTST_okay);
	/* ...and visible to the guest after. */
	memset(page_at(GT_GFN), 0xff, 4096);
	CU_ASSERT_EQUAL(add_to_physmap(DOMID_SELF, 0, GT_GFN), 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, GNTTAB_RESERVED_XENSTORE)->flags, GTF_permit_access);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, GNTTAB_RESERVED_XENSTORE)->domid, 0);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, GNTTAB_RESERVED_XENSTORE)->frame, DATA_GFN);
	CU_ASSERT_EQUAL(entry_at(GT_GFN, GNTTAB_RESERVED_CONSOLE)->flags, 0);
	stop();
}

UNIT_SUITE(xen_grant_table, NULL, NULL, UNIT_TEST(test_query_size),
	   UNIT_TEST(test_max_frames_config), UNIT_TEST(test_setup_table), UNIT_TEST(test_versions),
	   UNIT_TEST(test_ops_hvm_cannot_use), UNIT_TEST(test_add_to_physmap),
	   UNIT_TEST(test_backend_map), UNIT_TEST(test_backend_refusals),
	   UNIT_TEST(test_backend_pins), UNIT_TEST(test_backend_copy),
	   UNIT_TEST(test_hostile_entry), UNIT_TEST(test_guest_copy),
	   UNIT_TEST(test_guest_copy_batch), UNIT_TEST(test_guest_copy_continues),
	   UNIT_TEST(test_swap), UNIT_TEST(test_seed));
