// SPDX-License-Identifier: MIT
/*
 * evtchn_callback: upcalls through HVM_PARAM_CALLBACK_IRQ with the vector type
 * (hvm/params.h: type 2 in bits 56-63, the vector in bits 0-7), the path PVH Linux takes
 * when it sets no per-vCPU vector. An event pending before the callback is set is
 * delivered as soon as it is (Xen re-asserts a pending upcall), and a later one too.
 * A PVH domain has no emulated IO-APIC or PIC, so Xen's hvm_set_callback_via() ignores
 * every other type there, 0 included, and leaves the vector in force: Linux sets GSI 1
 * after its per-vCPU vectors ("trick the toolstack"), and real Xen 4.17 still raised
 * upcalls after the parameter was cleared to 0 (make check-oracle).
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/hvm/params.h>

#define CALLBACK_VECTOR 0xe9
#define WAIT_US 500000UL

static volatile unsigned int hits;

static void on_callback(struct kit_regs *regs)
{
	struct vcpu_info *vi = &kit_shared_info->vcpu_info[0];

	hits++;
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	kit_apic_eoi();
}

static long set_callback(uint64_t value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF,
				   .index = HVM_PARAM_CALLBACK_IRQ,
				   .value = value };

	return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &p);
}

static uint64_t get_callback(void)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ };

	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0, "HVMOP_get_param");
	return p.value;
}

void test_main(void)
{
	evtchn_port_t a, b;

	if (!kit_x2apic)
		kit_skip("no x2APIC: upcalls cannot be received");
	check_eq(kit_map_shared_info(0), 0, "place shared_info");
	kit_set_irq_handler(CALLBACK_VECTOR, on_callback);
	/* An event before any delivery path exists stays pending in shared_info. */
	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound");
	check_eq(kit_bind_loopback(a, &b), 0, "bind_interdomain (notifies the new port)");
	check(!kit_wait_for(hits != 0, 20000), "upcall with no callback set");
	check(kit_shared_info->vcpu_info[0].evtchn_upcall_pending, "upcall pending");
	check_eq(set_callback(((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | CALLBACK_VECTOR),
		 0, "HVM_PARAM_CALLBACK_IRQ = vector");
	check(kit_wait_for(hits == 1, WAIT_US),
	      "pending upcall delivered once the callback is set");
	kit_clear_pending(b);
	check_eq(kit_send(b), 0, "send");
	check(kit_wait_for(hits == 2, WAIT_US), "upcall for a later event (%u)", hits);
	check(kit_is_pending(a), "the event is pending on the peer port");
	/* GSI 1, as Linux sets it: accepted, stored, and the vector stays in force. */
	check_eq(set_callback(1), 0, "HVM_PARAM_CALLBACK_IRQ = GSI 1");
	check_eq(get_callback(), 1, "HVM_PARAM_CALLBACK_IRQ read back");
	kit_clear_pending(a);
	check_eq(kit_send(a), 0, "send after GSI 1");
	check(kit_wait_for(hits == 3, WAIT_US), "upcall through the vector after GSI 1 (%u)", hits);
	/* PCI INTx (type 1) and 0: the same. */
	check_eq(set_callback(((uint64_t)HVM_PARAM_CALLBACK_TYPE_PCI_INTX << 56) | (3 << 11) | 1),
		 0, "HVM_PARAM_CALLBACK_IRQ = PCI INTx");
	check_eq(set_callback(0), 0, "callback cleared");
	kit_clear_pending(b);
	check_eq(kit_send(b), 0, "send after clearing");
	check(kit_wait_for(hits == 4, WAIT_US), "upcall through the vector after clearing (%u)",
	      hits);
}
