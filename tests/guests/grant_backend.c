// SPDX-License-Identifier: MIT
/*
 * grant_backend: pages granted to a backend in the VMM, seen from the guest. Needs
 * xenkvm --test-devices: the grant probe (docs/VMM-INTERFACE.md, "Test devices") acts as
 * backend domain 0 and runs map, unmap, read, write, fill, checksum and copy commands on
 * a grant reference the guest names, through the backend API a PV backend uses.
 *
 * Expectations come from the flags protocol of xen/grant_table.h (GTF_reading while a
 * backend has the page mapped or is copying from it, GTF_writing as well when it may
 * write; both clear once it lets go; GTF_readonly limits it to reading; an entry that is
 * no longer GTF_permit_access for domain 0 cannot be taken), from how Linux grants and
 * ends access (drivers/xen/grant-table.c: ending access fails while the backend holds
 * the page), from Xen's GNTST_* results for a map or copy (grant_table.c), and from the
 * guest's own data: every checksum is computed here over what the guest wrote.
 */
#include "gnttab_guest.h"

/* The grant probe's ports, commands and statuses (docs/VMM-INTERFACE.md). */
#define PROBE_REF 0x5c0
#define PROBE_ARG 0x5c4
#define PROBE_DATA 0x5c8
#define PROBE_CMD 0x5cc
enum { MAP_RO = 1, MAP_RW, UNMAP, READ, WRITE, FILL, SUM, COPY_FROM, COPY_TO };
#define PROBE_ENOTMAPPED (-100)
#define PROBE_EROFS (-101)
#define PROBE_EBUSY (-102)

#define HOLE_GFN 0xf0010UL /* no RAM: the place for grant frame 1 */
#define REF 8 /* the first reference Linux hands out (after the reserved ones) */

static uint8_t frame0[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t data[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static volatile struct grant_entry_v1 *gt = (void *)frame0;

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Runs one probe command; returns its status. */
static int32_t probe(unsigned int cmd, grant_ref_t ref, uint16_t offset, uint16_t len,
		     uint32_t *datap)
{
	outl(PROBE_REF, ref);
	outl(PROBE_ARG, (uint32_t)len << 16 | offset);
	if (datap)
		outl(PROBE_DATA, *datap);
	/* The probe reads and writes guest memory: nothing may be cached across the command. */
	asm volatile("" ::: "memory");
	outl(PROBE_CMD, cmd);
	asm volatile("" ::: "memory");
	if (datap)
		*datap = inl(PROBE_DATA);
	return (int32_t)inl(PROBE_CMD);
}

static int32_t probe0(unsigned int cmd, grant_ref_t ref)
{
	return probe(cmd, ref, 0, 0, NULL);
}

static bool pattern_ok(const uint8_t *p, unsigned int len, uint32_t seed)
{
	for (unsigned int i = 0; i < len; i++)
		if (p[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

static void fill_data(void)
{
	for (unsigned int i = 0; i < GUEST_PAGE; i++)
		data[i] = (uint8_t)(i * 13 + 5);
}

static void test_read_only_mapping(void)
{
	uint32_t v = 0, w;

	gnttab_grant(&gt[REF], 0, gfn_of(data), GTF_permit_access);
	check_eq(probe0(MAP_RO, REF), GNTST_okay, "map read-only");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access | GTF_reading,
		 "flags while mapped read-only");
	check(!gnttab_end_access(&gt[REF]), "access ended while the backend holds the page");
	check_eq(probe(READ, REF, 40, 0, &v), GNTST_okay, "read through the mapping");
	memcpy(&w, data + 40, sizeof(w));
	check_eq(v, w, "word the backend read");
	v = 0;
	check_eq(probe(SUM, REF, 0, GUEST_PAGE, &v), GNTST_okay, "checksum of the page");
	check_eq(v, fnv1a(data, GUEST_PAGE), "checksum the backend computed");
	v = 0x12345678;
	check_eq(probe(WRITE, REF, 0, 0, &v), PROBE_EROFS, "write through a read-only mapping");
	check_eq(probe0(MAP_RW, REF), PROBE_EBUSY, "second map while mapped");
	check_eq(probe0(UNMAP, REF), GNTST_okay, "unmap");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access, "flags after unmap");
	check_eq(probe0(UNMAP, REF), PROBE_ENOTMAPPED, "unmap twice");
}

static void test_writable_mapping(void)
{
	uint32_t v = 0xc0ffee11, w;

	check_eq(probe0(MAP_RW, REF), GNTST_okay, "map writable");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access | GTF_reading | GTF_writing,
		 "flags while mapped writable");
	check(!gnttab_end_access(&gt[REF]), "access ended while the backend may write");
	check_eq(probe(WRITE, REF, 100, 0, &v), GNTST_okay, "write through the mapping");
	memcpy(&w, data + 100, sizeof(w));
	check_eq(w, 0xc0ffee11, "word the backend wrote");
	v = 0x40;
	check_eq(probe(FILL, REF, 3000, 1096, &v), GNTST_okay, "fill");
	check(pattern_ok(data + 3000, 1096, 0x40), "fill pattern differs");
	check_eq(data[2999], (uint8_t)(2999 * 13 + 5), "byte before the fill");
	check_eq(probe(FILL, REF, 3001, 1096, &v), -103, "fill past the page (probe's check)");
	check_eq(probe0(UNMAP, REF), GNTST_okay, "unmap");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access, "flags after unmap");
}

static void test_readonly_grant(void)
{
	uint32_t v = 0;

	fill_data();
	gnttab_grant(&gt[REF], 0, gfn_of(data), GTF_permit_access | GTF_readonly);
	check_eq(probe0(MAP_RW, REF), GNTST_general_error, "writable map of a read-only grant");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access | GTF_readonly,
		 "flags after a refused map");
	check_eq(probe(COPY_TO, REF, 0, 16, &v), GNTST_general_error,
		 "copy into a read-only grant");
	check_eq(data[0], 5, "page after a refused copy");
	check_eq(probe0(MAP_RO, REF), GNTST_okay, "read-only map of a read-only grant");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access | GTF_readonly | GTF_reading,
		 "flags while mapped");
	check_eq(probe0(UNMAP, REF), GNTST_okay, "unmap");
	check(gnttab_end_access(&gt[REF]), "end access after unmap");
}

