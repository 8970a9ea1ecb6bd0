// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space Xen transport, which works on every KVM: hypercalls through the
 * hypercall page's port-I/O stubs (hypercall_page.c), upcalls as MSIs to the local APIC,
 * events, pvclock, wallclock and runstate written by the VMM itself.
 */
#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/vcpu/vcpu_op.h"

void xen_accel_inject_msi(struct xen_domain *dom, unsigned int vcpu, uint8_t vector)
{
	if (vm_inject_msi(dom->vm, vcpu, vector))
		log_once(LOG_WARN, "cannot inject the event-channel upcall (vector %u)", vector);
}

/* The vCPU's own vector (HVMOP_set_evtchn_upcall_vector) wins over the domain's. */
static void user_upcall(struct xen_domain *dom, unsigned int vcpu)
{
	uint8_t vector = dom->vcpus[vcpu].upcall_vector;

	if (!vector)
		vector = dom->evtchn->callback_vector;
	if (!vector) {
		log_once(LOG_INFO, "event pending but the guest set no upcall vector yet");
		return;
	}
	xen_accel_inject_msi(dom, vcpu, vector);
}

const struct xen_accel_ops xen_accel_user = {
	.name = "user",
	.init = xen_hypercall_page_init,
	.block_slice_ns = 50000000ULL,
	.upcall = user_upcall,
	.runstate_register = xen_runstate_register,
	.runstate_get = xen_runstate_get,
};
