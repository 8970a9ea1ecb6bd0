// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI tables a PVH guest is given, read back the way an OS walks them (ACPI 6.x,
 * chapter 5): the RSDP that hvm_start_info.rsdp_paddr names, its checksums, the XSDT,
 * the hardware-reduced FADT and its DSDT, and the MADT's Local APIC entries.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "tests/unit/unit.h"
#include "vmm/start_info.h"

static char err[256];

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

static uint32_t u32_at(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, 4);
	return v;
}

static uint64_t u64_at(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

/* Every table inside the tables' pages, which are not RAM: the firmware window. */
static void check_placed(const struct guest_mem *mem, uint64_t gpa, uint32_t len)
{
	CU_ASSERT(gpa >= 0xfc001000ULL && gpa + len <= 0xfc008000ULL);
	CU_ASSERT_FALSE(guest_mem_is_ram(mem, gpa, len));
}

/* A table at gpa: its signature, length (header offset 4) and checksum checked. */
static const uint8_t *table(const struct guest_mem *mem, uint64_t gpa, const char *sig)
{
	const uint8_t *t = guest_mem_ptr(mem, gpa, 36);
	uint32_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_FATAL(memcmp(t, sig, 4) == 0);
	len = u32_at(t, 4);
	CU_ASSERT_FATAL(len >= 36 && guest_mem_ptr(mem, gpa, len) != NULL);
	CU_ASSERT_EQUAL(sum(t, len), 0);
	check_placed(mem, gpa, len);
	return t;
}

/* libxl's ACPI entries, in its order: RSDP (64 bytes), info page, 7 pages of tables. */
static void check_map(const struct guest_mem *mem, const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *e =
		guest_mem_ptr(mem, si->memmap_paddr, si->memmap_entries * sizeof(*e));
	const uint64_t want[3][2] = { { 0xfc008000ULL, 0x40 },
				      { 0xfc000000ULL, 0x1000 },
				      { 0xfc001000ULL, 0x7000 } };
	unsigned int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	for (unsigned int i = 0; i < si->memmap_entries; i++) {
		if (e[i].type != XEN_HVM_MEMMAP_TYPE_ACPI)
			continue;
		CU_ASSERT_FATAL(n < 3);
		CU_ASSERT_EQUAL(e[i].addr, want[n][0]);
		CU_ASSERT_EQUAL(e[i].size, want[n][1]);
		n++;
	}
	CU_ASSERT_EQUAL(n, 3);
}

static void check_tables(unsigned int nr_vcpus)
{
	struct pvh_image pi = { .nr_segments = 1,
				.segs = { { 0x100000, 0x1000, 0x1000, 0, 0 } },
				.entry = 0x100000,
				.lowest = 0x100000,
				.end = 0x101000 };
	struct boot_params bp = { .cmdline = "console=hvc0", .nr_vcpus = nr_vcpus };
	struct hvm_start_info si;
	struct guest_mem mem;
	const uint8_t *rsdp, *xsdt, *fadt = NULL, *madt = NULL, *dsdt;
	unsigned int nr_lapics = 0;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(guest_mem_read(&mem, at, &si, sizeof(si)), 0);
	CU_ASSERT(si.version >= 1);
	/*
	 * Where libxl puts it for a PVH domU (any guest but a Linux without
	 * XENFEAT_linux_rsdp_unrestricted): the page after the tables, which start one page
	 * after ACPI_INFO_PHYSICAL_ADDRESS (0xfc000000) and took 7 pages under real Xen
	 * 4.17 (tests/oracle: the balloon guest's memory map there).
	 */
	CU_ASSERT_EQUAL(si.rsdp_paddr, 0xfc008000ULL);
	check_map(&mem, &si);
	rsdp = guest_mem_ptr(&mem, si.rsdp_paddr, 36);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rsdp);
	CU_ASSERT(memcmp(rsdp, "RSD PTR ", 8) == 0);
	CU_ASSERT_EQUAL(sum(rsdp, 20), 0);
	CU_ASSERT_EQUAL(rsdp[15], 2); /* revision: ACPI 2.0+, XSDT */
	CU_ASSERT_EQUAL(u32_at(rsdp, 20), 36);
	CU_ASSERT_EQUAL(sum(rsdp, 36), 0);

	xsdt = table(&mem, u64_at(rsdp, 24), "XSDT");
	for (uint32_t off = 36; off + 8 <= u32_at(xsdt, 4); off += 8) {
		uint64_t gpa = u64_at(xsdt, off);
		const uint8_t *t = guest_mem_ptr(&mem, gpa, 4);

		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		if (!memcmp(t, "FACP", 4))
			fadt = table(&mem, gpa, "FACP");
		else if (!memcmp(t, "APIC", 4))
			madt = table(&mem, gpa, "APIC");
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(fadt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(madt);
	/* FADT: Flags at 112 with HW_REDUCED_ACPI (bit 20); X_DSDT at 140 = DSDT at 40. */
	CU_ASSERT(u32_at(fadt, 4) >= 148);
	CU_ASSERT(u32_at(fadt, 112) & (1u << 20));
	CU_ASSERT_EQUAL(u64_at(fadt, 140), u32_at(fadt, 40));
	dsdt = table(&mem, u64_at(fadt, 140), "DSDT");
	CU_ASSERT_EQUAL(u32_at(dsdt, 4), 36);
	/* MADT: Local APIC at 0xfee00000, then 8-byte type-0 entries, all enabled. */
	CU_ASSERT_EQUAL(u32_at(madt, 36), 0xfee00000);
	for (uint32_t off = 44; off + 2 <= u32_at(madt, 4); off += madt[off + 1]) {
		CU_ASSERT_FATAL(madt[off + 1] >= 2);
		if (madt[off] != 0)
			continue;
		CU_ASSERT_EQUAL(madt[off + 1], 8);
		CU_ASSERT_EQUAL(madt[off + 3], nr_lapics); /* APIC id n for vCPU n */
		CU_ASSERT(u32_at(madt, off + 4) & 1);
		nr_lapics++;
	}
	CU_ASSERT_EQUAL(nr_lapics, nr_vcpus);
	guest_mem_destroy(&mem);
}

static void test_one_vcpu(void)
{
	check_tables(1);
}

static void test_many_vcpus(void)
{
	check_tables(128);
}

static void test_no_tables_without_vcpus(void)
{
	struct pvh_image pi = { .nr_segments = 1,
				.segs = { { 0x100000, 0x1000, 0x1000, 0, 0 } },
				.entry = 0x100000,
				.lowest = 0x100000,
				.end = 0x101000 };
	struct boot_params bp = { 0 };
	struct hvm_start_info si;
	struct guest_mem mem;
	uint64_t at;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(start_info_build(&mem, &pi, &bp, &at, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(guest_mem_read(&mem, at, &si, sizeof(si)), 0);
	CU_ASSERT_EQUAL(si.rsdp_paddr, 0);
	guest_mem_destroy(&mem);
}

UNIT_SUITE(acpi, NULL, NULL, UNIT_TEST(test_one_vcpu), UNIT_TEST(test_many_vcpus),
	   UNIT_TEST(test_no_tables_without_vcpus));
