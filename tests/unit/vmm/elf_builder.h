/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds small ELF images in memory for the loader tests, laid out as the ELF spec and
 * Linux's PVH kernels lay them out: header, program headers, a PT_NOTE with the "Xen"
 * PHYS32_ENTRY note, then the segments' bytes.
 */
#ifndef XENKVM_TESTS_ELF_BUILDER_H
#define XENKVM_TESTS_ELF_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct eb_segment {
	uint64_t paddr, filesz, memsz;
	uint8_t fill;
};

struct eb_spec {
	bool elf32;
	unsigned int nr_segments;
	struct eb_segment segs[4];
	bool no_note;
	uint32_t note_descsz; /* 0: 4 */
	uint64_t entry;
	uint32_t note_type; /* 0: XEN_ELFNOTE_PHYS32_ENTRY */
};

/* Returns a malloc'd image; *len gets its size. Offsets are exposed for corruption. */
uint8_t *eb_build(const struct eb_spec *spec, size_t *len);
size_t eb_phdr_offset(const struct eb_spec *spec, unsigned int index);
size_t eb_segment_offset(const struct eb_spec *spec, unsigned int index);

#endif
