/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State of the FIFO event-channel ABI shared by its two halves: the queue operations
 * (evtchn_fifo.c) and the hypercalls that set it up (evtchn_fifo_control.c). Everything
 * here is under the event-channel lock. The guest's pages (control blocks, event array)
 * are written by the guest at any time: the VMM keeps its own copy of everything it
 * indexes with (queue tails, the number of words) and never follows a guest LINK value.
 */
#ifndef XENKVM_XEN_EMUL_EVTCHN_FIFO_H
#define XENKVM_XEN_EMUL_EVTCHN_FIFO_H

#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/evtchn/evtchn.h"

#define FIFO_PAGE_SIZE 4096u
#define FIFO_WORDS_PER_PAGE (FIFO_PAGE_SIZE / sizeof(event_word_t))
/* Xen's EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES: enough words for every 17-bit port. */
#define FIFO_MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)

struct fifo_vcpu {
	struct evtchn_fifo_control_block *control_block; /* NULL until init_control */
	evtchn_port_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* 0: the queue is empty */
};

/* Per port, kept across close and rebind as Xen keeps it in struct evtchn. */
struct fifo_port {
	bool pending_early; /* raised before its event-array page existed */
	uint8_t last_priority; /* the queue it was last linked on (Xen's fifo_lastq) */
	uint32_t last_vcpu;
};

struct xen_evtchn_fifo {
	struct fifo_vcpu *vcpus; /* dom->nr_vcpus entries */
	struct fifo_port *ports; /* max_port + 1 entries */
	uint32_t nr_words; /* ports with a word: FIFO_WORDS_PER_PAGE per page */
	event_word_t *array[FIFO_MAX_ARRAY_PAGES];
};

extern const struct xen_evtchn_abi xen_evtchn_fifo_abi;

/* The port's event word in the guest's array, NULL when no page holds it yet. */
event_word_t *xen_evtchn_fifo_word(struct xen_evtchn_fifo *f, evtchn_port_t port);

#endif
