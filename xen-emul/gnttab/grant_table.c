// SPDX-License-Identifier: GPL-2.0
/*
 * Grant tables: the frames and the entries in them. The guest's view of frame i is the
 * guest page it placed there with XENMEM_add_to_physmap; before that (and after another
 * frame took its place) the frame lives in a page of the VMM, so entries written then
 * (toolstack grants, a displaced frame) survive placement, as Xen's frames do. A RAM
 * page a frame moves away from keeps a stale copy (Xen leaves no page there).
 *
 * Entries are guest-writable memory. Each is read once into a local copy; the flags and
 * domid are then updated with a 32-bit compare-and-swap (and flags cleared with an atomic
 * AND on the 16-bit field), as Xen does, so a concurrent guest write is never lost.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "vmm/log.h"
#include "xen-emul/gnttab/gnttab_internal.h"

/* The flags and domid of an entry form one little-endian 32-bit word, as in Xen. */
_Static_assert(offsetof(struct grant_entry_v1, flags) == 0, "flags first");
_Static_assert(offsetof(struct grant_entry_v1, domid) == 2, "domid after flags");
_Static_assert(sizeof(struct grant_entry_v1) == 8, "v1 entry is 8 bytes");

/* gfns a guest can place a frame at: Xen's 4-level EPT p2m refuses gfn >= 2^36. */
#define GNTTAB_GFN_LIMIT (1ULL << 36)

int xen_gnttab_init(struct xen_domain *dom)
{
	struct xen_gnttab *gt = calloc(1, sizeof(*gt));
	unsigned int max = dom->cfg.max_grant_frames;
	int rc = -ENOMEM;

	if (!gt)
		return -ENOMEM;
	if (!max)
		max = XEN_GNTTAB_DEFAULT_MAX_FRAMES;
	if (max > XEN_GNTTAB_MAX_FRAMES_LIMIT) {
		rc = -EINVAL;
		goto fail;
	}
	pthread_mutex_init(&gt->lock, NULL);
	gt->version = 1;
	gt->max_frames = max;
	gt->frames = calloc(max, sizeof(*gt->frames));
	gt->active = calloc((size_t)max * GNTTAB_V1_PER_FRAME, sizeof(*gt->active));
	if (!gt->frames || !gt->active)
		goto fail;
	dom->gnttab = gt;
	rc = gnttab_grow(gt, GNTTAB_INITIAL_FRAMES);
	if (rc)
		goto fail;
	return 0;
fail:
	dom->gnttab = NULL;
	free(gt->frames);
	free(gt->active);
	free(gt);
	return rc;
}

void xen_gnttab_destroy(struct xen_domain *dom)
{
	struct xen_gnttab *gt = dom->gnttab;

	if (!gt)
		return;
	for (unsigned int i = 0; i < gt->nr_frames; i++)
		if (!gt->frames[i].guest_owned)
			free(gt->frames[i].page);
	free(gt->frames);
	free(gt->active);
	pthread_mutex_destroy(&gt->lock);
	free(gt);
	dom->gnttab = NULL;
}

static uint8_t *alloc_frame_page(void)
{
	uint8_t *page = aligned_alloc(4096, 4096);

	if (page)
		memset(page, 0, 4096);
	return page;
}

int gnttab_grow(struct xen_gnttab *gt, unsigned int nr)
{
	unsigned int i;

	for (i = gt->nr_frames; i < nr; i++) {
		gt->frames[i].page = alloc_frame_page();
		if (!gt->frames[i].page)
			goto fail;
		gt->frames[i].gfn = GNTTAB_NO_GFN;
	}
	if (nr > gt->nr_frames)
		gt->nr_frames = nr;
	return 0;
fail:
	/* As in Xen, a failed grow leaves the table as it was. */
	while (i-- > gt->nr_frames) {
		free(gt->frames[i].page);
		gt->frames[i].page = NULL;
	}
	return -ENOMEM;
}

/* Frame j sat at the page another frame now takes: keep its entries in a VMM page. */
static void displace_frame(struct gnttab_frame *f, uint8_t *copy)
{
	memcpy(copy, f->page, 4096);
	f->page = copy;
	f->guest_owned = false;
	f->gfn = GNTTAB_NO_GFN;
}

