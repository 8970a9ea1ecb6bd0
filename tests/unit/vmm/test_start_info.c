// SPDX-License-Identifier: GPL-2.0
/*
 * hvm_start_info as the PVH ABI defines it: the header's documented layout, and what the
 * builder puts in guest RAM (command line, modules, memory map).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "tests/unit/unit.h"
#include "vmm/start_info.h"

static char err[256];

/* The offsets are spelled out in the comment of start_info.h: the ABI, not our choice. */
static void test_header_layout(void)
{
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, magic), 0);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, version), 4);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, flags), 8);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, nr_modules), 12);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, modlist_paddr), 16);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, cmdline_paddr), 24);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, rsdp_paddr), 32);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, memmap_paddr), 40);
	CU_ASSERT_EQUAL(offsetof(struct hvm_start_info, memmap_entries), 48);
	CU_ASSERT_EQUAL(sizeof(struct hvm_start_info), 56);
	CU_ASSERT_EQUAL(sizeof(struct hvm_modlist_entry), 32);
	CU_ASSERT_EQUAL(sizeof(struct hvm_memmap_table_entry), 24);
	CU_ASSERT_EQUAL(XEN_HVM_START_MAGIC_VALUE, 0x336ec578);
}

static struct pvh_image image_at(uint64_t paddr, uint64_t size)
{
	struct pvh_image pi = { .is_64 = true,
				.entry = (uint32_t)paddr,
				.nr_segments = 1,
				.lowest = paddr,
				.end = paddr + size };

	pi.segs[0] = (struct pvh_segment){ paddr, size, size, 0, 0 };
	return pi;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void check_memmap(const struct guest_mem *mem, const struct hvm_start_info *si,
			 const struct pvh_image *pi)
{
	const struct hvm_memmap_table_entry *e =
		guest_mem_ptr(mem, si->memmap_paddr, si->memmap_entries * sizeof(*e));
	bool kernel_in_ram = false;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(si->memmap_entries >= 1);
	for (unsigned int i = 0; i < si->memmap_entries; i++) {
		CU_ASSERT(e[i].size > 0);
		CU_ASSERT(e[i].type == XEN_HVM_MEMMAP_TYPE_RAM ||
			  e[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED ||
			  e[i].type == XEN_HVM_MEMMAP_TYPE_ACPI);
		/* Disjoint; not sorted: libxl lists the ACPI modules' RSDP before the tables. */
		for (unsigned int j = 0; j < i; j++)
			CU_ASSERT_FALSE(overlaps(e[i].addr, e[i].size, e[j].addr, e[j].size));
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr <= pi->lowest &&
		    pi->end <= e[i].addr + e[i].size)
			kernel_in_ram = true;
		/* No RAM entry may cover the MMIO hole below 4 GiB (libxl's PVH layout). */
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			CU_ASSERT_FALSE(overlaps(e[i].addr, e[i].size, HVM_BELOW_4G_RAM_END,
						 0x100000000ULL - HVM_BELOW_4G_RAM_END));
	}
	CU_ASSERT_TRUE(kernel_in_ram);
}

static void test_build_with_modules(void)
{
	static const uint8_t initrd[5000] = { [0] = 0x11, [4999] = 0x22 };
	struct boot_module mods[2] = { { initrd, sizeof(initrd), "root=/dev/ram0" },
				       { (const uint8_t *)"abc", 3, NULL } };
	struct boot_params bp = { "console=hvc0 quiet", 2, mods, 0 };
	struct pvh_image pi = image_at(0x100000, 0x50000);
	struct guest_mem mem;
	struct hvm_start_info si;
	const struct hvm_modlist_entry *ml;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 64ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), 0);
	CU_ASSERT(at % 8 == 0 && at != 0);
	CU_ASSERT_EQUAL_FATAL(guest_mem_read(&mem, at, &si, sizeof(si)), 0);
	CU_ASSERT_EQUAL(si.magic, XEN_HVM_START_MAGIC_VALUE);
	CU_ASSERT(si.version >= 1);
	CU_ASSERT_STRING_EQUAL(guest_mem_ptr(&mem, si.cmdline_paddr, 19), "console=hvc0 quiet");
	CU_ASSERT_EQUAL_FATAL(si.nr_modules, 2);
	ml = guest_mem_ptr(&mem, si.modlist_paddr, 2 * sizeof(*ml));
	CU_ASSERT_PTR_NOT_NULL_FATAL(ml);
	CU_ASSERT_EQUAL(ml[0].size, sizeof(initrd));
	CU_ASSERT(ml[0].paddr % 4096 == 0);
	CU_ASSERT_EQUAL(
		memcmp(guest_mem_ptr(&mem, ml[0].paddr, sizeof(initrd)), initrd, sizeof(initrd)),
		0);
	CU_ASSERT_STRING_EQUAL(guest_mem_ptr(&mem, ml[0].cmdline_paddr, 15), "root=/dev/ram0");
	CU_ASSERT_EQUAL(ml[1].cmdline_paddr, 0);
	CU_ASSERT_EQUAL(memcmp(guest_mem_ptr(&mem, ml[1].paddr, 3), "abc", 3), 0);
	/* Nothing the builder placed may overlap the kernel or another module. */
	CU_ASSERT_FALSE(overlaps(ml[0].paddr, ml[0].size, pi.lowest, pi.end - pi.lowest));
	CU_ASSERT_FALSE(overlaps(ml[1].paddr, ml[1].size, ml[0].paddr, ml[0].size));
	CU_ASSERT_FALSE(overlaps(at, sizeof(si), pi.lowest, pi.end - pi.lowest));
	check_memmap(&mem, &si, &pi);
	guest_mem_destroy(&mem);
}

static void test_no_cmdline_no_modules(void)
{
	struct boot_params bp = { NULL, 0, NULL, 0 };
	struct pvh_image pi = image_at(0x100000, 0x1000);
	struct guest_mem mem;
	struct hvm_start_info si;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(guest_mem_read(&mem, at, &si, sizeof(si)), 0);
	CU_ASSERT_EQUAL(si.cmdline_paddr, 0);
	CU_ASSERT_EQUAL(si.nr_modules, 0);
	CU_ASSERT_EQUAL(si.modlist_paddr, 0);
	guest_mem_destroy(&mem);
}

static void test_kernel_in_low_memory(void)
{
	struct boot_params bp = { "x", 0, NULL, 0 };
	struct pvh_image pi = image_at(0x1000, 0x9e000);
	struct guest_mem mem;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	/* Low memory is taken: boot data must go elsewhere, never into the kernel. */
	CU_ASSERT_EQUAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(overlaps(at, sizeof(struct hvm_start_info), 0x1000, 0x9e000));
	guest_mem_destroy(&mem);
}

static void test_modules_too_big(void)
{
	static uint8_t big[3 << 20];
	struct boot_module mods[1] = { { big, sizeof(big), NULL } };
	struct boot_params bp = { NULL, 1, mods, 0 };
	struct pvh_image pi = image_at(0x100000, 0x1000);
	struct guest_mem mem;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 4ULL << 20), 0);
	CU_ASSERT_EQUAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), -E2BIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "do not fit"));
	guest_mem_destroy(&mem);
}

UNIT_SUITE(start_info, NULL, NULL, UNIT_TEST(test_header_layout),
	   UNIT_TEST(test_build_with_modules), UNIT_TEST(test_no_cmdline_no_modules),
	   UNIT_TEST(test_kernel_in_low_memory), UNIT_TEST(test_modules_too_big));
