// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "vmm/paging.h"

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

struct walk {
	const struct guest_mem *mem;
	bool write;
	bool wp;
};

/* Reads one entry; an entry outside RAM is a fault like a non-present one. */
static int read_entry(const struct guest_mem *mem, uint64_t gpa, unsigned int size, uint64_t *entry)
{
	uint32_t e32;

	if (size == 4) {
		if (guest_mem_read(mem, gpa, &e32, sizeof(e32)))
			return -EFAULT;
		*entry = e32;
		return 0;
	}
	return guest_mem_read(mem, gpa, entry, sizeof(*entry));
}

static bool entry_allows(const struct walk *w, uint64_t entry)
{
	if (!(entry & PTE_P))
		return false;
	return !(w->write && w->wp && !(entry & PTE_RW));
}

/* Walks 64-bit entries from a table at `table`, with `levels` levels left. */
static int walk_long(const struct walk *w, uint64_t table, unsigned int levels, uint64_t gva,
		     uint64_t *gpa, uint64_t *span)
{
	for (unsigned int level = levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		uint64_t idx = (gva >> shift) & 0x1ff;
		uint64_t entry;

		if (read_entry(w->mem, table + idx * 8, 8, &entry) || !entry_allows(w, entry))
			return -EFAULT;
		/* Large pages exist at the 1 GiB and 2 MiB levels only. */
		if (level == 1 || ((level == 2 || level == 3) && (entry & PTE_PS))) {
			uint64_t page = 1ULL << shift;
			uint64_t base = entry & PTE_ADDR_MASK & ~(page - 1);

			*gpa = base | (gva & (page - 1));
			*span = page - (gva & (page - 1));
			return 0;
		}
		table = entry & PTE_ADDR_MASK;
	}
	return -EFAULT;
}

static int walk_32(const struct walk *w, uint64_t cr3, bool pse, uint64_t gva, uint64_t *gpa,
		   uint64_t *span)
{
	uint64_t pde, pte;

	if (read_entry(w->mem, (cr3 & 0xfffff000) + ((gva >> 22) & 0x3ff) * 4, 4, &pde) ||
	    !entry_allows(w, pde))
		return -EFAULT;
	if (pse && (pde & PTE_PS)) {
		/* PSE-36: bits 13..20 of the entry give physical bits 32..39. */
		uint64_t base = (pde & 0xffc00000) | ((pde & 0x1fe000) << 19);

		*gpa = base | (gva & 0x3fffff);
		*span = 0x400000 - (gva & 0x3fffff);
		return 0;
	}
	if (read_entry(w->mem, (pde & 0xfffff000) + ((gva >> 12) & 0x3ff) * 4, 4, &pte) ||
	    !entry_allows(w, pte))
		return -EFAULT;
	*gpa = (pte & 0xfffff000) | (gva & 0xfff);
	*span = 0x1000 - (gva & 0xfff);
	return 0;
}

static int walk_pae(const struct walk *w, uint64_t cr3, uint64_t gva, uint64_t *gpa, uint64_t *span)
{
	uint64_t pdpte;

	/* PDPTEs have no RW bit that counts: only presence. */
	if (read_entry(w->mem, (cr3 & 0xffffffe0) + ((gva >> 30) & 3) * 8, 8, &pdpte) ||
	    !(pdpte & PTE_P))
		return -EFAULT;
	return walk_long(w, pdpte & PTE_ADDR_MASK, 2, gva, gpa, span);
}

static bool canonical(uint64_t gva, unsigned int bits)
{
	int64_t s = (int64_t)(gva << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == gva;
}

int paging_translate(const struct guest_mem *mem, const struct paging_ctx *ctx, uint64_t gva,
		     bool write, uint64_t *gpa, uint64_t *span)
{
	struct walk w = { .mem = mem, .write = write, .wp = !!(ctx->cr0 & X86_CR0_WP) };

	if (!(ctx->cr0 & X86_CR0_PG)) {
		if (gva >> 32)
			return -EFAULT;
		*gpa = gva;
		*span = GUEST_4G - gva;
		return 0;
	}
	if (ctx->efer & X86_EFER_LMA) {
		bool la57 = ctx->cr4 & X86_CR4_LA57;

		if (!canonical(gva, la57 ? 57 : 48))
			return -EFAULT;
		return walk_long(&w, ctx->cr3 & PTE_ADDR_MASK, la57 ? 5 : 4, gva, gpa, span);
	}
	if (gva >> 32)
		return -EFAULT;
	if (ctx->cr4 & X86_CR4_PAE)
		return walk_pae(&w, ctx->cr3, gva, gpa, span);
	return walk_32(&w, ctx->cr3, ctx->cr4 & X86_CR4_PSE, gva, gpa, span);
}

static int copy_pages(const struct guest_mem *mem, const struct paging_ctx *ctx, uint64_t gva,
		      void *buf, uint64_t len, bool to_guest)
{
	uint8_t *p = buf;

	if (len && gva + (len - 1) < gva)
		return -EFAULT;
	while (len) {
		uint64_t gpa, span, chunk;
		uint8_t *host;

		if (paging_translate(mem, ctx, gva, to_guest, &gpa, &span))
			return -EFAULT;
		chunk = len < span ? len : span;
		host = guest_mem_ptr(mem, gpa, chunk);
		if (!host)
			return -EFAULT;
		if (to_guest)
			memcpy(host, p, chunk);
		else
			memcpy(p, host, chunk);
		p += chunk;
		gva += chunk;
		len -= chunk;
	}
	return 0;
}

int paging_copy_from(const struct guest_mem *mem, const struct paging_ctx *ctx, void *dst,
		     uint64_t gva, uint64_t len)
{
	return copy_pages(mem, ctx, gva, dst, len, false);
}

int paging_copy_to(const struct guest_mem *mem, const struct paging_ctx *ctx, uint64_t gva,
		   const void *src, uint64_t len)
{
	return copy_pages(mem, ctx, gva, (void *)src, len, true);
}
