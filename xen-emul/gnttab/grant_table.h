/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant tables (v1): the guest's grant frames, GNTTABOP_* for the guest (gnttab_op.c),
 * frame placement with XENMEM_add_to_physmap (grant_table.c), and the backend API that
 * drivers-pv/ uses to reach pages a guest granted (gnttab_backend.c).
 *
 * Backend API. Backends live in the VMM and act as a domain of their own (domain 0 for
 * every backend today): a grant entry must name that domain. As in Xen, taking a grant
 * checks the entry once (GTF_permit_access, not GTF_sub_page for a mapping, domid, and
 * GTF_readonly for writable access) and sets GTF_reading (and GTF_writing for writable
 * access) in the guest's entry with a compare-and-swap; the last release clears them. A
 * guest that revoked an entry (type no longer GTF_permit_access or domid changed) is
 * refused with GNTST_general_error, unless the backend still holds the grant: then, as in
 * Xen, the active pin decides and the entry is not read again. Results are GNTST_* values
 * (0 = GNTST_okay, errors negative), as Xen reports them in a map or copy op's status.
 */
#ifndef XENKVM_XEN_EMUL_GRANT_TABLE_H
#define XENKVM_XEN_EMUL_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

#include "xen-emul/xen.h"

/* Xen's default for a domain's grant frames (opt_max_grant_frames in grant_table.c). */
#define XEN_GNTTAB_DEFAULT_MAX_FRAMES 64
/* The largest --max-grant-frames accepted: 524288 v1 entries. */
#define XEN_GNTTAB_MAX_FRAMES_LIMIT 1024

/* A backend's mapping of one granted page; keep it until xen_gnttab_unmap(). */
struct xen_gnttab_map {
	void *addr; /* the granted page (PROT_READ only when read-only); NULL: not mapped */
	grant_ref_t ref;
	bool readonly;
	uint64_t gfn; /* the frame the entry named when it was taken */
};

/* Called by xen_domain_init()/xen_domain_destroy(). */
int xen_gnttab_init(struct xen_domain *dom);
void xen_gnttab_destroy(struct xen_domain *dom);

/*
 * What the toolstack does before boot (libxc's xc_dom_gnttab_seed): fills reserved entry
 * `ref` (GNTTAB_RESERVED_CONSOLE, GNTTAB_RESERVED_XENSTORE, < GNTTAB_NR_RESERVED_ENTRIES)
 * to grant frame `gfn` to `backend`. Frame 0 keeps it until and after the guest places
 * it. -EINVAL for another ref, -ERANGE for a gfn a v1 entry cannot hold.
 */
int xen_gnttab_seed(struct xen_domain *dom, grant_ref_t ref, domid_t backend, uint64_t gfn);

/* XENMEM_add_to_physmap with XENMAPSPACE_grant_table: frame `idx` at guest frame `gpfn`. */
long xen_gnttab_map_frame(struct xen_call *call, uint64_t idx, uint64_t gpfn);

/*
 * Maps grant `ref` of the guest for backend domain `backend`. On GNTST_okay, map->addr is
 * a private view of the granted page that stays valid until xen_gnttab_unmap(), whatever
 * the guest does to its entry meanwhile.
 */
int xen_gnttab_map(struct xen_domain *dom, domid_t backend, grant_ref_t ref, bool readonly,
		   struct xen_gnttab_map *map);
/* Drops the view (the page is never touched again) and the pin; clears the flags. */
int xen_gnttab_unmap(struct xen_domain *dom, struct xen_gnttab_map *map);

/*
 * Copies `len` bytes at `offset` of the page granted by `ref`: GNTST_bad_copy_arg when
 * offset + len passes the page, otherwise the result of taking the grant (read-only for
 * copy_from, writable for copy_to). Nothing is copied on error.
 */
int xen_gnttab_copy_from(struct xen_domain *dom, domid_t backend, grant_ref_t ref, uint16_t offset,
			 void *dst, uint16_t len);
int xen_gnttab_copy_to(struct xen_domain *dom, domid_t backend, grant_ref_t ref, uint16_t offset,
		       const void *src, uint16_t len);

#endif
