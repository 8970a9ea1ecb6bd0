// SPDX-License-Identifier: GPL-2.0
/* Grant tables. Not implemented yet (issue 4). */
#include <stdint.h>
#include <xen/errno.h>

#include "xen-emul/grant_table.h"

long xen_gnttab_map_frame(struct xen_call *call, uint64_t idx, uint64_t gpfn)
{
	return -XEN_ENOSYS;
}

long xen_do_grant_table_op(struct xen_call *call)
{
	return -XEN_ENOSYS;
}
