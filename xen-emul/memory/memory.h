/* SPDX-License-Identifier: GPL-2.0 */
/* Memory-op pieces shared between memory_op.c and the files it dispatches to. */
#ifndef XENKVM_XEN_EMUL_MEMORY_H
#define XENKVM_XEN_EMUL_MEMORY_H

#include "xen-emul/xen.h"

/*
 * The low bits of the command are the sub-op; Xen keeps a continuation's start extent
 * in the bits above (MEMOP_EXTENT_SHIFT = 6 in Xen's hypercall.h, not a public header).
 */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1u << MEMOP_EXTENT_SHIFT) - 1)

/* 0 when a domU may act on `domid` (itself or DOMID_SELF), else the Xen error. */
long xen_memop_check_domid(struct xen_call *call, domid_t domid);

/*
 * XENMEM_{increase,decrease}_reservation, populate_physmap, current_reservation,
 * maximum_reservation, maximum_gpfn, memory_map (memory_reservation.c). `cmd` is the
 * whole command, start extent included.
 */
long xen_memop_reservation(struct xen_call *call, uint64_t cmd);

/*
 * The domain's memory accounting, as Xen keeps it for a domU (memory_reservation.c):
 * every RAM page counts as populated at creation.
 */
struct xen_memres {
	uint64_t tot_pages; /* domain_tot_pages(): mapped RAM and allocated, unmapped pages */
	uint64_t max_pages; /* d->max_pages */
	uint64_t max_mapped_pfn; /* never decreases, as the p2m's max_mapped_pfn */
	uint64_t nr_pfns; /* pfns below the top of RAM: the bitmap's size */
	uint64_t *released; /* one bit per pfn: a RAM page given back by the guest */
	uint64_t *busy; /* one bit per pfn: its host syscall runs without the lock */
};

/*
 * Toolstack slack libxl adds to a domain's maximum (LIBXL_MAXMEM_CONSTANT, 1 MiB, from
 * libxl__arch_extra_memory() on x86): xc_domain_setmaxmem(target + 1024 KiB).
 */
#define XEN_MAXMEM_SLACK_PAGES 256

int xen_memres_init(struct xen_domain *dom);
/* The gfn holds a page: RAM not given back, or a Xen page the VMM placed there. */
bool xen_memres_pfn_is_mapped(struct xen_domain *dom, uint64_t pfn);
void xen_memres_destroy(struct xen_domain *dom);
/* --stats: the reservation as the guest's XENMEM_current_reservation would see it. */
void xen_memres_log_stats(struct xen_domain *dom);

#endif
