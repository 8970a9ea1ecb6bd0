/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels: the per-domain port table, the 2-level and FIFO ABIs, upcall delivery,
 * and host ends (ports whose far end is inside the VMM: backends, console, xenstore).
 */
#ifndef XENKVM_XEN_EMUL_EVTCHN_H
#define XENKVM_XEN_EMUL_EVTCHN_H

#include "xen-emul/xen.h"

/* HVMOP_set_evtchn_upcall_vector, with the guest's xen_hvm_evtchn_upcall_vector at gva. */
long xen_evtchn_upcall_vector_op(struct xen_call *call, uint64_t gva);
/* HVM_PARAM_CALLBACK_IRQ was set to `val` (already stored in hvm_params): 0 or -XEN_E*. */
long xen_evtchn_set_callback_irq(struct xen_domain *dom, uint64_t val);

#endif
