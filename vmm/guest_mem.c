// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm/guest_mem.h"

static void add_region(struct guest_mem *mem, uint64_t gpa, uint64_t size, uint64_t fd_off)
{
	struct guest_region *r = &mem->regions[mem->nr_regions++];

	r->gpa = gpa;
	r->size = size;
	r->fd_offset = fd_off;
}

/*
 * Lays RAM out as libxl does for a PVH domU: [0, min(top, 0xf0000000)), and whatever is
 * left from 4 GiB up. The memfd offset of a low address equals the address; high memory
 * follows the low region.
 */
static void layout_regions(struct guest_mem *mem, uint64_t ram_bytes)
{
	uint64_t low_top = ram_bytes < GUEST_MMIO_HOLE_START ? ram_bytes : GUEST_MMIO_HOLE_START;

	mem->nr_regions = 0;
	add_region(mem, 0, low_top, 0);
	if (ram_bytes > GUEST_MMIO_HOLE_START)
		add_region(mem, GUEST_4G, ram_bytes - GUEST_MMIO_HOLE_START, GUEST_MMIO_HOLE_START);
}

int guest_mem_init(struct guest_mem *mem, uint64_t ram_bytes)
{
	int err;

	memset(mem, 0, sizeof(*mem));
	mem->fd = -1;
	if (ram_bytes < GUEST_MEM_MIN_BYTES || ram_bytes % GUEST_PAGE_SIZE)
		return -EINVAL;
	mem->fd = memfd_create("xenkvm-guest-ram", MFD_CLOEXEC);
	if (mem->fd < 0)
		return -errno;
	mem->map_size = ram_bytes + GUEST_FIRMWARE_MAX_PAGES * GUEST_PAGE_SIZE;
	if (ftruncate(mem->fd, (off_t)mem->map_size) < 0) {
		err = -errno;
		goto fail;
	}
	mem->base = mmap(NULL, mem->map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
			 mem->fd, 0);
	if (mem->base == MAP_FAILED) {
		err = -errno;
		mem->base = NULL;
		goto fail;
	}
	mem->ram_bytes = ram_bytes;
	layout_regions(mem, ram_bytes);
	for (unsigned int i = 0; i < mem->nr_regions; i++)
		mem->regions[i].host = mem->base + mem->regions[i].fd_offset;
	mem->firmware = (struct guest_region){ .gpa = GUEST_FIRMWARE_GPA,
					       .fd_offset = ram_bytes,
					       .host = mem->base + ram_bytes };
	return 0;
fail:
	close(mem->fd);
	mem->fd = -1;
	return err;
}

void guest_mem_destroy(struct guest_mem *mem)
{
	for (unsigned int i = 0; i < mem->nr_extra; i++)
		munmap(mem->extra[i].host, GUEST_PAGE_SIZE);
	mem->nr_extra = 0;
	if (mem->base)
		munmap(mem->base, mem->map_size);
	if (mem->fd >= 0)
		close(mem->fd);
	mem->base = NULL;
	mem->fd = -1;
}

/* 1: inside r (pointer in *out), 0: not in r, -1: starts in r but runs past its end. */
static int region_lookup(const struct guest_region *r, uint64_t gpa, uint64_t len, void **out)
{
	/* Written so that no sum can wrap: gpa - r->gpa only once gpa >= r->gpa. */
	if (gpa < r->gpa || gpa - r->gpa >= r->size)
		return 0;
	if (len > r->size - (gpa - r->gpa))
		return -1;
	*out = r->host + (gpa - r->gpa);
	return 1;
}

void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	unsigned int nr_extra = __atomic_load_n(&mem->nr_extra, __ATOMIC_ACQUIRE);
	void *p = NULL;

	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		int rc = region_lookup(&mem->regions[i], gpa, len, &p);

		if (rc)
			return rc > 0 ? p : NULL;
	}
	for (unsigned int i = 0; i < nr_extra; i++) {
		int rc = region_lookup(&mem->extra[i], gpa, len, &p);

		if (rc)
			return rc > 0 ? p : NULL;
	}
	if (region_lookup(&mem->firmware, gpa, len, &p) > 0)
		return p;
	return NULL;
}

bool guest_mem_is_ram(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	void *p;

	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (region_lookup(&mem->regions[i], gpa, len, &p) > 0)
			return true;
	return false;
}

bool guest_mem_is_firmware(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	void *p;

	return region_lookup(&mem->firmware, gpa, len, &p) > 0;
}

