// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_hvm_op, answered as Xen 4.17's do_hvm_op() answers a PVH domU on a
 * hardware-assisted-paging host. Params in hvm_params.c; the upcall vector in the event
 * channel code. Ops Xen moved elsewhere (the IRQ-level ops to dm_op, mem_access to
 * XENMEM_access_op) are -ENOSYS, as every unknown op.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>
#include <xen/trace.h>

#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/hvm/hvm_params.h"
#include "xen-emul/memory/memory.h"
#include "xen-emul/time/time.h"
#include "xen-emul/xen.h"

/* A domain id a domU may not act on: -ESRCH when it cannot name a domain, else -EPERM. */
static long other_domain_error(struct xen_call *call, domid_t domid)
{
	if (domid == DOMID_SELF || domid == call->dom->cfg.domid)
		return 0;
	return domid >= DOMID_FIRST_RESERVED ? -XEN_ESRCH : -XEN_EPERM;
}

/*
 * Only shadow-paging domains act on the hint; with hardware-assisted paging Xen answers
 * -EINVAL, and -EOPNOTSUPP for another domain.
 */
static long pagetable_dying(struct xen_call *call)
{
	struct xen_hvm_pagetable_dying a;
	long rc;

	if (xen_copy_from_guest(call, &a, call->args[1], sizeof(a)))
		return -XEN_EFAULT;
	rc = other_domain_error(call, a.domid);
	if (rc == -XEN_EPERM)
		return -XEN_EOPNOTSUPP;
	return rc ? rc : -XEN_EINVAL;
}

/* Xen's NOW(): the system time every vcpu_time_info is written from. */
static long get_time(struct xen_call *call)
{
	struct xen_hvm_get_time t = { .now = xen_system_time(call->dom) };

	return xen_copy_to_guest(call, call->args[1], &t, sizeof(t)) ? -XEN_EFAULT : 0;
}

/* Tracing is never enabled here, but the record is checked as Xen checks it. */
static long xentrace(struct xen_call *call)
{
	struct xen_hvm_xentrace tr;

	if (xen_copy_from_guest(call, &tr, call->args[1], sizeof(tr)))
		return -XEN_EFAULT;
	if (tr.extra_bytes > sizeof(tr.extra) || (tr.event & ~((1u << TRC_SUBCLS_SHIFT) - 1)))
		return -XEN_EINVAL;
	return 0;
}

/* RAM (and Xen's own pages) is ram_rw; holes and released pages are mmio_dm. */
static long get_mem_type(struct xen_call *call)
{
	struct xen_hvm_get_mem_type a;
	long rc;

	if (xen_copy_from_guest(call, &a, call->args[1], sizeof(a)))
		return -XEN_EFAULT;
	rc = other_domain_error(call, a.domid);
	if (rc)
		return rc;
	a.mem_type = xen_memres_pfn_is_mapped(call->dom, a.pfn) ? HVMMEM_ram_rw : HVMMEM_mmio_dm;
	return xen_copy_to_guest(call, call->args[1], &a, sizeof(a)) ? -XEN_EFAULT : 0;
}

long xen_do_hvm_op(struct xen_call *call)
{
	uint64_t arg = call->args[1];

	switch (call->args[0]) {
	case HVMOP_set_evtchn_upcall_vector:
		return xen_evtchn_upcall_vector_op(call, arg);
	case HVMOP_set_param:
		return xen_hvm_param_set_op(call, arg);
	case HVMOP_get_param:
		return xen_hvm_param_get_op(call, arg);
	case HVMOP_flush_tlbs:
		/*
		 * Xen flushes every vCPU's TLB here; this answers as Xen does without the
		 * remote flush (docs/ABI-COVERAGE.md), which guests only use as a shortcut.
		 */
		return arg ? -XEN_EINVAL : 0;
	case HVMOP_get_mem_type:
		return get_mem_type(call);
	case HVMOP_pagetable_dying:
		return pagetable_dying(call);
	case HVMOP_get_time:
		return get_time(call);
	case HVMOP_xentrace:
		return xentrace(call);
	case HVMOP_guest_request_vm_event:
		/* No monitor is ever attached, so the request is dropped. */
		return arg ? -XEN_EINVAL : 0;
	case HVMOP_altp2m:
		/* altp2m needs Xen's "altp2m" boot option, off by default. */
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}
