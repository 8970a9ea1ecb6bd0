// SPDX-License-Identifier: GPL-2.0
/* The guest-memory accessor: layout, region edges, holes and wrap-around. */
#include <errno.h>
#include <stdint.h>

#include "tests/unit/unit.h"
#include "vmm/guest_mem.h"

#include <xen/hvm/e820.h>

static struct guest_mem mem;

static void test_layout_small(void)
{
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 128ULL << 20), 0);
	/* libxl's PVH layout (xen/hvm/e820.h): RAM from 0, no legacy VGA/BIOS hole. */
	CU_ASSERT_EQUAL(mem.nr_regions, 1);
	CU_ASSERT_EQUAL(mem.regions[0].gpa, 0);
	CU_ASSERT_EQUAL(mem.regions[0].size, 128ULL << 20);
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, 0xa0000, 0x60000));
	CU_ASSERT_EQUAL(guest_mem_top(&mem), 128ULL << 20);
	guest_mem_destroy(&mem);
}

static void test_layout_above_4g(void)
{
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 4ULL << 30), 0);
	CU_ASSERT_EQUAL(mem.nr_regions, 2);
	/* RAM stops at the MMIO hole (HVM_BELOW_4G_RAM_END) and the rest is above 4 GiB. */
	CU_ASSERT_EQUAL(mem.regions[0].gpa + mem.regions[0].size, HVM_BELOW_4G_RAM_END);
	CU_ASSERT_EQUAL(mem.regions[1].gpa, 0x100000000ULL);
	CU_ASSERT_EQUAL(mem.regions[1].size, (4ULL << 30) - HVM_BELOW_4G_RAM_END);
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, HVM_BELOW_4G_RAM_END - 1, 1));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, HVM_BELOW_4G_RAM_END, 1));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0xfee00000ULL, 4));
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, 0x100000000ULL, 4096));
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, 0x10fffffffULL, 1));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0x110000000ULL, 1));
	guest_mem_destroy(&mem);
}

/* The map libxl gives a PVH domU: low RAM, the special pages reserved, RAM above 4 GiB. */
static void test_memmap(void)
{
	struct guest_memmap_entry e[GUEST_MEMMAP_MAX];

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 64ULL << 20), 0);
	CU_ASSERT_EQUAL(guest_mem_memmap(&mem, e), 1);
	guest_mem_reserve(&mem, 0xfeff8000ULL, 0x8000);
	CU_ASSERT_EQUAL_FATAL(guest_mem_memmap(&mem, e), 2);
	CU_ASSERT(e[0].addr == 0 && e[0].size == 64ULL << 20 && e[0].type == GUEST_MEMMAP_RAM);
	CU_ASSERT(e[1].addr == 0xfeff8000ULL && e[1].size == 0x8000 &&
		  e[1].type == GUEST_MEMMAP_RESERVED);
	guest_mem_destroy(&mem);
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 4ULL << 30), 0);
	guest_mem_reserve(&mem, 0xfeff8000ULL, 0x8000);
	CU_ASSERT_EQUAL_FATAL(guest_mem_memmap(&mem, e), 3);
	CU_ASSERT(e[0].addr == 0 && e[0].size == HVM_BELOW_4G_RAM_END);
	CU_ASSERT(e[1].addr == 0xfeff8000ULL && e[1].type == GUEST_MEMMAP_RESERVED);
	CU_ASSERT(e[2].addr == 0x100000000ULL && e[2].type == GUEST_MEMMAP_RAM);
	guest_mem_destroy(&mem);
}