int guest_mem_add_extra(struct guest_mem *mem, uint64_t gpa, uint8_t *host, uint64_t fd_offset)
{
	unsigned int n = mem->nr_extra;

	if (n == GUEST_MEM_MAX_EXTRA)
		return -ENOSPC;
	mem->extra[n] = (struct guest_region){
		.gpa = gpa, .size = GUEST_PAGE_SIZE, .fd_offset = fd_offset, .host = host
	};
	__atomic_store_n(&mem->nr_extra, n + 1, __ATOMIC_RELEASE);
	return 0;
}

int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *dst, size_t len)
{
	const void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}

int guest_mem_write(const struct guest_mem *mem, uint64_t gpa, const void *src, size_t len)
{
	void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	return 0;
}

int guest_mem_discard(struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	void *p;

	if ((gpa | len) & (GUEST_PAGE_SIZE - 1))
		return -EINVAL;
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (region_lookup(r, gpa, len, &p) <= 0)
			continue;
		/* The memfd backs the VMM's and KVM's mappings alike: both see the hole. */
		if (fallocate(mem->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      (off_t)(r->fd_offset + (gpa - r->gpa)), (off_t)len) < 0)
			return -errno;
		return 0;
	}
	return -EINVAL;
}

void *guest_mem_map_page(const struct guest_mem *mem, uint64_t gpa, bool writable)
{
	void *p;

	if (gpa % GUEST_PAGE_SIZE)
		return NULL;
	for (unsigned int i = 0; i < mem->nr_regions; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (region_lookup(r, gpa, GUEST_PAGE_SIZE, &p) <= 0)
			continue;
		p = mmap(NULL, GUEST_PAGE_SIZE, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED,
			 mem->fd, (off_t)(r->fd_offset + (gpa - r->gpa)));
		return p == MAP_FAILED ? NULL : p;
	}
	return NULL;
}

void guest_mem_unmap_page(void *page)
{
	munmap(page, GUEST_PAGE_SIZE);
}

uint64_t guest_mem_top(const struct guest_mem *mem)
{
	const struct guest_region *r = &mem->regions[mem->nr_regions - 1];

	return r->gpa + r->size;
}

void guest_mem_reserve(struct guest_mem *mem, uint64_t gpa, uint64_t size)
{
	mem->reserved_gpa = gpa;
	mem->reserved_size = size;
}

int guest_mem_firmware(struct guest_mem *mem, unsigned int pages,
		       const struct guest_memmap_entry *ranges, unsigned int nr_ranges)
{
	uint64_t size = (uint64_t)pages * GUEST_PAGE_SIZE;

	if (pages > GUEST_FIRMWARE_MAX_PAGES || nr_ranges > GUEST_FIRMWARE_MAX_RANGES)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_ranges; i++)
		if (ranges[i].addr < GUEST_FIRMWARE_GPA || !ranges[i].size ||
		    ranges[i].addr - GUEST_FIRMWARE_GPA > size ||
		    ranges[i].size > size - (ranges[i].addr - GUEST_FIRMWARE_GPA))
			return -EINVAL;
	memset(mem->firmware.host, 0, GUEST_FIRMWARE_MAX_PAGES * GUEST_PAGE_SIZE);
	mem->firmware.size = size;
	mem->nr_firmware_ranges = nr_ranges;
	for (unsigned int i = 0; i < nr_ranges; i++) {
		mem->firmware_ranges[i].addr = ranges[i].addr;
		mem->firmware_ranges[i].size = ranges[i].size;
	}
	return 0;
}

/* libxl's order: low RAM, the special pages, the ACPI modules, RAM above 4 GiB. */
unsigned int guest_mem_memmap(const struct guest_mem *mem, struct guest_memmap_entry *e)
{
	unsigned int n = 0;

	e[n++] = (struct guest_memmap_entry){ .addr = mem->regions[0].gpa,
					      .size = mem->regions[0].size,
					      .type = GUEST_MEMMAP_RAM };
	if (mem->reserved_size)
		e[n++] = (struct guest_memmap_entry){ .addr = mem->reserved_gpa,
						      .size = mem->reserved_size,
						      .type = GUEST_MEMMAP_RESERVED };
	for (unsigned int i = 0; i < mem->nr_firmware_ranges; i++)
		e[n++] = (struct guest_memmap_entry){ .addr = mem->firmware_ranges[i].addr,
						      .size = mem->firmware_ranges[i].size,
						      .type = GUEST_MEMMAP_ACPI };
	for (unsigned int i = 1; i < mem->nr_regions; i++)
		e[n++] = (struct guest_memmap_entry){ .addr = mem->regions[i].gpa,
						      .size = mem->regions[i].size,
						      .type = GUEST_MEMMAP_RAM };
	return n;
}
