// SPDX-License-Identifier: GPL-2.0
/* HYPERVISOR_hvm_op. Params in hvm_params.c; the upcall vector in evtchn_upcall.c. */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>

#include "xen-emul/evtchn.h"
#include "xen-emul/xen.h"

long xen_do_hvm_op(struct xen_call *call)
{
	switch (call->args[0]) {
	case HVMOP_set_evtchn_upcall_vector:
		return xen_evtchn_upcall_vector_op(call, call->args[1]);
	default:
		return -XEN_ENOSYS;
	}
}
