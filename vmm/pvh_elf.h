/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVH boot image: an ELF32 or ELF64 file whose "Xen" note XEN_ELFNOTE_PHYS32_ENTRY
 * names the 32-bit entry point, loaded by its PT_LOAD segments at their physical addresses.
 * Parsing checks the file against itself; loading checks it against guest RAM. Every
 * failure names the problem in `err` and returns -ENOEXEC (or -E2BIG for RAM).
 */
#ifndef XENKVM_VMM_PVH_ELF_H
#define XENKVM_VMM_PVH_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/guest_mem.h"

#define PVH_MAX_SEGMENTS 32

struct pvh_segment {
	uint64_t paddr;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset;
	uint32_t flags;
};

struct pvh_image {
	bool is_64;
	uint32_t entry;
	unsigned int nr_segments;
	struct pvh_segment segs[PVH_MAX_SEGMENTS];
	uint64_t lowest; /* lowest paddr loaded */
	uint64_t end; /* highest paddr + memsz */
};

int pvh_parse(const uint8_t *img, size_t len, struct pvh_image *pi, char *err, size_t errlen);
int pvh_load(const struct pvh_image *pi, const uint8_t *img, const struct guest_mem *mem, char *err,
	     size_t errlen);

#endif
