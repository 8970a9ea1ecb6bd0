/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An x86 ELF kernel as Xen's domain builders see it (xen/common/libelf): the ELF header
 * checked against the file, its program headers read one at a time (both classes widened
 * to 64 bits), and the "Xen" ELF notes of its PT_NOTE segments (xen/include/public/
 * elfnote.h), which say how the kernel boots: XEN_ELFNOTE_PHYS32_ENTRY for PVH,
 * XEN_ELFNOTE_ENTRY and XEN_ELFNOTE_HYPERCALL_PAGE for PV. Every failure names the problem
 * in `err` and returns -ENOEXEC.
 */
#ifndef XENKVM_KIMAGE_XEN_ELF_H
#define XENKVM_KIMAGE_XEN_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xen_elf {
	const uint8_t *img;
	size_t len;
	bool is_64;
	uint16_t machine;
	uint64_t phoff;
	uint16_t phentsize, phnum;
};

struct xen_elf_phdr {
	uint32_t type, flags;
	uint64_t offset, paddr, filesz, memsz, align;
};

struct xen_elf_notes {
	bool has_phys32_entry, has_entry, has_hypercall_page;
	uint32_t phys32_entry; /* PVH: 32-bit physical entry */
	uint64_t entry, hypercall_page; /* PV: virtual addresses */
	char guest_os[16]; /* XEN_ELFNOTE_GUEST_OS ("linux"), "" when absent */
};

int xen_elf_open(const uint8_t *img, size_t len, struct xen_elf *e, char *err, size_t errlen);
/* Program header i (< phnum; xen_elf_open checked they all lie inside the file). */
void xen_elf_phdr(const struct xen_elf *e, unsigned int i, struct xen_elf_phdr *ph);
bool xen_elf_range_in_file(const struct xen_elf *e, uint64_t off, uint64_t size);
/* The Xen notes of every PT_NOTE segment. */
int xen_elf_notes(const struct xen_elf *e, struct xen_elf_notes *n, char *err, size_t errlen);

#endif
