// SPDX-License-Identifier: GPL-2.0
/*
 * The backend side of grant tables: what drivers-pv/ calls to reach a page the guest
 * granted. A mapping is a private mmap of the granted page (read-only when the grant is
 * taken read-only, so a stray write faults in the VMM instead of reaching the guest), made
 * after the grant is taken and removed before it is released: once xen_gnttab_unmap()
 * returns, no pointer into the page is left.
 */
#include <string.h>

#include "xen-emul/gnttab/gnttab_internal.h"

int xen_gnttab_map(struct xen_domain *dom, domid_t backend, grant_ref_t ref, bool readonly,
		   struct xen_gnttab_map *map)
{
	struct xen_gnttab *gt = dom->gnttab;
	uint64_t gfn;
	void *addr;
	int rc;

	memset(map, 0, sizeof(*map));
	pthread_mutex_lock(&gt->lock);
	rc = gnttab_acquire(dom, ref, backend, readonly, true, &gfn);
	if (rc)
		goto out;
	addr = guest_mem_map_page(&dom->vm->mem, gfn << 12, !readonly);
	if (!addr) {
		/* Out of host mappings: the guest's entry must not stay marked in use. */
		gnttab_release(dom, ref, readonly);
		rc = GNTST_no_space;
		goto out;
	}
	*map = (struct xen_gnttab_map){
		.addr = addr, .ref = ref, .readonly = readonly, .gfn = gfn
	};
out:
	pthread_mutex_unlock(&gt->lock);
	return rc;
}

int xen_gnttab_unmap(struct xen_domain *dom, struct xen_gnttab_map *map)
{
	struct xen_gnttab *gt = dom->gnttab;

	if (!map->addr)
		return GNTST_bad_handle;
	pthread_mutex_lock(&gt->lock);
	/* The view goes first: the guest may reuse the page as soon as the flags clear. */
	guest_mem_unmap_page(map->addr);
	gnttab_release(dom, map->ref, map->readonly);
	pthread_mutex_unlock(&gt->lock);
	memset(map, 0, sizeof(*map));
	return GNTST_okay;
}

static int backend_copy(struct xen_domain *dom, domid_t backend, grant_ref_t ref, uint16_t offset,
			void *buf, uint16_t len, bool to_guest)
{
	struct xen_gnttab *gt = dom->gnttab;
	uint8_t *page;
	uint64_t gfn;
	int rc;

	/* Bounds first: nothing about the grant changes for a copy that cannot happen. */
	if ((unsigned int)offset + len > 4096)
		return GNTST_bad_copy_arg;
	pthread_mutex_lock(&gt->lock);
	rc = gnttab_acquire(dom, ref, backend, !to_guest, false, &gfn);
	if (rc)
		goto out;
	page = guest_mem_ptr(&dom->vm->mem, gfn << 12, 4096);
	if (to_guest)
		memcpy(page + offset, buf, len);
	else
		memcpy(buf, page + offset, len);
	gnttab_release(dom, ref, !to_guest);
out:
	pthread_mutex_unlock(&gt->lock);
	return rc;
}

int xen_gnttab_copy_from(struct xen_domain *dom, domid_t backend, grant_ref_t ref, uint16_t offset,
			 void *dst, uint16_t len)
{
	return backend_copy(dom, backend, ref, offset, dst, len, false);
}

int xen_gnttab_copy_to(struct xen_domain *dom, domid_t backend, grant_ref_t ref, uint16_t offset,
		       const void *src, uint16_t len)
{
	return backend_copy(dom, backend, ref, offset, (void *)src, len, true);
}
