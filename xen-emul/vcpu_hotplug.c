// SPDX-License-Identifier: GPL-2.0
/* VCPUOP_initialise, up, down, is_up for PVH vCPUs. Not implemented yet (issue 4). */
#include <stdint.h>
#include <xen/errno.h>

#include "xen-emul/vcpu_op.h"

long xen_vcpu_hotplug_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg)
{
	return -XEN_ENOSYS;
}
