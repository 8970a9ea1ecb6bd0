// SPDX-License-Identifier: MIT
/*
 * evtchn_callback: upcalls through HVM_PARAM_CALLBACK_IRQ with the vector type
 * (hvm/params.h: type 2 in bits 56-63, the vector in bits 0-7), the path PVH Linux takes
 * when it sets no per-vCPU vector. An event pending before the callback is set is
 * delivered as soon as it is (Xen re-asserts a pending upcall), and a later one too.
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
	check_eq(set_callback(0), 0, "callback cleared");
	kit_clear_pending(a);
	check_eq(kit_send(a), 0, "send with no callback");
	check(!kit_wait_for(hits != 2, 20000), "upcall after the callback was cleared");
}
