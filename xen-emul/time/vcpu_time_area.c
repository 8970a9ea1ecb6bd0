// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_register_vcpu_time_memory_area (Xen 4.17 arch_do_vcpu_op()): a second place for
 * a vCPU's vcpu_time_info, written wherever the one in its vcpu_info is, so that guest
 * user space can read the clock (Linux's vDSO maps the page and trusts it when
 * PVCLOCK_TSC_STABLE_BIT is set). Any vCPU of the domain may be named; a null handle
 * stops the copies; an address that cannot be written is no error (nothing is written),
 * as in Xen. The area is translated here, once (guest_area.h). The user transport
 * writes the copy in time.c; KVM_XEN is given its address
 * (KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO).
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

long xen_vcpu_time_area_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_register_time_memory_area reg;
	struct xen_domain *dom = call->dom;
	struct xen_guest_area area = { 0 };
	uint64_t gva;

	if (xen_copy_from_guest(call, &reg, arg, sizeof(reg)))
		return -XEN_EFAULT;
	gva = call->is_64 ? reg.addr.p : (uint32_t)reg.addr.p;
	if (gva)
		xen_guest_area_place(call, gva, sizeof(struct vcpu_time_info), &area);
	pthread_mutex_lock(&dom->lock);
	target->time_area = area;
	pthread_mutex_unlock(&dom->lock);
	xen_accel_vcpu_info_placed(dom, target);
	/* Xen's force_update_vcpu_system_time(): the copy is written now. */
	xen_time_learn_tsc_offset(call);
	xen_time_resync(dom);
	return 0;
}
