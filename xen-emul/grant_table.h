/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables: the guest's grant frames, GNTTABOP_* for the guest, and the backend API
 * (map, unmap, copy) that drivers-pv/ uses. Not implemented yet (issue 4).
 */
#ifndef XENKVM_XEN_EMUL_GRANT_TABLE_H
#define XENKVM_XEN_EMUL_GRANT_TABLE_H

#include "xen-emul/xen.h"

/* XENMEM_add_to_physmap with XENMAPSPACE_grant_table: frame `idx` at guest frame `gpfn`. */
long xen_gnttab_map_frame(struct xen_call *call, uint64_t idx, uint64_t gpfn);

#endif
