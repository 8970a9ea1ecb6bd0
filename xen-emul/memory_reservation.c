// SPDX-License-Identifier: GPL-2.0
/* XENMEM reservation and memory-map sub-ops. Not implemented yet (issue 4). */
#include <stdint.h>
#include <xen/errno.h>

#include "xen-emul/memory.h"

long xen_memop_reservation(struct xen_call *call, unsigned int cmd)
{
	return -XEN_ENOSYS;
}
