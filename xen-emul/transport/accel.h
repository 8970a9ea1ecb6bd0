/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen transport ("accelerator"): everything that differs between the two ways of
 * running a Xen guest on KVM, behind one set of operations.
 *
 * - user (accel_user.c): works on every KVM. The hypercall page holds port-I/O stubs
 *   (hypercall_page.c), upcalls are MSIs, events are set in shared_info by the VMM, and
 *   the VMM writes the pvclock, the wallclock and the runstate area itself.
 * - kvm (accel_kvm.c, accel_kvm_evtchn.c): KVM's own Xen support (KVM_CAP_XEN_HVM).
 *   KVM writes a vmcall/vmmcall hypercall page and exits with KVM_EXIT_XEN into the same
 *   dispatcher; KVM is told where shared_info, each vcpu_info and runstate area live and
 *   which upcall vectors to use, injects the HVM_PARAM_CALLBACK_IRQ vector outside the
 *   local APIC (as Xen does), keeps the pvclock, wallclock and runstate, raises 2-level
 *   ports and handles EVTCHNOP_send on IPI and loopback ports itself.
 *
 * The canonical ABI state (guest frame numbers and offsets in struct xen_domain and
 * struct xen_vcpu) is the same for both; a transport only mirrors it.
 */
#ifndef XENKVM_XEN_EMUL_ACCEL_H
#define XENKVM_XEN_EMUL_ACCEL_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/xen.h"

struct xen_accel_ops {
	const char *name; /* "user" or "kvm", as --xen-accel spells it */
	/* Sets up the hypercall intercept; once, from xen_domain_init(). */
	int (*init)(struct xen_domain *dom);
	void (*destroy)(struct xen_domain *dom);
	/* Set when the transport writes the pvclock and the wallclock (time.c does not). */
	bool owns_time;
	/* Xen system time (NULL: CLOCK_MONOTONIC since the domain started). */
	uint64_t (*system_time)(struct xen_domain *dom);
	/* Longest wait in SCHEDOP_block/poll between looks at the pending state. */
	uint64_t block_slice_ns;

	/* The canonical placement changed: dom->shared_info_gfn, xv->vcpu_info_gpa (or the
	 * vCPU's second time area, xv->time_area). */
	void (*shared_info_placed)(struct xen_domain *dom);
	void (*vcpu_info_placed)(struct xen_domain *dom, struct xen_vcpu *xv);
	/* HVM_PARAM_CALLBACK_IRQ's vector (dom->evtchn->callback_vector) or a vCPU's changed. */
	void (*callback_vector_set)(struct xen_domain *dom);
	void (*vcpu_vector_set)(struct xen_domain *dom, struct xen_vcpu *xv);
	/* Delivers the upcall to a vCPU whose evtchn_upcall_pending was just set. */
	void (*upcall)(struct xen_domain *dom, unsigned int vcpu);
	/*
	 * Raises a 2-level port for `vcpu` (event-channel lock held): true when the transport
	 * did it all (pending bit, selector, upcall), false to do it in the VMM.
	 */
	bool (*raise_2l)(struct xen_domain *dom, evtchn_port_t port, unsigned int vcpu);
	/* A port was bound, closed or moved to another vCPU; the ABI changed (lock held). */
	void (*port_changed)(struct xen_domain *dom, evtchn_port_t port);
	void (*abi_changed)(struct xen_domain *dom);

	/* The calling vCPU is about to wait in SCHEDOP_block (its own thread). */
	void (*vcpu_blocking)(struct xen_domain *dom, struct xen_vcpu *xv);
	/* VCPUOP_register_runstate_memory_area and VCPUOP_get_runstate_info. */
	long (*runstate_register)(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
	long (*runstate_get)(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
	/*
	 * The VM was paused (paused = true) or goes on, on the vCPU's own thread: the
	 * transport keeps the runstate (NULL: runstate.c counts the offline time).
	 */
	void (*vcpu_paused)(struct xen_domain *dom, struct xen_vcpu *xv, bool paused);
	/* VMASST_TYPE_runstate_update_flag turned on or off (NULL: nothing to tell). */
	void (*runstate_update_flag)(struct xen_domain *dom, bool on);
};

extern const struct xen_accel_ops xen_accel_user;
extern const struct xen_accel_ops xen_accel_kvm;

/*
 * The transport for `want` (auto: kvm when this KVM has what it needs, else user). When
 * kvm is asked for and missing, -ENODEV with one line in `err` naming what is missing.
 */
int xen_accel_choose(struct vm *vm, enum xen_accel_kind want, const struct xen_accel_ops **ops,
		     char *err, size_t errlen);

/* Helpers for the rest of xen-emul: each is a no-op when the transport needs nothing. */
static inline void xen_accel_shared_info_placed(struct xen_domain *dom)
{
	if (dom->accel->shared_info_placed)
		dom->accel->shared_info_placed(dom);
}

static inline void xen_accel_vcpu_info_placed(struct xen_domain *dom, struct xen_vcpu *xv)
{
	if (dom->accel->vcpu_info_placed)
		dom->accel->vcpu_info_placed(dom, xv);
}

static inline void xen_accel_callback_vector_set(struct xen_domain *dom)
{
	if (dom->accel->callback_vector_set)
		dom->accel->callback_vector_set(dom);
}

static inline void xen_accel_vcpu_vector_set(struct xen_domain *dom, struct xen_vcpu *xv)
{
	if (dom->accel->vcpu_vector_set)
		dom->accel->vcpu_vector_set(dom, xv);
}

static inline bool xen_accel_raise_2l(struct xen_domain *dom, evtchn_port_t port, unsigned int vcpu)
{
	return dom->accel->raise_2l && dom->accel->raise_2l(dom, port, vcpu);
}

static inline void xen_accel_port_changed(struct xen_domain *dom, evtchn_port_t port)
{
	if (dom->accel->port_changed)
		dom->accel->port_changed(dom, port);
}

static inline void xen_accel_abi_changed(struct xen_domain *dom)
{
	if (dom->accel && dom->accel->abi_changed)
		dom->accel->abi_changed(dom);
}

static inline void xen_accel_vcpu_blocking(struct xen_domain *dom, struct xen_vcpu *xv)
{
	if (dom->accel->vcpu_blocking)
		dom->accel->vcpu_blocking(dom, xv);
}

/* MSI delivery of `vector` to a vCPU (the user transport's upcall; also kvm's LAPIC one). */
void xen_accel_inject_msi(struct xen_domain *dom, unsigned int vcpu, uint8_t vector);

#endif
