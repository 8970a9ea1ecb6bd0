// SPDX-License-Identifier: GPL-2.0
/*
 * The user-space Xen transport, which works on every KVM: hypercalls through the
 * hypercall page's port-I/O stubs (hypercall_page.c), upcalls as MSIs to the local APIC,
 * events, pvclock, wallclock and runstate written by the VMM itself.
 *
 * Xen injects the HVM_PARAM_CALLBACK_IRQ vector directly, outside the local APIC, and
 * guests do not EOI it (Linux never did; a per-vCPU vector from
 * HVMOP_set_evtchn_upcall_vector is a local-APIC one, which Linux EOIs). An MSI of that
 * vector stays in service until an EOI, blocking every vector of its priority class and
 * below, the next upcall included. Where KVM offers auto-EOI vectors (vmm/auto_eoi.h:
 * the Hyper-V SynIC, in every distribution KVM but not kvm_pvm), the domain's vector is
 * made one on each vCPU that has no vector of its own, so an un-EOIed upcall blocks
 * nothing, as on Xen. Without it, a guest that never EOIs gets one upcall only.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/auto_eoi.h"
#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/transport/accel.h"
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

/* On the vCPU's own thread: the domain's vector auto-EOI unless it has its own. */
static void apply_auto_eoi(struct vcpu *v, void *opaque)
{
	struct xen_domain *dom = opaque;
	struct xen_vcpu *xv = &dom->vcpus[v->id];
	uint8_t vector = __atomic_load_n(&dom->evtchn->callback_vector, __ATOMIC_ACQUIRE);
	int rc;

	if (__atomic_load_n(&xv->upcall_vector, __ATOMIC_ACQUIRE))
		vector = 0;
	rc = vcpu_set_auto_eoi_vector(v, vector);
	if (rc)
		log_once(LOG_WARN, "vCPU %u: cannot make vector %u auto-EOI: %s", v->id, vector,
			 strerror(-rc));
}

static void request_vcpu(struct xen_domain *dom, struct xen_vcpu *xv)
{
	if (dom->accel_priv && dom->vm->vcpus)
		vcpu_request(&dom->vm->vcpus[xv->id]);
}

static void callback_vector_set(struct xen_domain *dom)
{
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		request_vcpu(dom, &dom->vcpus[i]);
}

static int user_init(struct xen_domain *dom)
{
	int rc = xen_hypercall_page_init(dom);

	if (rc || !vm_has_auto_eoi(dom->vm))
		return rc;
	/* A non-NULL accel_priv says "auto-EOI available"; there is nothing else to keep. */
	dom->accel_priv = dom;
	vm_set_request_handler(dom->vm, apply_auto_eoi, dom);
	log_debug("user transport: the callback vector is auto-EOI (KVM_CAP_HYPERV_SYNIC)");
	return 0;
}

static void user_destroy(struct xen_domain *dom)
{
	dom->accel_priv = NULL;
}

const struct xen_accel_ops xen_accel_user = {
	.name = "user",
	.init = user_init,
	.destroy = user_destroy,
	.block_slice_ns = 50000000ULL,
	.callback_vector_set = callback_vector_set,
	.vcpu_vector_set = request_vcpu,
	.upcall = user_upcall,
	.runstate_register = xen_runstate_register,
	.runstate_get = xen_runstate_get,
};
