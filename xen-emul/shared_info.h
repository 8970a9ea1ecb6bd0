/* SPDX-License-Identifier: GPL-2.0 */
/* The shared_info page: placement (XENMAPSPACE_shared_info), wallclock. */
#ifndef XENKVM_XEN_EMUL_SHARED_INFO_H
#define XENKVM_XEN_EMUL_SHARED_INFO_H

#include "xen-emul/xen.h"

/* The VMM page shared_info lives in until the guest places it. */
int xen_shared_info_init(struct xen_domain *dom);
void xen_shared_info_destroy(struct xen_domain *dom);
long xen_shared_info_map(struct xen_call *call, uint64_t idx, uint64_t gpfn);

#endif
