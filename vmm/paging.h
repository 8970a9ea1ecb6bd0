/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-virtual to guest-physical translation by walking the guest's page tables, as the
 * CPU would for a supervisor access: no paging, 32-bit (with PSE), PAE, 4- and 5-level.
 * Hypercall arguments are linear addresses, so every guest pointer passes through here
 * before guest_mem_ptr() checks the physical range.
 */
#ifndef XENKVM_VMM_PAGING_H
#define XENKVM_VMM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/guest_mem.h"

struct paging_ctx {
	uint64_t cr0, cr3, cr4, efer;
};

#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PSE (1ULL << 4)
#define X86_CR4_PAE (1ULL << 5)
#define X86_CR4_LA57 (1ULL << 12)
#define X86_EFER_LME (1ULL << 8)
#define X86_EFER_LMA (1ULL << 10)

/*
 * Translates gva. On success stores the physical address in *gpa and the number of bytes
 * left in that page (or large page) from gpa in *span. Returns -EFAULT when the address is
 * not mapped, not canonical, or (for write) not writable under CR0.WP.
 */
int paging_translate(const struct guest_mem *mem, const struct paging_ctx *ctx, uint64_t gva,
		     bool write, uint64_t *gpa, uint64_t *span);

/* Copies between the VMM and guest-virtual memory, page by page. -EFAULT on any fault. */
int paging_copy_from(const struct guest_mem *mem, const struct paging_ctx *ctx, void *dst,
		     uint64_t gva, uint64_t len);
int paging_copy_to(const struct guest_mem *mem, const struct paging_ctx *ctx, uint64_t gva,
		   const void *src, uint64_t len);

#endif
