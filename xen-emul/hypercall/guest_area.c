// SPDX-License-Identifier: GPL-2.0
/*
 * Guest areas the VMM writes after registration (guest_area.h): translated once, written
 * through guest_mem_ptr() on each update, so a range that left RAM is skipped, not touched.
 */
#include <errno.h>
#include <string.h>

#include "xen-emul/hypercall/guest_area.h"
#include "xen-emul/xen.h"

int xen_guest_area_place(struct xen_call *call, uint64_t gva, uint32_t len,
			 struct xen_guest_area *area)
{
	const struct guest_mem *mem = &call->dom->vm->mem;
	struct xen_guest_area a = { 0 };
	uint64_t span;

	*area = a;
	if (!len || paging_translate(mem, &call->paging, gva, true, &a.gpa[0], &span))
		return -EFAULT;
	a.len[0] = span < len ? (uint32_t)span : len;
	if (a.len[0] < len) {
		if (paging_translate(mem, &call->paging, gva + a.len[0], true, &a.gpa[1], &span) ||
		    span < len - a.len[0])
			return -EFAULT;
		a.len[1] = len - a.len[0];
	}
	if (!guest_mem_ptr(mem, a.gpa[0], a.len[0]) ||
	    (a.len[1] && !guest_mem_ptr(mem, a.gpa[1], a.len[1])))
		return -EFAULT;
	*area = a;
	return 0;
}

/* Copies one piece; an aligned 8-byte field is one store, so a reader never sees it torn. */
static void put(void *dst, const void *src, uint32_t len)
{
	if (len == 8 && !((uintptr_t)dst & 7)) {
		uint64_t v;

		memcpy(&v, src, 8);
		__atomic_store_n((uint64_t *)dst, v, __ATOMIC_RELAXED);
		return;
	}
	memcpy(dst, src, len);
}

void xen_guest_area_write(struct xen_domain *dom, const struct xen_guest_area *area, uint32_t off,
			  const void *src, uint32_t len)
{
	const uint8_t *s = src;

	for (int i = 0; i < 2 && len; i++) {
		uint8_t *p;
		uint32_t n;

		if (off >= area->len[i]) {
			off -= area->len[i];
			continue;
		}
		n = area->len[i] - off < len ? area->len[i] - off : len;
		p = guest_mem_ptr(&dom->vm->mem, area->gpa[i] + off, n);
		if (p)
			put(p, s, n);
		s += n;
		len -= n;
		off = 0;
	}
}
