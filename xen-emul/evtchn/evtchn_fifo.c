// SPDX-License-Identifier: GPL-2.0
/*
 * The FIFO event-channel ABI's port operations (xen/event_channel.h, Xen 4.17's
 * common/event_fifo.c): an event word per port in guest pages, one queue per vCPU and
 * priority threaded through the words' LINK fields, the head of each queue and a READY
 * bit per priority in the vCPU's control block. The VMM appends at the tail, which it
 * remembers itself; the guest consumes from the head. Both sides change the words at
 * once, so every change the VMM makes is an atomic operation on the guest's word.
 */
#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/evtchn/evtchn_fifo.h"

#define BIT(n) ((event_word_t)1 << (n))
#define PENDING BIT(EVTCHN_FIFO_PENDING)
#define MASKED BIT(EVTCHN_FIFO_MASKED)
#define LINKED BIT(EVTCHN_FIFO_LINKED)
#define BUSY BIT(EVTCHN_FIFO_BUSY)

/* How often to retry linking a tail whose word the guest keeps changing (as Xen). */
#define LINK_TRIES 4

event_word_t *xen_evtchn_fifo_word(struct xen_evtchn_fifo *f, evtchn_port_t port)
{
	if (port >= f->nr_words)
		return NULL;
	return f->array[port / FIFO_WORDS_PER_PAGE] + port % FIFO_WORDS_PER_PAGE;
}

static event_word_t *word_of(struct xen_domain *dom, evtchn_port_t port)
{
	return xen_evtchn_fifo_word(dom->evtchn->fifo, port);
}

