// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_memory_op: sub-op dispatch. XENMEM_add_to_physmap places Xen-owned frames
 * (shared_info here, grant frames in grant_table.c); the reservation and memory-map
 * sub-ops live in memory_reservation.c.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/memory.h>

#include "xen-emul/gnttab/grant_table.h"
#include "xen-emul/memory/memory.h"
#include "xen-emul/shared_info.h"
#include "xen-emul/xen.h"

/* A domU may name itself or DOMID_SELF; Xen refuses it any other domain. */
long xen_memop_check_domid(struct xen_call *call, domid_t domid)
{
	if (domid == DOMID_SELF || domid == call->dom->cfg.domid)
		return 0;
	return domid >= DOMID_FIRST_RESERVED ? -XEN_EINVAL : -XEN_EPERM;
}

/*
 * The 32-bit layout (Xen translates it in compat/memory.c): domid_t domid, uint16_t size,
 * unsigned int space, then idx and gpfn as 4-byte longs.
 */
struct compat_add_to_physmap {
	domid_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

static int read_xatp(struct xen_call *call, struct xen_add_to_physmap *xatp)
{
	struct compat_add_to_physmap c;

	if (call->is_64)
		return xen_copy_from_guest(call, xatp, call->args[1], sizeof(*xatp));
	if (xen_copy_from_guest(call, &c, (uint32_t)call->args[1], sizeof(c)))
		return -1;
	*xatp = (struct xen_add_to_physmap){
		.domid = c.domid, .size = c.size, .space = c.space, .idx = c.idx, .gpfn = c.gpfn
	};
	return 0;
}

static long add_to_physmap(struct xen_call *call)
{
	struct xen_add_to_physmap xatp;
	long rc;

	if (read_xatp(call, &xatp))
		return -XEN_EFAULT;
	rc = xen_memop_check_domid(call, xatp.domid);
	if (rc)
		return rc;
	switch (xatp.space) {
	case XENMAPSPACE_shared_info:
		return xen_shared_info_map(call, xatp.idx, xatp.gpfn);
	case XENMAPSPACE_grant_table:
		return xen_gnttab_map_frame(call, xatp.idx, xatp.gpfn);
	default:
		/* gmfn, gmfn_range, foreign and dev_mmio are not offered. */
		return -XEN_ENOSYS;
	}
}

/*
 * XENMEM_get_vnumainfo, as Xen's memory.c checks it: no continuation, the struct readable,
 * pad zero, the caller's own domain; then -EOPNOTSUPP, since a domain built without a
 * vNUMA topology (all of ours) has none to report. The layout is the same for 32- and
 * 64-bit callers (the handles sit in 64-bit unions).
 */
static long get_vnumainfo(struct xen_call *call)
{
	struct xen_vnuma_topology_info topo;

	if (call->args[0] >> MEMOP_EXTENT_SHIFT)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(call, &topo, call->args[1], sizeof(topo)))
		return -XEN_EFAULT;
	if (topo.pad)
		return -XEN_EINVAL;
	if (topo.domid != DOMID_SELF && topo.domid != call->dom->cfg.domid)
		return topo.domid >= DOMID_FIRST_RESERVED ? -XEN_ESRCH : -XEN_EPERM;
	return -XEN_EOPNOTSUPP;
}

long xen_do_memory_op(struct xen_call *call)
{
	switch (call->args[0] & MEMOP_CMD_MASK) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(call);
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
	case XENMEM_memory_map:
		return xen_memop_reservation(call, call->args[0]);
	case XENMEM_get_vnumainfo:
		return get_vnumainfo(call);
	case XENMEM_machine_memory_map:
	case XENMEM_machphys_mapping:
		/* Refused to HVM guests before anything else (arch/x86/hvm/hypercall.c). */
		return -XEN_ENOSYS;
	default:
		return -XEN_ENOSYS;
	}
}
