// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU runstate: VCPUOP_register_runstate_memory_area (a guest-linear address the VMM
 * writes the vcpu_runstate_info to) and VCPUOP_get_runstate_info. A vCPU is "running"
 * except while it waits in SCHEDOP_block or SCHEDOP_poll, which counts as "blocked";
 * time a vCPU spends halted inside KVM is not visible to the VMM and counts as running.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

static void snapshot(struct xen_vcpu *xv, struct vcpu_runstate_info *ri)
{
	uint64_t now = xen_system_time(xv->dom);
	uint64_t blocked = xv->blocked_ns < now ? xv->blocked_ns : now;

	memset(ri, 0, sizeof(*ri));
	ri->state = RUNSTATE_running;
	/* Running since system time 0, as far as the VMM can tell. */
	ri->state_entry_time = 0;
	ri->time[RUNSTATE_running] = now - blocked;
	ri->time[RUNSTATE_blocked] = blocked;
}

long xen_runstate_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info ri;

	if (xen_copy_from_guest(call, &area, arg, sizeof(area)))
		return -XEN_EFAULT;
	snapshot(target, &ri);
	/* As Xen, a failed write here is not an error: the area is written again later. */
	if (!area.addr.p)
		return 0;
	/*
	 * VMASST_TYPE_runstate_update_flag: XEN_RUNSTATE_UPDATE in state_entry_time while
	 * the area changes, so that another vCPU reading it retries (update_runstate_area()).
	 */
	if (call->dom->vm_assist & (1ULL << VMASST_TYPE_runstate_update_flag)) {
		uint64_t busy = ri.state_entry_time | XEN_RUNSTATE_UPDATE;
		uint64_t at = area.addr.p + offsetof(struct vcpu_runstate_info, state_entry_time);

		if (xen_copy_to_guest(call, at, &busy, sizeof(busy)))
			return 0;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ri.state_entry_time = busy;
		xen_copy_to_guest(call, area.addr.p, &ri, sizeof(ri));
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ri.state_entry_time &= ~XEN_RUNSTATE_UPDATE;
		xen_copy_to_guest(call, at, &ri.state_entry_time, sizeof(ri.state_entry_time));
		return 0;
	}
	xen_copy_to_guest(call, area.addr.p, &ri, sizeof(ri));
	return 0;
}

long xen_runstate_get(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_runstate_info ri;

	snapshot(target, &ri);
	return xen_copy_to_guest(call, arg, &ri, sizeof(ri)) ? -XEN_EFAULT : 0;
}
