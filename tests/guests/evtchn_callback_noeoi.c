// SPDX-License-Identifier: MIT
/*
 * evtchn_callback_noeoi: the HVM_PARAM_CALLBACK_IRQ vector is not a local-APIC interrupt
 * on Xen (hvm_assert_evtchn_irq injects it directly while evtchn_upcall_pending is set),
 * so a guest that never EOIs it, as Linux before 6.0 did (xen_hvm_callback_vector had no
 * ack), still gets the next one. The handler here never writes the EOI register; three
 * events in a row must each reach it. KVM_XEN injects the vector outside the local APIC
 * (KVM_XEN_ATTR_TYPE_UPCALL_VECTOR); the user transport makes its MSI an auto-EOI vector
 * where KVM can (Hyper-V SynIC), and otherwise leaves it in service, so the manifest
 * skips this guest there (--requires-auto-eoi).
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/hvm/params.h>

#define CALLBACK_VECTOR 0xe9
#define WAIT_US 500000UL
#define EVENTS 3

static volatile unsigned int hits;

/* Linux's old callback: clear the pending flag and the selector, no EOI. */
static void on_callback(struct kit_regs *regs)
{
	struct vcpu_info *vi = &kit_shared_info->vcpu_info[0];

	hits++;
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
}

void test_main(void)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF,
				   .index = HVM_PARAM_CALLBACK_IRQ,
				   .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) |
					    CALLBACK_VECTOR };
	evtchn_port_t a, b;

	if (!kit_x2apic)
		kit_skip("no x2APIC: upcalls cannot be received");
	check_eq(kit_map_shared_info(0), 0, "place shared_info");
	kit_set_irq_handler(CALLBACK_VECTOR, on_callback);
	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &p), 0,
		 "HVM_PARAM_CALLBACK_IRQ = vector");
	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound");
	check_eq(kit_bind_loopback(a, &b), 0, "bind_interdomain (notifies the new port)");
	check(kit_wait_for(hits == 1, WAIT_US), "upcall for the bind");
	for (unsigned int i = 2; i <= EVENTS + 1; i++) {
		kit_clear_pending(a);
		kit_clear_pending(b);
		check_eq(kit_send(b), 0, "send");
		check(kit_wait_for(hits == i, WAIT_US),
		      "upcall %u without an EOI before it (%u seen)", i, hits);
	}
	printf("evtchn_callback_noeoi: %u upcalls, none acknowledged at the local APIC\n", hits);
}