/* Firmware pages: outside RAM, reachable, and in the map where libxl puts ACPI modules. */
static void test_firmware(void)
{
	const struct guest_memmap_entry acpi[] = { { 0xfc002000ULL, 0x40, GUEST_MEMMAP_ACPI },
						   { 0xfc000000ULL, 0x2000, GUEST_MEMMAP_ACPI } };
	const struct guest_memmap_entry outside[] = { { 0xfc002000ULL, 0x1001, 0 } };
	struct guest_memmap_entry e[GUEST_MEMMAP_MAX];

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 4ULL << 30), 0);
	guest_mem_reserve(&mem, 0xfeff8000ULL, 0x8000);
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0xfc000000ULL, 1));
	CU_ASSERT_EQUAL(guest_mem_firmware(&mem, 3, outside, 1), -EINVAL);
	CU_ASSERT_EQUAL(guest_mem_firmware(&mem, GUEST_FIRMWARE_MAX_PAGES + 1, acpi, 2), -EINVAL);
	CU_ASSERT_EQUAL_FATAL(guest_mem_firmware(&mem, 3, acpi, 2), 0);
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, 0xfc000000ULL, 0x3000));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0xfc000000ULL, 0x3001));
	CU_ASSERT_FALSE(guest_mem_is_ram(&mem, 0xfc000000ULL, 1));
	CU_ASSERT_TRUE(guest_mem_is_firmware(&mem, 0xfc002fffULL, 1));
	/* The pages come after RAM in the memfd: RAM's own bytes are not theirs. */
	CU_ASSERT(guest_mem_ptr(&mem, 0xfc000000ULL, 1) !=
		  guest_mem_ptr(&mem, HVM_BELOW_4G_RAM_END - 0x1000, 1));
	CU_ASSERT_EQUAL_FATAL(guest_mem_memmap(&mem, e), 5);
	CU_ASSERT(e[1].addr == 0xfeff8000ULL && e[1].type == GUEST_MEMMAP_RESERVED);
	CU_ASSERT(e[2].addr == 0xfc002000ULL && e[2].size == 0x40 &&
		  e[2].type == GUEST_MEMMAP_ACPI);
	CU_ASSERT(e[3].addr == 0xfc000000ULL && e[3].size == 0x2000 &&
		  e[3].type == GUEST_MEMMAP_ACPI);
	CU_ASSERT(e[4].addr == 0x100000000ULL && e[4].type == GUEST_MEMMAP_RAM);
	guest_mem_destroy(&mem);
}

static void test_bad_sizes(void)
{
	CU_ASSERT_NOT_EQUAL(guest_mem_init(&mem, 1ULL << 20), 0);
	CU_ASSERT_NOT_EQUAL(guest_mem_init(&mem, (64ULL << 20) + 1), 0);
}

static void test_edges_and_holes(void)
{
	uint8_t buf[16] = { 0 };

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 64ULL << 20), 0);
	/* The last bytes of RAM are reachable, one byte more is not. */
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, 0x9fff0, 17));
	CU_ASSERT_PTR_NOT_NULL(guest_mem_ptr(&mem, (64ULL << 20) - 8, 8));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, (64ULL << 20) - 8, 9));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 64ULL << 20, 1));
	/* Nothing in the MMIO hole; a range that starts in RAM and runs into it fails. */
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, HVM_BELOW_4G_RAM_END, 1));
	CU_ASSERT_EQUAL(guest_mem_read(&mem, (64ULL << 20) - 8, buf, 16), -14);
	CU_ASSERT_EQUAL(guest_mem_write(&mem, (64ULL << 20) - 8, buf, 8), 0);
	guest_mem_destroy(&mem);
}

static void test_wrap(void)
{
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 64ULL << 20), 0);
	/* gpa + len wraps past 2^64 and would land in low RAM if added naively. */
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, UINT64_MAX - 3, 8));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0x1000, UINT64_MAX));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, 0x100000, UINT64_MAX - 0xfffff));
	CU_ASSERT_PTR_NULL(guest_mem_ptr(&mem, UINT64_MAX, 1));
	guest_mem_destroy(&mem);
}

static void test_read_write_roundtrip(void)
{
	uint32_t v = 0xdeadbeef, r = 0;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL(guest_mem_write(&mem, 0x200000, &v, sizeof(v)), 0);
	CU_ASSERT_EQUAL(guest_mem_read(&mem, 0x200000, &r, sizeof(r)), 0);
	CU_ASSERT_EQUAL(r, v);
	/* The memfd offset of low memory equals the address (what the store link relies on). */
	CU_ASSERT_EQUAL(*(uint32_t *)(mem.base + 0x200000), v);
	guest_mem_destroy(&mem);
}

UNIT_SUITE(guest_mem, NULL, NULL, UNIT_TEST(test_layout_small), UNIT_TEST(test_layout_above_4g),
	   UNIT_TEST(test_memmap), UNIT_TEST(test_firmware), UNIT_TEST(test_bad_sizes),
	   UNIT_TEST(test_edges_and_holes), UNIT_TEST(test_wrap),
	   UNIT_TEST(test_read_write_roundtrip));
