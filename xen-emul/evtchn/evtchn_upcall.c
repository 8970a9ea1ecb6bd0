// SPDX-License-Identifier: GPL-2.0
/*
 * How events reach the guest: HVM_PARAM_CALLBACK_IRQ (domain-wide; the vector type is
 * what PVH and modern HVM guests use) and HVMOP_set_evtchn_upcall_vector (per vCPU, which
 * wins over the domain-wide vector). How they reach the vCPU is the transport's (accel.h).
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"

#define CALLBACK_TYPE(val) ((uint8_t)((val) >> 56))

/* Re-asserts a pending upcall once a delivery path exists (Xen: hvm_assert_evtchn_irq). */
static void assert_if_pending(struct xen_domain *dom, unsigned int vcpu)
{
	if (xen_evtchn_upcall_pending(&dom->vcpus[vcpu]))
		xen_evtchn_vcpu_notify(dom, vcpu);
}

long xen_evtchn_set_callback_irq(struct xen_domain *dom, uint64_t val)
{
	uint8_t type = CALLBACK_TYPE(val);

	xen_evtchn_lock(dom);
	dom->evtchn->callback_vector = 0;
	if (type == HVM_PARAM_CALLBACK_TYPE_VECTOR)
		dom->evtchn->callback_vector = (uint8_t)val;
	else if (val)
		log_once(LOG_WARN,
			 "HVM_PARAM_CALLBACK_IRQ type %u (GSI/PCI INTx) is not "
			 "supported: use the vector type",
			 type);
	xen_accel_callback_vector_set(dom);
	for (unsigned int v = 0; v < dom->nr_vcpus; v++)
		assert_if_pending(dom, v);
	xen_evtchn_unlock(dom);
	return 0;
}

long xen_evtchn_upcall_vector_op(struct xen_call *call, uint64_t gva)
{
	struct xen_hvm_evtchn_upcall_vector op;
	struct xen_domain *dom = call->dom;

	if (xen_copy_from_guest(call, &op, gva, sizeof(op)))
		return -XEN_EFAULT;
	if (op.vector < 0x10)
		return -XEN_EINVAL;
	if (op.vcpu >= dom->nr_vcpus)
		return -XEN_ENOENT;
	xen_evtchn_lock(dom);
	dom->vcpus[op.vcpu].upcall_vector = op.vector;
	xen_accel_vcpu_vector_set(dom, &dom->vcpus[op.vcpu]);
	assert_if_pending(dom, op.vcpu);
	xen_evtchn_unlock(dom);
	return 0;
}
