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

/*
 * Xen 4.17's hvm_set_callback_via() for a domain without an emulated IO-APIC and PIC
 * (PVH, which is what xenkvm builds): every type but the vector, "none" (0) included,
 * returns before anything changes, so the vector set earlier stays in force; the
 * parameter's value is stored all the same (hvm_params.c) and the call succeeds. Linux
 * sets GSI 1 on every boot after its per-vCPU vectors, so that the toolstack sees a
 * callback; nothing is logged for it, as Xen logs nothing.
 */
long xen_evtchn_set_callback_irq(struct xen_domain *dom, uint64_t val)
{
	uint8_t type = CALLBACK_TYPE(val);

	if (type != HVM_PARAM_CALLBACK_TYPE_VECTOR) {
		log_debug("HVM_PARAM_CALLBACK_IRQ %#llx: not a vector, ignored as on a PVH "
			  "domain",
			  (unsigned long long)val);
		return 0;
	}
	xen_evtchn_lock(dom);
	dom->evtchn->callback_vector = (uint8_t)val;
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
