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

#define GUEST_PAGE_SIZE 4096ULL
#define GUEST_PAGE_SHIFT 12

/* Legacy VGA/BIOS hole and the MMIO hole below 4 GiB (LAPIC, IOAPIC, PCI). */
#define GUEST_LOW_RAM_END 0xa0000ULL
#define GUEST_HIGH_RAM_START 0x100000ULL
#define GUEST_MMIO_HOLE_START 0xc0000000ULL
#define GUEST_4G 0x100000000ULL

#define GUEST_MEM_MAX_REGIONS 3
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
/* The reserved range below 4 GiB (firmware, IOAPIC, local APIC) reported besides RAM. */
#define GUEST_RESERVED_START 0xfc000000ULL
#define GUEST_MEMMAP_MAX (GUEST_MEM_MAX_REGIONS + 1)

struct guest_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/* Fills `e` (GUEST_MEMMAP_MAX entries) in ascending address order; returns the count. */
unsigned int guest_mem_memmap(const struct guest_mem *mem, struct guest_memmap_entry *e);

#endif
