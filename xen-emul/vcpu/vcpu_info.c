// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_register_vcpu_info: moves a vCPU's vcpu_info out of shared_info into a guest
 * page (needed for vCPUs beyond XEN_LEGACY_MAX_VCPUS), with Xen 4.17's checks and its
 * "mark everything pending" step so no event is lost in the move.
 */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

static long place(struct xen_domain *dom, struct xen_vcpu *target, uint64_t gfn, uint32_t offset)
{
	struct vcpu_info *vi;
	uint8_t *page;

	if (gfn >= (1ULL << (52 - GUEST_PAGE_SHIFT)))
		return -XEN_EINVAL;
	page = guest_mem_ptr(&dom->vm->mem, gfn << GUEST_PAGE_SHIFT, GUEST_PAGE_SIZE);
	if (!page)
		return -XEN_EINVAL; /* Xen: no page at that gfn */
	vi = (struct vcpu_info *)(page + offset);
	if (target->vcpu_info)
		memcpy(vi, target->vcpu_info, sizeof(*vi));
	else
		memset(vi, 0, sizeof(*vi));
	__atomic_store_n(&target->vcpu_info, vi, __ATOMIC_RELEASE);
	target->vcpu_info_gpa = (gfn << GUEST_PAGE_SHIFT) + offset;
	target->vcpu_info_registered = true;
	return 0;
}

long xen_vcpu_info_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct xen_domain *dom = call->dom;
	struct vcpu_register_vcpu_info info;
	long rc;

	if (xen_copy_from_guest(call, &info, arg, sizeof(info)))
		return -XEN_EFAULT;
	if (info.offset > GUEST_PAGE_SIZE - sizeof(struct vcpu_info) ||
	    info.offset % alignof(struct vcpu_info))
		return -XEN_ENXIO;
	if (target->vcpu_info_registered)
		return -XEN_EINVAL; /* once per vCPU */
	xen_evtchn_lock(dom);
	pthread_mutex_lock(&dom->lock);
	/* On itself, or on a vCPU that is down (Xen's _VPF_down, kept by vcpu_hotplug.c). */
	if (target != xen_call_vcpu(call) && !target->down)
		rc = -XEN_EINVAL;
	else
		rc = place(dom, target, info.mfn, info.offset);
	pthread_mutex_unlock(&dom->lock);
	if (!rc) {
		xen_accel_vcpu_info_placed(dom, target);
		xen_evtchn_mark_all_pending(dom, target);
	}
	xen_evtchn_unlock(dom);
	xen_time_learn_tsc_offset(call);
	xen_time_resync(dom);
	return rc;
}
