// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table walker, against tables built here the way the Intel SDM (vol. 3,
 * ch. 4) defines them: 4-level with 4 KiB, 2 MiB and 1 GiB pages, PAE, 32-bit with PSE.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "vmm/paging.h"

#define P 0x1ULL
#define RW 0x2ULL
#define PS 0x80ULL

static struct guest_mem mem;

static void put64(uint64_t gpa, uint64_t v)
{
	CU_ASSERT_EQUAL_FATAL(guest_mem_write(&mem, gpa, &v, 8), 0);
}

static void put32(uint64_t gpa, uint32_t v)
{
	CU_ASSERT_EQUAL_FATAL(guest_mem_write(&mem, gpa, &v, 4), 0);
}

static int setup(void)
{
	return guest_mem_init(&mem, 64ULL << 20) ? -1 : 0;
}

static int teardown(void)
{
	guest_mem_destroy(&mem);
	return 0;
}

/*
 * PML4 at 0x10000. gva 0xffff800000000000 + x (PML4 slot 256) -> PDPT 0x11000:
 *  slot 0: PD 0x12000 with slot 0 -> PT 0x13000 (4 KiB pages), slot 1 -> 2 MiB page at
 *  0x400000 (read-only); PDPT slot 1: 1 GiB page at 0 (only the first 64 MiB is RAM).
 */
static struct paging_ctx long_mode_tables(void)
{
	memset(guest_mem_ptr(&mem, 0x10000, 0x4000), 0, 0x4000);
	put64(0x10000 + 256 * 8, 0x11000 | P | RW);
	put64(0x11000 + 0 * 8, 0x12000 | P | RW);
	put64(0x11000 + 1 * 8, 0x0 | P | RW | PS);
	put64(0x12000 + 0 * 8, 0x13000 | P | RW);
	put64(0x12000 + 1 * 8, 0x400000 | P | PS);
	put64(0x13000 + 5 * 8, 0x2000000 | P | RW);
	put64(0x13000 + 6 * 8, 0x2005000 | P | RW);
	return (struct paging_ctx){ .cr0 = X86_CR0_PG | X86_CR0_PE | X86_CR0_WP,
				    .cr3 = 0x10000,
				    .cr4 = X86_CR4_PAE,
				    .efer = X86_EFER_LME | X86_EFER_LMA };
}

static void test_long_mode(void)
{
	struct paging_ctx c = long_mode_tables();
	uint64_t base = 0xffff800000000000ULL, gpa, span;

	CU_ASSERT_EQUAL(paging_translate(&mem, &c, base + 0x5123, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x2000123);
	CU_ASSERT_EQUAL(span, 0x1000 - 0x123);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, base + 0x200000 + 0x1234, false, &gpa, &span),
			0);
	CU_ASSERT_EQUAL(gpa, 0x401234);
	CU_ASSERT_EQUAL(span, 0x200000 - 0x1234);
	CU_ASSERT_EQUAL(
		paging_translate(&mem, &c, base + 0x40000000 + 0x300000, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x300000);
	/* Not present at each level. */
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, base + 0x7000, false, &gpa, &span), -EFAULT);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, base + 0x400000, false, &gpa, &span), -EFAULT);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x1000, false, &gpa, &span), -EFAULT);
	/* Non-canonical addresses never translate. */
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x0000800000000000ULL, false, &gpa, &span),
			-EFAULT);
}

static void test_write_protect(void)
{
	struct paging_ctx c = long_mode_tables();
	uint64_t gva = 0xffff800000200000ULL, gpa, span;

	CU_ASSERT_EQUAL(paging_translate(&mem, &c, gva, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, gva, true, &gpa, &span), -EFAULT);
	/* With CR0.WP clear, supervisor writes ignore the R/W bit. */
	c.cr0 &= ~X86_CR0_WP;
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, gva, true, &gpa, &span), 0);
}

