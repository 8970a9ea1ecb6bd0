// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_grant_table_op for an HVM/PVH domU, answered as Xen 4.17 does
 * (common/grant_table.c; arch/x86/hvm/hypercall.c decides which sub-ops an HVM guest may
 * issue at all). The domain ids a guest can name: itself or DOMID_SELF; domain 0, which
 * exists but is not this domain's to inspect (Xen's XSM_TARGET check); nothing else.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#include "xen-emul/gnttab/gnttab_internal.h"

/*
 * The compat (32-bit) layouts of query_size, set_version and get_version are the 64-bit
 * ones. setup_table's is {domid_t dom; uint32_t nr_frames; int16_t status; 32-bit handle
 * of uint32_t frames}, and Xen translates it through its two-page argument area, which
 * bounds the frames a 32-bit caller can ask for.
 */
#define COMPAT_SETUP_NR_FRAMES_OFF 4
#define COMPAT_SETUP_STATUS_OFF 8
#define COMPAT_SETUP_LIST_OFF 12
#define COMPAT_SETUP_SIZE 16
#define COMPAT_SETUP_MAX_FRAMES ((8192 - sizeof(struct gnttab_setup_table)) / sizeof(xen_pfn_t))

static long gnttab_query_size(struct xen_call *call, uint64_t uop, unsigned int count)
{
	struct xen_gnttab *gt = call->dom->gnttab;
	struct gnttab_query_size op;

	if (count != 1)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(call, &op, uop, sizeof(op)))
		return -XEN_EFAULT;
	switch (gnttab_lookup_domain(call->dom, op.dom)) {
	case GNTTAB_DOM_SELF:
		pthread_mutex_lock(&gt->lock);
		op.nr_frames = gt->nr_frames;
		op.max_nr_frames = gt->max_frames;
		pthread_mutex_unlock(&gt->lock);
		op.status = GNTST_okay;
		break;
	case GNTTAB_DOM_ZERO:
		op.status = GNTST_permission_denied;
		break;
	default:
		op.status = GNTST_bad_domain;
		break;
	}
	return xen_copy_to_guest(call, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Reads setup_table's arguments in the caller's layout, with one copy. */
static int read_setup(struct xen_call *call, uint64_t uop, struct gnttab_setup_table *op,
		      uint64_t *list)
{
	uint8_t raw[COMPAT_SETUP_SIZE];
	uint32_t handle;

	if (call->is_64) {
		if (xen_copy_from_guest(call, op, uop, sizeof(*op)))
			return -1;
		*list = (uint64_t)(uintptr_t)op->frame_list.p;
		return 0;
	}
	if (xen_copy_from_guest(call, raw, uop, sizeof(raw)))
		return -1;
	memcpy(&op->dom, raw, sizeof(op->dom));
	memcpy(&op->nr_frames, raw + COMPAT_SETUP_NR_FRAMES_OFF, sizeof(op->nr_frames));
	memcpy(&handle, raw + COMPAT_SETUP_LIST_OFF, sizeof(handle));
	*list = handle;
	return 0;
}

static int16_t setup_frames(struct xen_call *call, struct gnttab_setup_table *op, uint64_t list)
{
	struct xen_gnttab *gt = call->dom->gnttab;
	unsigned int limit = call->is_64 ? UINT32_MAX : COMPAT_SETUP_MAX_FRAMES;
	int16_t status = GNTST_okay;

	pthread_mutex_lock(&gt->lock);
	if (op->nr_frames > gt->max_frames || op->nr_frames > limit ||
	    (op->nr_frames > gt->nr_frames && gnttab_grow(gt, op->nr_frames))) {
		status = GNTST_general_error;
		goto out;
	}
	for (uint32_t i = 0; i < op->nr_frames; i++) {
		uint64_t gfn = gt->frames[i].gfn;
		uint32_t gfn32 = (uint32_t)gfn;
		int bad;

		/* Unplaced frames read as INVALID_GFN, truncated for a 32-bit caller. */
		if (call->is_64)
			bad = xen_copy_to_guest(call, list + 8ULL * i, &gfn, 8);
		else
			bad = xen_copy_to_guest(call, (uint32_t)(list + 4ULL * i), &gfn32, 4);
		if (bad)
			status = GNTST_bad_virt_addr;
	}
out:
	pthread_mutex_unlock(&gt->lock);
	return status;
}

static long gnttab_setup_table(struct xen_call *call, uint64_t uop, unsigned int count)
{
	struct gnttab_setup_table op;
	uint64_t list;
	size_t status_off =
		call->is_64 ? offsetof(struct gnttab_setup_table, status) : COMPAT_SETUP_STATUS_OFF;

	/* The compat path loops over count entries, so 0 does nothing there. */
	if (!call->is_64 && count == 0)
		return 0;
	if (count != 1)
		return -XEN_EINVAL;
	if (read_setup(call, uop, &op, &list))
		return -XEN_EFAULT;
	switch (gnttab_lookup_domain(call->dom, op.dom)) {
	case GNTTAB_DOM_SELF:
		op.status = setup_frames(call, &op, list);
		break;
	case GNTTAB_DOM_ZERO:
		op.status = GNTST_permission_denied;
		break;
	default:
		op.status = GNTST_bad_domain;
		break;
	}
	/* Only the status goes back. */
	if (xen_copy_to_guest(call, uop + status_off, &op.status, sizeof(op.status)))
		return -XEN_EFAULT;
	return 0;
}

/*
 * Version 1 only: Xen answers a request for version 2 with -ENOSYS when the domain's
 * max_grant_version is 1. Setting the current version changes nothing. The version in
 * force is written back in every case.
 */
static long gnttab_set_version(struct xen_call *call, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc;

	if (xen_copy_from_guest(call, &op, uop, sizeof(op)))
		return -XEN_EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -XEN_EINVAL;
	else if (op.version == 2)
		rc = -XEN_ENOSYS;
	else
		rc = 0;
	op.version = call->dom->gnttab->version;
	if (xen_copy_to_guest(call, uop, &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}

static long gnttab_get_version(struct xen_call *call, uint64_t uop)
{
	struct gnttab_get_version op;

	if (xen_copy_from_guest(call, &op, uop, sizeof(op)))
		return -XEN_EFAULT;
	switch (gnttab_lookup_domain(call->dom, op.dom)) {
	case GNTTAB_DOM_SELF:
		break;
	case GNTTAB_DOM_ZERO:
		return -XEN_EPERM;
	default:
		return -XEN_ESRCH;
	}
	op.version = call->dom->gnttab->version;
	return xen_copy_to_guest(call, uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* The layout is the same for 32-bit callers: three 4-byte fields, the last an int16_t. */
static long gnttab_swap_grant_ref(struct xen_call *call, uint64_t uop, unsigned int count)
{
	struct xen_gnttab *gt = call->dom->gnttab;
	unsigned int n = count < XEN_BATCH_OPS ? count : XEN_BATCH_OPS;
	uint64_t size = sizeof(struct gnttab_swap_grant_ref);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t gva = uop + i * size;
		struct gnttab_swap_grant_ref op;

		if (xen_copy_from_guest(call, &op, gva, sizeof(op)))
			return -XEN_EFAULT;
		pthread_mutex_lock(&gt->lock);
		op.status = (int16_t)gnttab_swap(gt, op.ref_a, op.ref_b);
		pthread_mutex_unlock(&gt->lock);
		if (xen_copy_to_guest(call, gva + offsetof(struct gnttab_swap_grant_ref, status),
				      &op.status, sizeof(op.status)))
			return -XEN_EFAULT;
	}
	if (n == count)
		return 0;
	/* As for GNTTABOP_copy: the rest in a continuation. */
	call->args[1] = call->is_64 ? uop + size * n : (uint32_t)(uop + size * n);
	call->args[2] = count - n;
	return xen_call_continue(call);
}

long xen_do_grant_table_op(struct xen_call *call)
{
	/* Xen's hvm_grant_table_op and do_grant_table_op take both as unsigned int. */
	unsigned int cmd = (unsigned int)call->args[0];
	unsigned int count = (unsigned int)call->args[2];
	uint64_t uop = call->args[1];

	if (!call->is_64)
		uop = (uint32_t)uop;
	switch (cmd) {
	case GNTTABOP_query_size:
	case GNTTABOP_setup_table:
	case GNTTABOP_set_version:
	case GNTTABOP_get_version:
	case GNTTABOP_copy:
	case GNTTABOP_swap_grant_ref:
		break;
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
		/* Allowed for HVM guests by Xen; not offered here yet. */
		return -XEN_ENOSYS;
	default:
		/* What hvm_grant_table_op does not let through (transfer, dump_table, ...). */
		return -XEN_ENOSYS;
	}
	if ((int)count < 0)
		return -XEN_EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		return gnttab_query_size(call, uop, count);
	case GNTTABOP_setup_table:
		return gnttab_setup_table(call, uop, count);
	case GNTTABOP_set_version:
		return gnttab_set_version(call, uop);
	case GNTTABOP_get_version:
		return gnttab_get_version(call, uop);
	case GNTTABOP_swap_grant_ref:
		return gnttab_swap_grant_ref(call, uop, count);
	default:
		return gnttab_copy_op(call, uop, count);
	}
}