static void test_copies(void)
{
	uint32_t v = 0;

	fill_data();
	gnttab_grant(&gt[REF], 0, gfn_of(data), GTF_permit_access);
	check_eq(probe(COPY_FROM, REF, 8, 64, &v), GNTST_okay, "copy from the grant");
	check_eq(v, fnv1a(data + 8, 64), "checksum of the bytes copied out");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access, "flags after a copy");
	v = 0x33;
	check_eq(probe(COPY_TO, REF, 4000, 96, &v), GNTST_okay, "copy into the grant");
	check(pattern_ok(data + 4000, 96, 0x33), "bytes copied in differ");
	check_eq(data[3999], (uint8_t)(3999 * 13 + 5), "byte before the copy");
	check_eq(probe(COPY_TO, REF, 4000, 97, &v), GNTST_bad_copy_arg, "copy past the page");
	check_eq(probe(COPY_FROM, REF, 4096, 1, &v), GNTST_bad_copy_arg, "copy from past the page");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access, "flags after copies");
}

/* What the backend is refused: revoked, other domain, bad reference, no RAM. */
static void test_refusals(unsigned int nr_frames)
{
	uint32_t v = 0;

	check(gnttab_end_access(&gt[REF]), "end access");
	check_eq(probe0(MAP_RO, REF), GNTST_general_error, "map after revocation");
	check_eq(probe(COPY_FROM, REF, 0, 4, &v), GNTST_general_error, "copy after revocation");
	check_eq(gnttab_flags(&gt[REF]), 0, "revoked entry left alone");
	gnttab_grant(&gt[REF], 0, gfn_of(data), GTF_permit_access);
	check_eq(probe0(MAP_RO, REF), GNTST_okay, "map after granting again");
	check_eq(probe0(UNMAP, REF), GNTST_okay, "unmap");
	/* The guest changes the domid: domain 0 may no longer take it. */
	gt[REF].domid = 5;
	check_eq(probe0(MAP_RW, REF), GNTST_general_error, "map of a grant to domain 5");
	check_eq(probe(COPY_FROM, REF, 0, 4, &v), GNTST_general_error,
		 "copy of a grant to domain 5");
	check_eq(gnttab_flags(&gt[REF]), GTF_permit_access, "flags of a grant to domain 5");
	gnttab_grant(&gt[REF + 1], 0, HOLE_GFN + 5, GTF_permit_access);
	check_eq(probe0(MAP_RO, REF + 1), GNTST_bad_page, "map of a frame without RAM");
	check_eq(gnttab_flags(&gt[REF + 1]), GTF_permit_access, "flags after GNTST_bad_page");
	gnttab_grant(&gt[REF + 2], 0, gfn_of(data), GTF_accept_transfer);
	check_eq(probe0(MAP_RO, REF + 2), GNTST_general_error, "map of a transfer entry");
	check_eq(probe0(MAP_RO, nr_frames * (GUEST_PAGE / 8)), GNTST_bad_gntref,
		 "reference past the table");
	check_eq(probe0(MAP_RO, 0xffffffffu), GNTST_bad_gntref, "reference 0xffffffff");
	check_eq(probe0(READ, REF), PROBE_ENOTMAPPED, "read without a mapping");
}

/* A grant in frame 1, which the guest placed in a hole. */
static void test_frame_in_hole(void)
{
	volatile struct grant_entry_v1 *f1 = (void *)(HOLE_GFN << 12);
	grant_ref_t ref = GUEST_PAGE / 8 + 3;
	uint32_t v = 0;

	check_eq(gnttab_place_frame(1, HOLE_GFN), 0, "frame 1 into a hole");
	fill_data();
	gnttab_grant(&f1[3], 0, gfn_of(data), GTF_permit_access);
	check_eq(probe0(MAP_RW, ref), GNTST_okay, "map through frame 1");
	check_eq(gnttab_flags(&f1[3]), GTF_permit_access | GTF_reading | GTF_writing,
		 "flags in frame 1 while mapped");
	check_eq(probe(SUM, ref, 0, GUEST_PAGE, &v), GNTST_okay, "checksum through frame 1");
	check_eq(v, fnv1a(data, GUEST_PAGE), "checksum through frame 1");
	check_eq(probe0(UNMAP, ref), GNTST_okay, "unmap through frame 1");
	check_eq(gnttab_flags(&f1[3]), GTF_permit_access, "flags in frame 1 after unmap");
}

void test_main(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	/* An absent device reads as all ones. */
	if (inl(PROBE_CMD) == 0xffffffffu)
		kit_skip("no grant probe at port 0x5c0: run xenkvm with --test-devices");
	check_eq(HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "query_size");
	check_eq(gnttab_place_frame(0, gfn_of(frame0)), 0, "frame 0 into RAM");
	fill_data();
	test_read_only_mapping();
	test_writable_mapping();
	test_readonly_grant();
	test_copies();
	test_refusals(q.nr_frames);
	test_frame_in_hole();
	printf("grant_backend: data, flags and refusals as the grant protocol says\n");
}
