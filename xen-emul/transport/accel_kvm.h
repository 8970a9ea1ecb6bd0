/* SPDX-License-Identifier: GPL-2.0 */
/* The KVM_XEN transport's state, shared by accel_kvm.c and accel_kvm_evtchn.c. */
#ifndef XENKVM_XEN_EMUL_ACCEL_KVM_H
#define XENKVM_XEN_EMUL_ACCEL_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/xen.h"

struct xen_kvm {
	bool runstate; /* KVM keeps the runstate areas (KVM_XEN_HVM_CONFIG_RUNSTATE) */
	bool shinfo_set; /* KVM knows where shared_info is */
	bool kernel_poll; /* KVM runs SCHEDOP_poll (2-level ABI only) */
	/* Per port: the port KVM delivers to when the guest sends on it, 0 when the
	 * guest's EVTCHNOP_send on it comes to the VMM. */
	evtchn_port_t *in_kernel;
};

int xen_kvm_set_attr(struct xen_domain *dom, struct kvm_xen_hvm_attr *attr);
/* KVM_XEN_HVM_CONFIG with the intercept, and in-kernel SCHEDOP_poll or not. */
int xen_kvm_config(struct xen_domain *dom, bool kernel_poll);

/* accel_kvm_evtchn.c (event-channel lock held). */
bool xen_kvm_raise_2l(struct xen_domain *dom, evtchn_port_t port, unsigned int vcpu);
void xen_kvm_port_changed(struct xen_domain *dom, evtchn_port_t port);
void xen_kvm_abi_changed(struct xen_domain *dom);

#endif