static bool test_and_set(event_word_t *word, event_word_t bit)
{
	return __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test(event_word_t *word, event_word_t bit)
{
	return __atomic_load_n(word, __ATOMIC_SEQ_CST) & bit;
}

/*
 * Sets the tail's LINK to `port` if the tail is still LINKED: 1 done, 0 the guest has
 * already unlinked it (the queue is empty), -1 the word changed under us (*w reloaded).
 */
static int try_link(event_word_t *word, event_word_t *w, evtchn_port_t port)
{
	event_word_t want;

	if (!(*w & LINKED))
		return 0;
	want = (*w & ~(BUSY | EVTCHN_FIFO_LINK_MASK)) | port;
	return __atomic_compare_exchange_n(word, w, want, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST) ?
		       1 :
		       -1;
}

/*
 * The guest may only set or clear MASKED, clear PENDING or unlink a LINKED word. BUSY
 * keeps a well-behaved guest from unmasking (Linux spins on it), so the compare-and-swap
 * fails a bounded number of times; a guest that defeats even that loses the event, as
 * on Xen, and the VMM moves on.
 */
static bool link_tail(event_word_t *tail, evtchn_port_t port)
{
	event_word_t w = __atomic_load_n(tail, __ATOMIC_SEQ_CST);
	int rc = try_link(tail, &w, port);

	if (rc >= 0)
		return rc;
	__atomic_fetch_or(tail, BUSY, __ATOMIC_SEQ_CST);
	w = __atomic_load_n(tail, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < LINK_TRIES; i++) {
		rc = try_link(tail, &w, port);
		if (rc > 0)
			return true;
		if (rc == 0)
			break;
	}
	__atomic_fetch_and(tail, ~BUSY, __ATOMIC_SEQ_CST);
	return rc != 0;
}

static unsigned int queue_priority(const struct xen_evtchn_port *e)
{
	return e->priority <= EVTCHN_FIFO_PRIORITY_MIN ? e->priority : EVTCHN_FIFO_PRIORITY_DEFAULT;
}

/*
 * Appends `port` (its LINKED bit just set by us) to queue `prio` of vCPU `vcpu`. A port
 * that moved (bind_vcpu, set_priority) leaves its old queue here: if it was that queue's
 * tail, the old tail is forgotten so that a later event there does not link onto a word
 * that now belongs to another queue. Returns true when it went behind a linked tail,
 * false when it starts the queue (HEAD written).
 */
static bool enqueue(struct xen_domain *dom, evtchn_port_t port, unsigned int vcpu,
		    unsigned int prio)
{
	struct xen_evtchn_fifo *f = dom->evtchn->fifo;
	struct fifo_port *fp = &f->ports[port];
	struct fifo_vcpu *v = &f->vcpus[vcpu];
	evtchn_port_t *old_tail = &f->vcpus[fp->last_vcpu].tail[fp->last_priority];
	event_word_t *tail_word;
	bool linked = false;

	if (*old_tail == port)
		*old_tail = 0;
	fp->last_vcpu = vcpu;
	fp->last_priority = (uint8_t)prio;
	tail_word = v->tail[prio] && v->tail[prio] != port ? word_of(dom, v->tail[prio]) : NULL;
	if (tail_word)
		linked = link_tail(tail_word, port);
	if (!linked)
		__atomic_store_n(&v->control_block->head[prio], port, __ATOMIC_SEQ_CST);
	v->tail[prio] = port;
	return linked;
}

static void fifo_set_pending(struct xen_domain *dom, evtchn_port_t port)
{
	struct xen_evtchn_port *e = &dom->evtchn->ports[port];
	struct fifo_vcpu *v = &dom->evtchn->fifo->vcpus[e->vcpu];
	event_word_t *word = word_of(dom, port);
	unsigned int prio = queue_priority(e);

	if (!word) {
		/* Raised again when expand_array adds its page. */
		dom->evtchn->fifo->ports[port].pending_early = true;
		return;
	}
	/* The guest must not unmask before its control block exists: Xen drops these. */
	if (!v->control_block)
		return;
	test_and_set(word, PENDING);
	if (test(word, MASKED) || test_and_set(word, LINKED))
		return;
	if (enqueue(dom, port, e->vcpu, prio))
		return;
	if (!(__atomic_fetch_or(&v->control_block->ready, 1u << prio, __ATOMIC_SEQ_CST) &
	      (1u << prio)))
		xen_evtchn_vcpu_notify(dom, e->vcpu);
}

/* Only PENDING: the guest unlinks and skips events that are no longer pending. */
static void fifo_clear_pending(struct xen_domain *dom, evtchn_port_t port)
{
	event_word_t *word = word_of(dom, port);

	dom->evtchn->fifo->ports[port].pending_early = false;
	if (word)
		__atomic_fetch_and(word, ~PENDING, __ATOMIC_SEQ_CST);
}

static void fifo_unmask(struct xen_domain *dom, evtchn_port_t port)
{
	event_word_t *word = word_of(dom, port);

	if (!word)
		return;
	__atomic_fetch_and(word, ~MASKED, __ATOMIC_SEQ_CST);
	if (test(word, PENDING))
		fifo_set_pending(dom, port);
}

static bool fifo_is_pending(struct xen_domain *dom, evtchn_port_t port)
{
	event_word_t *word = word_of(dom, port);

	return word && test(word, PENDING);
}

/* A port without a word cannot be delivered: it counts as masked (Xen). */
static bool fifo_is_masked(struct xen_domain *dom, evtchn_port_t port)
{
	event_word_t *word = word_of(dom, port);

	return !word || test(word, MASKED);
}

/* Still on a queue in the guest: Xen does not hand such a port out again. */
static bool fifo_is_busy(struct xen_domain *dom, evtchn_port_t port)
{
	event_word_t *word = word_of(dom, port);

	return word && test(word, LINKED);
}

/* The port moves on its next link: enqueue() leaves the last queue then. */
static void fifo_bind_vcpu(struct xen_domain *dom, evtchn_port_t port)
{
}

const struct xen_evtchn_abi xen_evtchn_fifo_abi = {
	.name = "FIFO",
	.max_ports = EVTCHN_FIFO_NR_CHANNELS,
	.set_pending = fifo_set_pending,
	.clear_pending = fifo_clear_pending,
	.unmask = fifo_unmask,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.is_busy = fifo_is_busy,
	.bind_vcpu = fifo_bind_vcpu,
};
