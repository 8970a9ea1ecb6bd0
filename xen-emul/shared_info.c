// SPDX-License-Identifier: GPL-2.0
/*
 * shared_info. Xen owns the page from domain creation and the guest places it in its
 * physical address space with XENMEM_add_to_physmap(XENMAPSPACE_shared_info, idx 0).
 * Here the content starts in a VMM page and moves to the guest frame the guest picks:
 * the RAM page itself when the frame is RAM (Xen too replaces that RAM page), a new
 * memory slot when it is a hole. vCPUs without a registered vcpu_info use their legacy
 * slot in it (ids below XEN_LEGACY_MAX_VCPUS), wherever it lives.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/shared_info.h"
#include "xen-emul/time/time.h"

/* Points the unregistered vCPUs at their slot in `si` (dom->lock held). */
static void point_legacy_vcpu_info(struct xen_domain *dom, struct shared_info *si)
{
	for (unsigned int i = 0; i < dom->nr_vcpus && i < XEN_LEGACY_MAX_VCPUS; i++) {
		struct xen_vcpu *xv = &dom->vcpus[i];

		if (xv->vcpu_info_registered)
			continue;
		__atomic_store_n(&xv->vcpu_info, &si->vcpu_info[i], __ATOMIC_RELEASE);
		xv->vcpu_info_gpa = dom->shared_info_gfn == UINT64_MAX ?
					    XEN_NO_GPA :
					    (dom->shared_info_gfn << GUEST_PAGE_SHIFT) +
						    offsetof(struct shared_info, vcpu_info[i]);
	}
}

/* Tells the transport where shared_info and the vcpu_info slots in it are now. */
static void tell_transport(struct xen_domain *dom)
{
	xen_accel_shared_info_placed(dom);
	for (unsigned int i = 0; i < dom->nr_vcpus && i < XEN_LEGACY_MAX_VCPUS; i++)
		if (!dom->vcpus[i].vcpu_info_registered)
			xen_accel_vcpu_info_placed(dom, &dom->vcpus[i]);
}

int xen_shared_info_init(struct xen_domain *dom)
{
	dom->shared_info_private = aligned_alloc(GUEST_PAGE_SIZE, GUEST_PAGE_SIZE);
	if (!dom->shared_info_private)
		return -ENOMEM;
	memset(dom->shared_info_private, 0, GUEST_PAGE_SIZE);
	dom->shared_info = dom->shared_info_private;
	dom->shared_info_gfn = UINT64_MAX;
	point_legacy_vcpu_info(dom, dom->shared_info);
	return 0;
}

void xen_shared_info_destroy(struct xen_domain *dom)
{
	free(dom->shared_info_private);
	dom->shared_info_private = NULL;
	dom->shared_info = NULL;
}

long xen_shared_info_map(struct xen_call *call, uint64_t idx, uint64_t gpfn)
{
	struct xen_domain *dom = call->dom;
	void *page;
	int rc;

	if (idx != 0)
		return -XEN_EINVAL; /* there is one shared_info frame */
	if (gpfn >= (1ULL << (52 - GUEST_PAGE_SHIFT)))
		return -XEN_EINVAL;
	rc = vm_map_special_page(dom->vm, gpfn << GUEST_PAGE_SHIFT, &page);
	if (rc)
		return rc == -ENOSPC ? -XEN_ENOMEM : -XEN_EINVAL;
	/*
	 * Event delivery writes into shared_info under the event-channel lock: hold it while
	 * the content moves so that no pending bit lands in the old copy.
	 */
	xen_evtchn_lock(dom);
	pthread_mutex_lock(&dom->lock);
	if (page != dom->shared_info) {
		memcpy(page, dom->shared_info, GUEST_PAGE_SIZE);
		dom->shared_info = page;
		dom->shared_info_gfn = gpfn;
		point_legacy_vcpu_info(dom, page);
	}
	pthread_mutex_unlock(&dom->lock);
	tell_transport(dom);
	xen_evtchn_unlock(dom);
	log_debug("shared_info placed at gfn 0x%llx", (unsigned long long)gpfn);
	xen_time_learn_tsc_offset(call);
	xen_time_resync(dom);
	return 0;
}
