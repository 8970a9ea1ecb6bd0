// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall pointers are guest-linear addresses: translate through the calling vCPU's
 * page tables (as Xen's copy_{from,to}_guest do for HVM guests), then check the physical
 * range. Nothing else in xen-emul turns a guest pointer into memory.
 */
#include "xen-emul/xen.h"

int xen_copy_from_guest(struct xen_call *call, void *dst, uint64_t gva, uint64_t len)
{
	return paging_copy_from(&call->dom->vm->mem, &call->paging, dst, gva, len);
}

int xen_copy_to_guest(struct xen_call *call, uint64_t gva, const void *src, uint64_t len)
{
	return paging_copy_to(&call->dom->vm->mem, &call->paging, gva, src, len);
}
