// SPDX-License-Identifier: GPL-2.0
/*
 * GNTTABOP_copy issued by the guest, as Xen 4.17's gnttab_copy(): each op names a source
 * and a destination, either as a grant reference of some domain or (DOMID_SELF only) as
 * one of the caller's own frames. A domU can reach its own grants (an entry granting its
 * own domid) and its own frames; domain 0 has granted it nothing; other domains do not
 * exist. Each op gets its own status; only a fault on the op array ends the call.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#include "xen-emul/gnttab/gnttab_internal.h"

/*
 * The compat layout of struct gnttab_copy: two {uint32_t ref or gmfn; domid_t domid;
 * uint16_t offset} of 8 bytes, then len, flags and status (uint16_t, uint16_t, int16_t),
 * 24 bytes in all.
 */
#define COMPAT_COPY_SIZE 24
#define COMPAT_COPY_PTR_SIZE 8
#define COMPAT_COPY_LEN_OFF 16
#define COMPAT_COPY_STATUS_OFF 20

#define GFN_LIMIT (1ULL << (52 - 12))

struct copy_side {
	bool have_grant;
	grant_ref_t ref;
	uint8_t *page;
};

static void read_compat_ptr(const uint8_t *raw, struct gnttab_copy_ptr *p)
{
	uint32_t u;

	memcpy(&u, raw, 4);
	p->u.gmfn = u; /* ref and gmfn share the field; the flags say which it is */
	memcpy(&p->domid, raw + 4, 2);
	memcpy(&p->offset, raw + 6, 2);
}

static int read_op(struct xen_call *call, uint64_t gva, struct gnttab_copy *op)
{
	uint8_t raw[COMPAT_COPY_SIZE];

	if (call->is_64)
		return xen_copy_from_guest(call, op, gva, sizeof(*op));
	if (xen_copy_from_guest(call, raw, gva, sizeof(raw)))
		return -1;
	read_compat_ptr(raw, &op->source);
	read_compat_ptr(raw + COMPAT_COPY_PTR_SIZE, &op->dest);
	memcpy(&op->len, raw + COMPAT_COPY_LEN_OFF, 2);
	memcpy(&op->flags, raw + COMPAT_COPY_LEN_OFF + 2, 2);
	return 0;
}

/* Which domain a side may name (Xen's gnttab_copy_lock_domain). */
static int16_t check_domain(struct xen_call *call, domid_t domid, bool is_gref)
{
	if (domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied;
	return gnttab_lookup_domain(call->dom, domid) == GNTTAB_DOM_NONE ? GNTST_bad_domain :
									   GNTST_okay;
}

static int16_t claim(struct xen_call *call, const struct gnttab_copy_ptr *p, bool is_gref,
		     bool readonly, struct copy_side *side)
{
	struct xen_domain *dom = call->dom;
	uint64_t gfn = p->u.gmfn;
	int16_t rc;

	if (is_gref) {
		/* Domain 0 has granted this domain nothing: its entries are GTF_invalid. */
		if (gnttab_lookup_domain(dom, p->domid) != GNTTAB_DOM_SELF)
			return GNTST_general_error;
		rc = gnttab_acquire(dom, p->u.ref, dom->cfg.domid, readonly, false, &gfn);
		if (rc)
			return rc;
		side->have_grant = true;
		side->ref = p->u.ref;
	} else if (gfn >= GFN_LIMIT || !guest_mem_is_ram(&dom->vm->mem, gfn << 12, 4096)) {
		return GNTST_bad_page;
	}
	side->page = guest_mem_ptr(&dom->vm->mem, gfn << 12, 4096);
	return GNTST_okay;
}

static void release(struct xen_call *call, struct copy_side *side, bool readonly)
{
	if (side->have_grant)
		gnttab_release(call->dom, side->ref, readonly);
	side->have_grant = false;
}

static int16_t copy_one(struct xen_call *call, const struct gnttab_copy *op)
{
	bool src_gref = op->flags & GNTCOPY_source_gref;
	bool dst_gref = op->flags & GNTCOPY_dest_gref;
	struct copy_side src = { 0 }, dst = { 0 };
	int16_t rc;

	rc = check_domain(call, op->source.domid, src_gref);
	if (!rc)
		rc = check_domain(call, op->dest.domid, dst_gref);
	if (rc)
		return rc;
	pthread_mutex_lock(&call->dom->gnttab->lock);
	rc = claim(call, &op->source, src_gref, true, &src);
	if (!rc)
		rc = claim(call, &op->dest, dst_gref, false, &dst);
	if (rc)
		goto out;
	/* Checked after both sides are claimed, as Xen does; no partial copy. */
	if (op->source.offset + op->len > 4096 || op->dest.offset + op->len > 4096) {
		rc = GNTST_bad_copy_arg;
		goto out;
	}
	/* Source and destination may be the same page. */
	memmove(dst.page + op->dest.offset, src.page + op->source.offset, op->len);
out:
	release(call, &src, true);
	release(call, &dst, false);
	pthread_mutex_unlock(&call->dom->gnttab->lock);
	return rc;
}

/*
 * At most XEN_BATCH_OPS ops an exit; the rest is a continuation with the handle moved on
 * and the count lowered, as do_grant_table_op() does when gnttab_copy() is preempted.
 */
long gnttab_copy_op(struct xen_call *call, uint64_t uop, unsigned int count)
{
	uint64_t size = call->is_64 ? sizeof(struct gnttab_copy) : COMPAT_COPY_SIZE;
	uint64_t status_off =
		call->is_64 ? offsetof(struct gnttab_copy, status) : COMPAT_COPY_STATUS_OFF;
	unsigned int n = count < XEN_BATCH_OPS ? count : XEN_BATCH_OPS;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t gva = uop + size * i;
		struct gnttab_copy op;

		if (!call->is_64)
			gva = (uint32_t)gva;
		if (read_op(call, gva, &op))
			return -XEN_EFAULT;
		op.status = copy_one(call, &op);
		if (xen_copy_to_guest(call, gva + status_off, &op.status, sizeof(op.status)))
			return -XEN_EFAULT;
	}
	if (n == count)
		return 0;
	call->args[1] = call->is_64 ? uop + size * n : (uint32_t)(uop + size * n);
	call->args[2] = count - n;
	return xen_call_continue(call);
}
