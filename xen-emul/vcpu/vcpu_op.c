// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_vcpu_op: checks the target vCPU (as Xen: -ENOENT when it does not exist)
 * and dispatches: vcpu_info, runstate and second time area registration (vcpu_info.c,
 * runstate.c, vcpu_time_area.c), timers
 * (timer.c), bringing vCPUs up and down (vcpu_hotplug.c).
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/vcpu/vcpu_op.h"
#include "xen-emul/xen.h"

long xen_do_vcpu_op(struct xen_call *call)
{
	int cmd = (int)call->args[0];
	uint64_t id = call->args[1];
	uint64_t arg = call->args[2];
	struct xen_vcpu *target;

	if (id >= call->dom->nr_vcpus)
		return -XEN_ENOENT;
	target = &call->dom->vcpus[id];
	switch (cmd) {
	case VCPUOP_register_vcpu_info:
		return xen_vcpu_info_register(call, target, arg);
	case VCPUOP_register_vcpu_time_memory_area:
		return xen_vcpu_time_area_register(call, target, arg);
	case VCPUOP_register_runstate_memory_area:
		return call->dom->accel->runstate_register(call, target, arg);
	case VCPUOP_get_runstate_info:
		return call->dom->accel->runstate_get(call, target, arg);
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
		return xen_timer_vcpu_op(call, cmd, target, arg);
	case VCPUOP_initialise:
	case VCPUOP_up:
	case VCPUOP_down:
	case VCPUOP_is_up:
		return xen_vcpu_hotplug_op(call, cmd, target, arg);
	case VCPUOP_get_physid:
		return -XEN_EINVAL; /* only the hardware domain's pinned vCPUs have one */
	default:
		return -XEN_ENOSYS;
	}
}