static void test_copy_across_pages(void)
{
	struct paging_ctx c = long_mode_tables();
	uint64_t gva = 0xffff800000005ff0ULL; /* last 16 bytes of page 5, then page 6 */
	uint8_t in[32], out[32];

	for (int i = 0; i < 32; i++)
		in[i] = (uint8_t)i;
	CU_ASSERT_EQUAL(paging_copy_to(&mem, &c, gva, in, 32), 0);
	/* Page 5 maps 0x2000000 and page 6 maps 0x2005000: not contiguous physically. */
	CU_ASSERT_EQUAL(memcmp(guest_mem_ptr(&mem, 0x2000ff0, 16), in, 16), 0);
	CU_ASSERT_EQUAL(memcmp(guest_mem_ptr(&mem, 0x2005000, 16), in + 16, 16), 0);
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, out, gva, 32), 0);
	CU_ASSERT_EQUAL(memcmp(in, out, 32), 0);
	/* Page 7 is not mapped: a copy running into it faults. */
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, out, 0xffff800000006ff0ULL, 32), -EFAULT);
	/* A range that wraps the address space faults. */
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, out, UINT64_MAX - 4, 16), -EFAULT);
}

static void test_pointer_to_unbacked_physical(void)
{
	struct paging_ctx c = long_mode_tables();
	uint8_t b;

	/* The 1 GiB page maps physical 0..1 GiB; only 64 MiB of it is RAM. */
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, &b, 0xffff800040000000ULL + (64 << 20), 1),
			-EFAULT);
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, &b, 0xffff800040000000ULL + (64 << 20) - 1, 1),
			0);
	/* No legacy hole in a PVH domU's RAM. */
	CU_ASSERT_EQUAL(paging_copy_from(&mem, &c, &b, 0xffff800040000000ULL + 0xa0000, 1), 0);
}

static void test_no_paging(void)
{
	struct paging_ctx c = { .cr0 = X86_CR0_PE };
	uint64_t gpa, span;

	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x123456, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x123456);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x100000000ULL, false, &gpa, &span), -EFAULT);
}

static void test_pae(void)
{
	/* PDPT at 0x20000 (32-byte aligned), entry 3 -> PD 0x21000, entry 0 -> PT 0x22000. */
	struct paging_ctx c = { .cr0 = X86_CR0_PG | X86_CR0_PE,
				.cr3 = 0x20000,
				.cr4 = X86_CR4_PAE };
	uint64_t gpa, span;

	memset(guest_mem_ptr(&mem, 0x20000, 0x3000), 0, 0x3000);
	put64(0x20000 + 3 * 8, 0x21000 | P);
	put64(0x21000 + 0 * 8, 0x22000 | P | RW);
	put64(0x21000 + 1 * 8, 0x600000 | P | RW | PS);
	put64(0x22000 + 2 * 8, 0x1234000 | P | RW);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0xc0002abc, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x1234abc);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0xc0200010, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x600010);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x00002abc, false, &gpa, &span), -EFAULT);
}

static void test_32bit_pse(void)
{
	/* Page directory at 0x30000: entry 1 -> 4 MiB page at 0x800000, entry 2 -> PT. */
	struct paging_ctx c = { .cr0 = X86_CR0_PG | X86_CR0_PE,
				.cr3 = 0x30000,
				.cr4 = X86_CR4_PSE };
	uint64_t gpa, span;

	memset(guest_mem_ptr(&mem, 0x30000, 0x2000), 0, 0x2000);
	put32(0x30000 + 1 * 4, 0x800000 | P | RW | PS);
	put32(0x30000 + 2 * 4, 0x31000 | P | RW);
	put32(0x31000 + 3 * 4, 0x1555000 | P | RW);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x400123, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x800123);
	CU_ASSERT_EQUAL(span, 0x400000 - 0x123);
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x803456, false, &gpa, &span), 0);
	CU_ASSERT_EQUAL(gpa, 0x1555456);
	/* Without CR4.PSE the PS bit is ignored and the entry points at a page table. */
	c.cr4 = 0;
	CU_ASSERT_EQUAL(paging_translate(&mem, &c, 0x400123, false, &gpa, &span), -EFAULT);
}

UNIT_SUITE(paging, setup, teardown, UNIT_TEST(test_long_mode), UNIT_TEST(test_write_protect),
	   UNIT_TEST(test_copy_across_pages), UNIT_TEST(test_pointer_to_unbacked_physical),
	   UNIT_TEST(test_no_paging), UNIT_TEST(test_pae), UNIT_TEST(test_32bit_pse));
