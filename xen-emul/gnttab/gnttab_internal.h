/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The grant table's state, shared by grant_table.c (frames, taking and releasing a grant),
 * gnttab_op.c (the guest's GNTTABOP_*) and gnttab_backend.c (the backend API).
 */
#ifndef XENKVM_XEN_EMUL_GNTTAB_INTERNAL_H
#define XENKVM_XEN_EMUL_GNTTAB_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

#include "xen-emul/gnttab/grant_table.h"

/* Frames a domain starts with (INITIAL_NR_GRANT_FRAMES in Xen's asm/grant_table.h). */
#define GNTTAB_INITIAL_FRAMES 1
#define GNTTAB_V1_PER_FRAME (4096 / sizeof(struct grant_entry_v1))
/* The gfn Xen reports for a frame the guest has not placed (INVALID_GFN). */
#define GNTTAB_NO_GFN (~0ULL)
/* A pin counter at this value refuses more pins (Xen's 8-bit counters, top bit). */
#define GNTTAB_PIN_LIMIT 0x80

struct gnttab_frame {
	/*
	 * The frame's contents: the guest page where the guest placed it (guest_owned), or
	 * the VMM's own page before that and after another frame displaced it. Never NULL
	 * for a frame below nr_frames.
	 */
	uint8_t *page;
	bool guest_owned;
	uint64_t gfn; /* GNTTAB_NO_GFN while not placed */
};

/* Who holds a grant (Xen's active entry): pins by mappings and copies in flight. */
struct gnttab_active {
	uint8_t readers; /* read-only pins */
	uint8_t writers; /* writable pins */
	domid_t domid; /* the holder, valid while pinned */
	uint64_t gfn; /* the granted frame, read from the entry by the first pin */
};

struct xen_gnttab {
	pthread_mutex_t lock; /* guards everything below and the pins */
	unsigned int version; /* 1: the only version offered (v2 answers -ENOSYS) */
	unsigned int nr_frames;
	unsigned int max_frames;
	struct gnttab_frame *frames; /* max_frames */
	struct gnttab_active *active; /* max_frames * GNTTAB_V1_PER_FRAME */
};

static inline uint32_t gnttab_nr_entries(const struct xen_gnttab *gt)
{
	return gt->nr_frames * GNTTAB_V1_PER_FRAME;
}

/* Grows the table to nr frames (<= max_frames); -ENOMEM. Caller holds the lock. */
int gnttab_grow(struct xen_gnttab *gt, unsigned int nr);

/*
 * Takes grant `ref` for domain `ldom` as Xen's map and copy do: GNTST_bad_gntref past the
 * table, GNTST_general_error for a wrong type, domid, GTF_readonly for writable access,
 * GTF_sub_page for a mapping, a counter overflow or an entry the guest keeps changing;
 * GNTST_bad_page when the entry names no guest RAM. On GNTST_okay *gfn is the frame.
 * Caller holds the lock.
 */
int gnttab_acquire(struct xen_domain *dom, grant_ref_t ref, domid_t ldom, bool readonly,
		   bool mapping, uint64_t *gfn);
/* Undoes one gnttab_acquire(): drops the pin, clears GTF_writing/GTF_reading as Xen does. */
void gnttab_release(struct xen_domain *dom, grant_ref_t ref, bool readonly);

/*
 * GNTTABOP_swap_grant_ref of one pair: GNTST_bad_gntref past the table, GNTST_eagain
 * while either entry is held. Caller holds the lock.
 */
int gnttab_swap(struct xen_gnttab *gt, grant_ref_t a, grant_ref_t b);

/* The lookup of a domain id for grant ops (see gnttab_op.c). */
enum gnttab_dom { GNTTAB_DOM_SELF, GNTTAB_DOM_ZERO, GNTTAB_DOM_NONE };
enum gnttab_dom gnttab_lookup_domain(const struct xen_domain *dom, domid_t domid);

/* GNTTABOP_copy issued by the guest (gnttab_copy.c). */
long gnttab_copy_op(struct xen_call *call, uint64_t uop, unsigned int count);

#endif
