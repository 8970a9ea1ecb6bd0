// SPDX-License-Identifier: MIT
/* The FIFO event-channel ABI for guest tests: see events_fifo.h. */
#include "events_fifo.h"
#include "hypercall.h"

#define MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / KIT_FIFO_WORDS_PER_PAGE)
/* Pages the kit owns: enough for the default limit of 1024 ports and some growth. */
#define KIT_PAGES 4

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY (1u << EVTCHN_FIFO_BUSY)

struct evtchn_fifo_control_block *kit_fifo_control_block;
unsigned int kit_fifo_pages;

static uint8_t control_page[4096] __attribute__((aligned(4096)));
static uint8_t array_pages[KIT_PAGES][4096] __attribute__((aligned(4096)));
static event_word_t *event_array[MAX_PAGES];
/* Linux's per-CPU queue heads: where each queue continues after the last event taken. */
static evtchn_port_t local_head[EVTCHN_FIFO_MAX_QUEUES];

event_word_t *kit_fifo_word(evtchn_port_t port)
{
	return event_array[port / KIT_FIFO_WORDS_PER_PAGE] + port % KIT_FIFO_WORDS_PER_PAGE;
}

static event_word_t clear_linked(volatile event_word_t *word)
{
	event_word_t w = *word, old;

	do {
		old = w;
		w = __sync_val_compare_and_swap(word, old,
						old & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK));
	} while (w != old);
	return w & EVTCHN_FIFO_LINK_MASK;
}

/* Linux's consume_one_event: take the queue's next port; ack (clear PENDING) and count. */
static void consume_one(unsigned int prio, uint32_t *ready)
{
	evtchn_port_t port = local_head[prio];
	evtchn_port_t next;

	if (!port)
		port = __atomic_load_n(&kit_fifo_control_block->head[prio], __ATOMIC_SEQ_CST);
	next = clear_linked(kit_fifo_word(port));
	if (!next)
		*ready &= ~(1u << prio);
	if (kit_fifo_is_pending(port) && !kit_fifo_is_masked(port)) {
		kit_fifo_clear_pending(port);
		if (port < KIT_MAX_COUNTED_PORTS)
			kit_event_count[port]++;
		if (kit_event_hook)
			kit_event_hook(port);
	}
	local_head[prio] = next;
}

static void on_upcall(struct kit_regs *regs)
{
	struct vcpu_info *vi = &kit_shared_info->vcpu_info[0];

	kit_upcalls++;
	do {
		uint32_t ready;

		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		ready = __atomic_exchange_n(&kit_fifo_control_block->ready, 0, __ATOMIC_SEQ_CST);
		while (ready) {
			consume_one(__builtin_ctz(ready), &ready);
			ready |= __atomic_exchange_n(&kit_fifo_control_block->ready, 0,
						     __ATOMIC_SEQ_CST);
		}
	} while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
	kit_apic_eoi();
}

long kit_fifo_init(void)
{
	struct evtchn_init_control ic = {
		.control_gfn = (uint64_t)(uintptr_t)control_page >> 12,
		.offset = 0,
		.vcpu = 0,
	};
	long rc;

	memset(control_page, 0, sizeof(control_page));
	memset(local_head, 0, sizeof(local_head));
	kit_fifo_pages = 0;
	rc = evtchn_op(EVTCHNOP_init_control, &ic);
	if (rc)
		return rc;
	if (ic.link_bits != EVTCHN_FIFO_LINK_BITS)
		return -1000 - ic.link_bits;
	kit_fifo_control_block = (struct evtchn_fifo_control_block *)control_page;
	kit_set_irq_handler(KIT_UPCALL_VECTOR, on_upcall);
	return 0;
}

long kit_fifo_expand(void *page)
{
	struct evtchn_expand_array ea = { .array_gfn = (uint64_t)(uintptr_t)page >> 12 };
	event_word_t *w = page;
	long rc;

	for (unsigned int i = 0; i < KIT_FIFO_WORDS_PER_PAGE; i++)
		w[i] = W_MASKED;
	/* Past Xen's limit the call must fail: nothing to record then. */
	if (kit_fifo_pages < MAX_PAGES)
		event_array[kit_fifo_pages] = w;
	rc = evtchn_op(EVTCHNOP_expand_array, &ea);
	if (!rc)
		kit_fifo_pages++;
	return rc;
}

long kit_fifo_setup_port(evtchn_port_t port)
{
	while (port >= kit_fifo_pages * KIT_FIFO_WORDS_PER_PAGE) {
		long rc;

		if (kit_fifo_pages >= KIT_PAGES)
			return -XEN_ENOMEM;
		rc = kit_fifo_expand(array_pages[kit_fifo_pages]);
		if (rc)
			return rc;
	}
	return 0;
}

void kit_fifo_mask(evtchn_port_t port)
{
	__atomic_fetch_or(kit_fifo_word(port), W_MASKED, __ATOMIC_SEQ_CST);
}

/* Linux's clear_masked_cond(): true when MASKED is clear (or was cleared by us). */
static bool clear_masked_cond(volatile event_word_t *word)
{
	event_word_t w = *word, old;

	do {
		if (!(w & W_MASKED))
			return true;
		if (w & W_PENDING)
			return false;
		old = w & ~W_BUSY;
		w = __sync_val_compare_and_swap(word, old, old & ~W_MASKED);
	} while (w != old);
	return true;
}

void kit_fifo_unmask(evtchn_port_t port)
{
	if (!clear_masked_cond(kit_fifo_word(port)))
		kit_unmask(port);
}

bool kit_fifo_is_pending(evtchn_port_t port)
{
	return __atomic_load_n(kit_fifo_word(port), __ATOMIC_SEQ_CST) & W_PENDING;
}

bool kit_fifo_is_masked(evtchn_port_t port)
{
	return __atomic_load_n(kit_fifo_word(port), __ATOMIC_SEQ_CST) & W_MASKED;
}

bool kit_fifo_is_linked(evtchn_port_t port)
{
	return __atomic_load_n(kit_fifo_word(port), __ATOMIC_SEQ_CST) & W_LINKED;
}

void kit_fifo_clear_pending(evtchn_port_t port)
{
	__atomic_fetch_and(kit_fifo_word(port), ~W_PENDING, __ATOMIC_SEQ_CST);
}
