/* SPDX-License-Identifier: GPL-2.0 */
/* HVM params: the guest's HVMOP_set_param/get_param and the VMM's own settings. */
#ifndef XENKVM_XEN_EMUL_HVM_PARAMS_H
#define XENKVM_XEN_EMUL_HVM_PARAMS_H

#include "xen-emul/xen.h"

/* Fills the values Xen gives a new domain (dom->hvm_params). */
void xen_hvm_params_init(struct xen_domain *dom);

/* HVMOP_set_param / HVMOP_get_param with the guest's xen_hvm_param at gva. */
long xen_hvm_param_set_op(struct xen_call *call, uint64_t gva);
long xen_hvm_param_get_op(struct xen_call *call, uint64_t gva);

/*
 * What the toolstack sets for a domain (STORE_PFN, STORE_EVTCHN, CONSOLE_PFN,
 * CONSOLE_EVTCHN, ...): no guest permission rules apply. 0, or -EINVAL for an index
 * outside the param array.
 */
int xen_hvm_param_set_by_vmm(struct xen_domain *dom, unsigned int idx, uint64_t value);

#endif
