/* SPDX-License-Identifier: GPL-2.0 */
/* The shared_info page: placement (XENMAPSPACE_shared_info), wallclock. */
#ifndef XENKVM_XEN_EMUL_SHARED_INFO_H
#define XENKVM_XEN_EMUL_SHARED_INFO_H

#include "xen-emul/xen.h"

long xen_shared_info_map(struct xen_call *call, uint64_t idx, uint64_t gpfn);

#endif