static long place_frame(struct xen_gnttab *gt, unsigned int idx, uint64_t gpfn, uint8_t *host)
{
	struct gnttab_frame *f = &gt->frames[idx];
	uint8_t *spare = NULL;

	if (f->page == host) {
		f->gfn = gpfn;
		return 0;
	}
	for (unsigned int j = 0; j < gt->nr_frames; j++) {
		if (j == idx || gt->frames[j].page != host)
			continue;
		/* Only one frame can sit at a page, so one spare is enough. */
		spare = alloc_frame_page();
		if (!spare)
			return -XEN_ENOMEM;
		displace_frame(&gt->frames[j], spare);
	}
	/* The guest page shows the frame from now on; its old contents are gone. */
	memcpy(host, f->page, 4096);
	if (!f->guest_owned)
		free(f->page);
	f->page = host;
	f->guest_owned = true;
	f->gfn = gpfn;
	return 0;
}

long xen_gnttab_map_frame(struct xen_call *call, uint64_t idx, uint64_t gpfn)
{
	struct xen_gnttab *gt = call->dom->gnttab;
	/* Xen passes the index on as an unsigned int (gnttab_get_shared_frame_mfn). */
	unsigned int i = (unsigned int)idx;
	void *host;
	long rc;

	pthread_mutex_lock(&gt->lock);
	/* Naming a frame past the table grows it, up to the domain's limit. */
	if (i >= gt->nr_frames && (i >= gt->max_frames || gnttab_grow(gt, i + 1))) {
		rc = -XEN_EINVAL;
		goto out;
	}
	if (gpfn >= GNTTAB_GFN_LIMIT) {
		rc = -XEN_EINVAL;
		goto out;
	}
	rc = vm_map_special_page(call->dom->vm, gpfn << 12, &host);
	if (rc) {
		log_once(LOG_WARN, "grant frame %u at gfn %#llx: %s (logged once)", i,
			 (unsigned long long)gpfn, strerror(-(int)rc));
		rc = rc == -EINVAL ? -XEN_EINVAL : -XEN_ENOMEM;
		goto out;
	}
	rc = place_frame(gt, i, gpfn, host);
out:
	pthread_mutex_unlock(&gt->lock);
	return rc;
}

enum gnttab_dom gnttab_lookup_domain(const struct xen_domain *dom, domid_t domid)
{
	if (domid == DOMID_SELF || domid == dom->cfg.domid)
		return GNTTAB_DOM_SELF;
	/* Domain 0 exists (the backends act as it); no other domain does. */
	return domid == 0 ? GNTTAB_DOM_ZERO : GNTTAB_DOM_NONE;
}

static uint8_t *entry_ptr(const struct xen_gnttab *gt, grant_ref_t ref)
{
	return gt->frames[ref / GNTTAB_V1_PER_FRAME].page +
	       (ref % GNTTAB_V1_PER_FRAME) * sizeof(struct grant_entry_v1);
}

int xen_gnttab_seed(struct xen_domain *dom, grant_ref_t ref, domid_t backend, uint64_t gfn)
{
	struct xen_gnttab *gt = dom->gnttab;
	struct grant_entry_v1 e = { .flags = GTF_permit_access, .domid = backend };

	if (ref >= GNTTAB_NR_RESERVED_ENTRIES)
		return -EINVAL;
	if (gfn > UINT32_MAX)
		return -ERANGE;
	e.frame = (uint32_t)gfn;
	pthread_mutex_lock(&gt->lock);
	memcpy(entry_ptr(gt, ref), &e, sizeof(e));
	pthread_mutex_unlock(&gt->lock);
	return 0;
}

/*
 * Sets GTF_reading (and GTF_writing) in the entry after checking it, unless `pinned`
 * (then only GTF_readonly matters, as in Xen). A guest that keeps changing the word
 * gets five tries, then GNTST_general_error: it cannot hold the VMM in a loop.
 */
