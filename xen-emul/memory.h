/* SPDX-License-Identifier: GPL-2.0 */
/* Memory-op pieces shared between memory_op.c and the files it dispatches to. */
#ifndef XENKVM_XEN_EMUL_MEMORY_H
#define XENKVM_XEN_EMUL_MEMORY_H

#include "xen-emul/xen.h"

/* 0 when a domU may act on `domid` (itself or DOMID_SELF), else the Xen error. */
long xen_memop_check_domid(struct xen_call *call, domid_t domid);

/*
 * XENMEM_{increase,decrease}_reservation, populate_physmap, current_reservation,
 * maximum_reservation, maximum_gpfn, memory_map (memory_reservation.c).
 */
long xen_memop_reservation(struct xen_call *call, unsigned int cmd);

#endif
