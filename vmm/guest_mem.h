/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM: one memfd, mapped once into the VMM, laid out as RAM regions in guest-physical
 * space with the usual holes below 4 GiB. guest_mem_ptr() is the one place that turns a
 * guest-physical address into a host pointer: it checks that [gpa, gpa + len) lies inside
 * one RAM region without wrapping.
 */
#ifndef XENKVM_VMM_GUEST_MEM_H
#define XENKVM_VMM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/hvm/e820.h>

#define GUEST_PAGE_SIZE 4096ULL
#define GUEST_PAGE_SHIFT 12

/*
 * The MMIO hole below 4 GiB (LAPIC, IOAPIC, the special pages): where libxl ends a PVH
 * domU's low RAM, HVM_BELOW_4G_RAM_END of xen/hvm/e820.h. Below it RAM is contiguous
 * from 0: a PVH domU has no legacy VGA/BIOS hole (Linux reserves 640 KiB-1 MiB itself).
 */
#define GUEST_MMIO_HOLE_START ((uint64_t)HVM_BELOW_4G_RAM_END)
#define GUEST_4G 0x100000000ULL

#define GUEST_MEM_MAX_REGIONS 2
/*
 * The firmware window: pages of the domain outside RAM, in the hole below 4 GiB, where
 * libxl loads a PVH domU's ACPI tables (libacpi's ACPI_INFO_PHYSICAL_ADDRESS): its info
 * page, up to 16 pages of tables, the RSDP. They come after RAM in the memfd.
 */
#define GUEST_FIRMWARE_GPA 0xfc000000ULL
#define GUEST_FIRMWARE_MAX_PAGES 18
#define GUEST_FIRMWARE_MAX_RANGES 3
/* Single pages the VMM maps outside RAM (Xen frames placed in holes by the guest). */
#define GUEST_MEM_MAX_EXTRA 64
#define GUEST_MEM_MIN_BYTES (2ULL << 20)

struct guest_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t fd_offset; /* offset of the region in the memfd (and in the host mapping) */
	uint8_t *host;
};

struct guest_mem {
	int fd;
	uint8_t *base;
	uint64_t map_size;
	uint64_t ram_bytes;
	/* The reserved range the memory map reports besides RAM (guest_mem_reserve()). */
	uint64_t reserved_gpa, reserved_size;
	/* The firmware pages in use (size 0 until guest_mem_firmware()), and their map ranges. */
	struct guest_region firmware;
	unsigned int nr_firmware_ranges;
	struct {
		uint64_t addr, size;
	} firmware_ranges[GUEST_FIRMWARE_MAX_RANGES];
	unsigned int nr_regions;
	struct guest_region regions[GUEST_MEM_MAX_REGIONS];
	/* Append-only: an entry is filled before nr_extra (read with acquire) counts it. */
	unsigned int nr_extra;
	struct guest_region extra[GUEST_MEM_MAX_EXTRA];
};

int guest_mem_init(struct guest_mem *mem, uint64_t ram_bytes);
void guest_mem_destroy(struct guest_mem *mem);

void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *dst, size_t len);
int guest_mem_write(const struct guest_mem *mem, uint64_t gpa, const void *src, size_t len);

/* True when [gpa, gpa + len) is inside one RAM region (special pages excluded). */
bool guest_mem_is_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
/* True when [gpa, gpa + len) is inside the firmware pages (guest_mem_firmware()). */
bool guest_mem_is_firmware(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
/* Publishes a special page (its offset in the special-page file); the caller has made it
 * reachable by the guest and owns its mapping. */
int guest_mem_add_extra(struct guest_mem *mem, uint64_t gpa, uint8_t *host, uint64_t fd_offset);

/*
 * Gives the RAM pages of [gpa, gpa + len) (page-aligned, inside one RAM region) back to
 * the host; they read as zeros afterwards. -EINVAL for a range that is not RAM.
 */
int guest_mem_discard(struct guest_mem *mem, uint64_t gpa, uint64_t len);

/*
 * A mapping of one RAM page of its own (read-only or writable), for views that must end
 * exactly when their holder drops them (grant mappings): NULL when gpa is not a RAM page.
 */
void *guest_mem_map_page(const struct guest_mem *mem, uint64_t gpa, bool writable);
void guest_mem_unmap_page(void *page);

/* Highest RAM address + 1. */
uint64_t guest_mem_top(const struct guest_mem *mem);

/*
 * The guest's memory map, built in one place so that every consumer (the PVH start_info
 * and the hypervisor's memory-map call) reports the same one. Types use the E820
 * numbering, which the PVH memory map shares.
 */
#define GUEST_MEMMAP_RAM 1
#define GUEST_MEMMAP_RESERVED 2
#define GUEST_MEMMAP_ACPI 3
#define GUEST_MEMMAP_MAX (GUEST_MEM_MAX_REGIONS + 1 + GUEST_FIRMWARE_MAX_RANGES)

/*
 * Reports [gpa, gpa + size) as reserved in the memory map: the pages the VMM places
 * below 4 GiB for the guest before it boots (Xen's special pages), as libxl reports
 * them to a PVH domU. Nothing else below 4 GiB outside RAM is in the map.
 */
void guest_mem_reserve(struct guest_mem *mem, uint64_t gpa, uint64_t size);

struct guest_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/*
 * Puts `pages` firmware pages at GUEST_FIRMWARE_GPA (zeroed; guest_mem_ptr() reaches
 * them, guest_mem_is_ram() does not) and has the memory map report `ranges` of them as
 * ACPI, in the order given. -EINVAL when a range lies outside those pages or there are
 * too many.
 */
int guest_mem_firmware(struct guest_mem *mem, unsigned int pages,
		       const struct guest_memmap_entry *ranges, unsigned int nr_ranges);

/*
 * Fills `e` (GUEST_MEMMAP_MAX entries) in libxl's order for a PVH domU: RAM below 4 GiB,
 * the reserved range, the firmware's ACPI ranges, RAM above 4 GiB; returns the count.
 */
unsigned int guest_mem_memmap(const struct guest_mem *mem, struct guest_memmap_entry *e);

#endif