static int set_status(uint8_t *entry, bool pinned, bool readonly, bool mapping, domid_t ldom)
{
	uint32_t *word = (uint32_t *)entry;
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);

	for (int tries = 0;; tries++) {
		uint16_t flags = (uint16_t)old;
		domid_t domid = (domid_t)(old >> 16);
		uint32_t want = old | GTF_reading | (readonly ? 0 : GTF_writing);

		if (!pinned && ((flags & mask) != GTF_permit_access || domid != ldom))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		if (__atomic_compare_exchange_n(word, &old, want, false, __ATOMIC_SEQ_CST,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
		if (tries == 4)
			return GNTST_general_error;
	}
}

static void clear_flags(uint8_t *entry, uint16_t flags)
{
	uint16_t *f = (uint16_t *)(entry + offsetof(struct grant_entry_v1, flags));

	__atomic_fetch_and(f, (uint16_t)~flags, __ATOMIC_SEQ_CST);
}

/* Drops what the current pins do not need (Xen's reduce_status_for_pin). */
static void reduce_status(struct xen_gnttab *gt, grant_ref_t ref, bool readonly)
{
	const struct gnttab_active *act = &gt->active[ref];
	uint16_t clear = act->readers || act->writers ? 0 : GTF_reading;

	if (!readonly && !act->writers)
		clear |= GTF_writing;
	if (clear)
		clear_flags(entry_ptr(gt, ref), clear);
}

int gnttab_acquire(struct xen_domain *dom, grant_ref_t ref, domid_t ldom, bool readonly,
		   bool mapping, uint64_t *gfn)
{
	struct xen_gnttab *gt = dom->gnttab;
	struct gnttab_active *act;
	uint8_t *entry;
	bool pinned;
	int rc;

	if (ref >= gnttab_nr_entries(gt))
		return GNTST_bad_gntref;
	act = &gt->active[ref];
	entry = entry_ptr(gt, ref);
	pinned = act->readers || act->writers;
	if (pinned &&
	    (act->domid != ldom || (readonly ? act->readers : act->writers) >= GNTTAB_PIN_LIMIT))
		return GNTST_general_error;
	if (!pinned || (!readonly && !act->writers)) {
		rc = set_status(entry, pinned, readonly, mapping, ldom);
		if (rc)
			return rc;
	}
	if (!pinned) {
		/* The frame is read once, after the flags say it is in use. */
		uint32_t frame = __atomic_load_n(
			(uint32_t *)(entry + offsetof(struct grant_entry_v1, frame)),
			__ATOMIC_ACQUIRE);

		if (!guest_mem_is_ram(&dom->vm->mem, (uint64_t)frame << 12, 4096)) {
			reduce_status(gt, ref, readonly);
			return GNTST_bad_page;
		}
		act->domid = ldom;
		act->gfn = frame;
	}
	if (readonly)
		act->readers++;
	else
		act->writers++;
	*gfn = act->gfn;
	return GNTST_okay;
}

void gnttab_release(struct xen_domain *dom, grant_ref_t ref, bool readonly)
{
	struct gnttab_active *act = &dom->gnttab->active[ref];

	if (readonly)
		act->readers--;
	else
		act->writers--;
	reduce_status(dom->gnttab, ref, readonly);
}

int gnttab_swap(struct xen_gnttab *gt, grant_ref_t a, grant_ref_t b)
{
	struct grant_entry_v1 ea, eb;

	if (a >= gnttab_nr_entries(gt) || b >= gnttab_nr_entries(gt))
		return GNTST_bad_gntref;
	if (a == b)
		return GNTST_okay;
	/* A held entry stays where its holder will clear its flags. */
	if (gt->active[a].readers || gt->active[a].writers || gt->active[b].readers ||
	    gt->active[b].writers)
		return GNTST_eagain;
	memcpy(&ea, entry_ptr(gt, a), sizeof(ea));
	memcpy(&eb, entry_ptr(gt, b), sizeof(eb));
	memcpy(entry_ptr(gt, a), &eb, sizeof(eb));
	memcpy(entry_ptr(gt, b), &ea, sizeof(ea));
	return GNTST_okay;
}
