// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "vmm/acpi.h"
#include "vmm/start_info.h"

/*
 * Where boot data goes: a bump allocator over one window of RAM that no kernel segment
 * touches. The window is [4 KiB, 640 KiB) when the kernel leaves it alone (page 0 stays
 * unused so a NULL pointer in start_info is never valid data; below 640 KiB, which Linux
 * keeps, whatever it reserves of 640 KiB-1 MiB), else the RAM after the kernel.
 */
struct boot_alloc {
	const struct guest_mem *mem;
	uint64_t next, limit;
};

#define BOOT_LOW_START 0x1000ULL
#define BOOT_LOW_END 0xa0000ULL

static bool overlaps_image(const struct pvh_image *pi, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < pi->nr_segments; i++) {
		const struct pvh_segment *s = &pi->segs[i];

		if (start < s->paddr + s->memsz && s->paddr < end)
			return true;
	}
	return false;
}

static uint64_t region_end_of(const struct guest_mem *mem, uint64_t gpa)
{
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r->gpa + r->size;
	}
	return 0;
}

static uint64_t alloc(struct boot_alloc *a, uint64_t size, uint64_t align)
{
	uint64_t at = (a->next + align - 1) & ~(align - 1);

	if (at < a->next || at > a->limit || size > a->limit - at)
		return 0;
	a->next = at + size;
	return at;
}

static uint64_t put(struct boot_alloc *a, const void *data, uint64_t size, uint64_t align)
{
	uint64_t at = alloc(a, size, align);

	if (at && size)
		memcpy(guest_mem_ptr(a->mem, at, size), data, size);
	return at;
}

static uint64_t put_string(struct boot_alloc *a, const char *s)
{
	return s ? put(a, s, strlen(s) + 1, 1) : 0;
}

static void init_window(struct boot_alloc *a, const struct guest_mem *mem,
			const struct pvh_image *pi, bool low)
{
	a->mem = mem;
	if (low && !overlaps_image(pi, BOOT_LOW_START, BOOT_LOW_END)) {
		a->next = BOOT_LOW_START;
		a->limit = BOOT_LOW_END;
		return;
	}
	a->next = (pi->end + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);
	a->limit = region_end_of(mem, a->next);
}

/* guest_mem_memmap() uses the E820 type numbers, which the PVH memory map shares. */
_Static_assert(GUEST_MEMMAP_RAM == XEN_HVM_MEMMAP_TYPE_RAM, "memory map type numbers");
_Static_assert(GUEST_MEMMAP_RESERVED == XEN_HVM_MEMMAP_TYPE_RESERVED, "memory map type numbers");
_Static_assert(GUEST_MEMMAP_ACPI == XEN_HVM_MEMMAP_TYPE_ACPI, "memory map type numbers");

/* The PVH memory map: guest_mem_memmap()'s entries in the start_info layout. */
static unsigned int fill_memmap(const struct guest_mem *mem, struct hvm_memmap_table_entry *e)
{
	struct guest_memmap_entry map[GUEST_MEMMAP_MAX];
	unsigned int n = guest_mem_memmap(mem, map);

	for (unsigned int i = 0; i < n; i++)
		e[i] = (struct hvm_memmap_table_entry){ .addr = map[i].addr,
							.size = map[i].size,
							.type = map[i].type };
	return n;
}

static int place_modules(struct boot_alloc *data, struct boot_alloc *bulk,
			 const struct boot_params *bp, struct hvm_modlist_entry *mods)
{
	for (unsigned int i = 0; i < bp->nr_modules; i++) {
		const struct boot_module *m = &bp->modules[i];

		mods[i] = (struct hvm_modlist_entry){ 0 };
		mods[i].paddr = put(bulk, m->data, m->len, GUEST_PAGE_SIZE);
		if (!mods[i].paddr && m->len)
			return -E2BIG;
		mods[i].size = m->len;
		mods[i].cmdline_paddr = put_string(data, m->cmdline);
		if (m->cmdline && !mods[i].cmdline_paddr)
			return -E2BIG;
	}
	return 0;
}

int start_info_build(struct guest_mem *mem, const struct pvh_image *pi,
		     const struct boot_params *bp, uint64_t *start_info_gpa, char *err,
		     size_t errlen)
{
	struct hvm_memmap_table_entry map[GUEST_MEMMAP_MAX];
	struct hvm_modlist_entry mods[BOOT_MAX_MODULES];
	struct hvm_start_info si = { 0 };
	struct boot_alloc data, after_kernel, *bulk;
	unsigned int nr_map;

	if (bp->nr_modules > BOOT_MAX_MODULES) {
		snprintf(err, errlen, "at most %d modules", BOOT_MAX_MODULES);
		return -E2BIG;
	}
	init_window(&data, mem, pi, true);
	init_window(&after_kernel, mem, pi, false);
	/* Modules go after the kernel; with no low window everything shares that one. */
	bulk = data.next == after_kernel.next ? &data : &after_kernel;
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = 1;
	si.cmdline_paddr = put_string(&data, bp->cmdline);
	if (bp->cmdline && !si.cmdline_paddr)
		goto too_big;
	if (place_modules(&data, bulk, bp, mods))
		goto too_big;
	/* The firmware pages at 0xfc000000, where libxl puts a PVH domU's ACPI tables. */
	if (bp->nr_vcpus && acpi_place(mem, bp->nr_vcpus, &si.rsdp_paddr)) {
		snprintf(err, errlen, "the ACPI tables for %u vCPUs do not fit in %d pages",
			 bp->nr_vcpus, ACPI_TABLE_PAGES);
		return -E2BIG;
	}
	nr_map = fill_memmap(mem, map);
	si.memmap_paddr = put(&data, map, sizeof(map[0]) * nr_map, 8);
	si.memmap_entries = nr_map;
	if (!si.memmap_paddr)
		goto too_big;
	if (bp->nr_modules) {
		si.nr_modules = bp->nr_modules;
		si.modlist_paddr = put(&data, mods, sizeof(mods[0]) * bp->nr_modules, 8);
		if (!si.modlist_paddr)
			goto too_big;
	}
	*start_info_gpa = put(&data, &si, sizeof(si), 8);
	if (!*start_info_gpa)
		goto too_big;
	return 0;
too_big:
	snprintf(err, errlen, "kernel, modules and boot data do not fit in %llu MiB of guest RAM",
		 (unsigned long long)(mem->ram_bytes >> 20));
	return -E2BIG;
}
