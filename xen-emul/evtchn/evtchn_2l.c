// SPDX-License-Identifier: GPL-2.0
/*
 * The 2-level event-channel ABI: pending and mask bitmaps in shared_info, a selector word
 * per vCPU in vcpu_info, evtchn_upcall_pending. The bit protocol is Xen's
 * (common/event_2l.c), done with atomics on the page the guest shares.
 */
#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"

#define WORD_BITS (sizeof(xen_ulong_t) * 8)
#define NR_2L_PORTS (WORD_BITS * WORD_BITS)

static xen_ulong_t bit_of(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % WORD_BITS);
}

static bool test_and_set(xen_ulong_t *word, xen_ulong_t bit)
{
	return __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test_and_clear(xen_ulong_t *word, xen_ulong_t bit)
{
	return __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test(xen_ulong_t *word, xen_ulong_t bit)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST) & bit;
}

/* Sets the selector bit of the port's word on its vCPU and notifies if it was clear. */
static void select_and_notify(struct xen_domain *dom, evtchn_port_t port)
{
	unsigned int vcpu = dom->evtchn->ports[port].vcpu;
	struct vcpu_info *vi = __atomic_load_n(&dom->vcpus[vcpu].vcpu_info, __ATOMIC_ACQUIRE);

	if (!vi)
		return;
	if (!test_and_set(&vi->evtchn_pending_sel, (xen_ulong_t)1 << (port / WORD_BITS)))
		xen_evtchn_vcpu_notify(dom, vcpu);
}

static void l2_set_pending(struct xen_domain *dom, evtchn_port_t port)
{
	struct shared_info *si = dom->shared_info;

	if (xen_accel_raise_2l(dom, port, dom->evtchn->ports[port].vcpu))
		return;
	if (test_and_set(&si->evtchn_pending[port / WORD_BITS], bit_of(port)))
		return;
	if (!test(&si->evtchn_mask[port / WORD_BITS], bit_of(port)))
		select_and_notify(dom, port);
}

static void l2_clear_pending(struct xen_domain *dom, evtchn_port_t port)
{
	test_and_clear(&dom->shared_info->evtchn_pending[port / WORD_BITS], bit_of(port));
}

static void l2_unmask(struct xen_domain *dom, evtchn_port_t port)
{
	struct shared_info *si = dom->shared_info;

	if (test_and_clear(&si->evtchn_mask[port / WORD_BITS], bit_of(port)) &&
	    test(&si->evtchn_pending[port / WORD_BITS], bit_of(port)))
		select_and_notify(dom, port);
}

static bool l2_is_pending(struct xen_domain *dom, evtchn_port_t port)
{
	return test(&dom->shared_info->evtchn_pending[port / WORD_BITS], bit_of(port));
}

static bool l2_is_masked(struct xen_domain *dom, evtchn_port_t port)
{
	return test(&dom->shared_info->evtchn_mask[port / WORD_BITS], bit_of(port));
}

/* The selector lives per vCPU: a pending port moved to another vCPU is not re-sent. */
static void l2_bind_vcpu(struct xen_domain *dom, evtchn_port_t port)
{
}

const struct xen_evtchn_abi xen_evtchn_2l_abi = {
	.name = "2-level",
	.max_ports = NR_2L_PORTS,
	.set_pending = l2_set_pending,
	.clear_pending = l2_clear_pending,
	.unmask = l2_unmask,
	.is_pending = l2_is_pending,
	.is_masked = l2_is_masked,
	.bind_vcpu = l2_bind_vcpu,
};
