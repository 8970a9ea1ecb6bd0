// SPDX-License-Identifier: GPL-2.0
/*
 * Setting up the FIFO event-channel ABI, with Xen 4.17's checks and errors
 * (common/event_fifo.c, common/event_channel.c): EVTCHNOP_init_control registers a
 * vCPU's control block and, the first time, switches the domain from 2-level to FIFO;
 * EVTCHNOP_expand_array adds a page of event words; EVTCHNOP_set_priority picks a port's
 * queue. EVTCHNOP_reset (evtchn_op.c) goes back to 2-level through
 * xen_evtchn_fifo_destroy().
 */
#include <stdint.h>
#include <stdlib.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn_fifo.h"

/* Guest frames above 2^52 bytes do not exist; checked before shifting so none wraps. */
#define MAX_GFN (1ULL << (52 - 12))

/*
 * A guest frame the FIFO ABI writes into: RAM or a Xen frame the guest placed in a hole
 * (Xen's get_page_from_gfn). Such pages stay mapped for the VM's life, so the pointer
 * stays valid as long as the ABI uses it.
 */
static long map_frame(struct xen_domain *dom, uint64_t gfn, void **page)
{
	if (gfn >= MAX_GFN)
		return -XEN_EINVAL;
	*page = guest_mem_ptr(&dom->vm->mem, gfn << 12, FIFO_PAGE_SIZE);
	return *page ? 0 : -XEN_EINVAL;
}

static void free_fifo(struct xen_evtchn_fifo *f)
{
	if (!f)
		return;
	free(f->vcpus);
	free(f->ports);
	free(f);
}

static struct xen_evtchn_fifo *alloc_fifo(struct xen_domain *dom)
{
	struct xen_evtchn_fifo *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->vcpus = calloc(dom->nr_vcpus, sizeof(*f->vcpus));
	f->ports = calloc(dom->evtchn->max_port + 1, sizeof(*f->ports));
	if (!f->vcpus || !f->ports) {
		free_fifo(f);
		return NULL;
	}
	for (uint32_t p = 0; p <= dom->evtchn->max_port; p++)
		f->ports[p].last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	return f;
}

/*
 * Xen's setup_ports(): ports bound under 2-level keep their pending state (it is raised
 * once their event-array page exists) and get the default priority. Their mask does not
 * carry over: the guest masks every word of a page before adding it, as Linux does.
 */
static void carry_over_ports(struct xen_domain *dom, const struct xen_evtchn_abi *prev)
{
	struct xen_evtchn *ev = dom->evtchn;

	for (evtchn_port_t p = 1; p <= ev->max_port && p < prev->max_ports; p++) {
		if (ev->ports[p].state == EVTCHNSTAT_closed)
			continue;
		ev->fifo->ports[p].pending_early = prev->is_pending(dom, p);
		ev->ports[p].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
}

/* The first control block: an empty event array and the FIFO port operations. */
static long switch_to_fifo(struct xen_domain *dom)
{
	struct xen_evtchn *ev = dom->evtchn;
	const struct xen_evtchn_abi *prev = ev->abi;

	ev->fifo = alloc_fifo(dom);
	if (!ev->fifo)
		return -XEN_ENOMEM;
	ev->abi = &xen_evtchn_fifo_abi;
	carry_over_ports(dom, prev);
	xen_accel_abi_changed(dom);
	log_debug("event channels: FIFO ABI");
	return 0;
}

long xen_evtchn_fifo_init_control(struct xen_call *call, struct evtchn_init_control *ic)
{
	struct xen_domain *dom = call->dom;
	struct xen_evtchn *ev = dom->evtchn;
	bool first = !ev->fifo;
	void *page;
	long rc;

	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (ic->vcpu >= dom->nr_vcpus)
		return -XEN_ENOENT;
	/* The block must not cross the page, and Xen wants it 8-byte aligned. */
	if (ic->offset > FIFO_PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) ||
	    ic->offset & 7)
		return -XEN_EINVAL;
	if (!first && ev->fifo->vcpus[ic->vcpu].control_block)
		return -XEN_EINVAL;
	rc = map_frame(dom, ic->control_gfn, &page);
	if (rc)
		return rc;
	if (first) {
		rc = switch_to_fifo(dom);
		if (rc)
			return rc;
	}
	ev->fifo->vcpus[ic->vcpu].control_block =
		(struct evtchn_fifo_control_block *)((uint8_t *)page + ic->offset);
	return 0;
}

/* Events raised while their page was missing are raised now (add_page_to_event_array). */
static void raise_early_events(struct xen_domain *dom, evtchn_port_t from, evtchn_port_t to)
{
	struct xen_evtchn *ev = dom->evtchn;

	for (evtchn_port_t p = from; p < to && p <= ev->max_port; p++) {
		if (!ev->fifo->ports[p].pending_early)
			continue;
		ev->fifo->ports[p].pending_early = false;
		xen_evtchn_set_pending(dom, p);
	}
}

long xen_evtchn_fifo_expand_array(struct xen_call *call, struct evtchn_expand_array *ea)
{
	struct xen_domain *dom = call->dom;
	struct xen_evtchn_fifo *f = dom->evtchn->fifo;
	uint32_t first_new;
	void *page;
	long rc;

	if (!f)
		return -XEN_EOPNOTSUPP;
	if (f->nr_words / FIFO_WORDS_PER_PAGE >= FIFO_MAX_ARRAY_PAGES)
		return -XEN_ENOSPC;
	rc = map_frame(dom, ea->array_gfn, &page);
	if (rc)
		return rc;
	first_new = f->nr_words;
	f->array[first_new / FIFO_WORDS_PER_PAGE] = page;
	f->nr_words += FIFO_WORDS_PER_PAGE;
	raise_early_events(dom, first_new, f->nr_words);
	return 0;
}

long xen_evtchn_fifo_set_priority(struct xen_domain *dom, struct evtchn_set_priority *sp)
{
	struct xen_evtchn_port *e = xen_evtchn_port(dom, sp->port);

	if (!e)
		return -XEN_EINVAL;
	if (!dom->evtchn->fifo)
		return -XEN_ENOSYS; /* 2-level has no priorities */
	if (sp->priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	/* Events already queued stay where they are; the next link uses the new queue. */
	e->priority = (uint8_t)sp->priority;
	return 0;
}

void xen_evtchn_fifo_destroy(struct xen_domain *dom)
{
	struct xen_evtchn *ev = dom->evtchn;

	free_fifo(ev->fifo);
	ev->fifo = NULL;
	if (ev->abi != &xen_evtchn_2l_abi) {
		ev->abi = &xen_evtchn_2l_abi;
		xen_accel_abi_changed(dom);
	}
}
