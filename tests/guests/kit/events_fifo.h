/* SPDX-License-Identifier: MIT */
/*
 * The FIFO event-channel ABI for guest tests, done the way Linux's
 * drivers/xen/events/events_fifo.c does it: a zeroed control block for vCPU 0
 * (EVTCHNOP_init_control), event-array pages added with every word MASKED
 * (EVTCHNOP_expand_array) as ports need them, an upcall handler that takes the READY
 * word, walks each ready queue from HEAD by clearing LINKED and following LINK, and
 * dispatches the pending and unmasked ports into kit_event_count / kit_event_hook
 * (events.h). Call kit_events_init() first; after EVTCHNOP_reset call it again to get
 * the 2-level handler back.
 */
#ifndef KIT_EVENTS_FIFO_H
#define KIT_EVENTS_FIFO_H

#include "events.h"

#define KIT_FIFO_WORDS_PER_PAGE (4096 / sizeof(event_word_t))

extern struct evtchn_fifo_control_block *kit_fifo_control_block;
/* Pages in the event array so far (Linux's event_array_pages). */
extern unsigned int kit_fifo_pages;

/* init_control for vCPU 0 on the kit's page (cleared first) and the FIFO handler. */
long kit_fifo_init(void);
/* Adds event-array pages until `port` has a word (Linux's evtchn_fifo_setup). */
long kit_fifo_setup_port(evtchn_port_t port);
/* Adds one page of the given frame, every word masked first: the raw expand_array. */
long kit_fifo_expand(void *page);

event_word_t *kit_fifo_word(evtchn_port_t port);
void kit_fifo_mask(evtchn_port_t port);
/* Linux: clear MASKED unless PENDING (honouring BUSY); else EVTCHNOP_unmask. */
void kit_fifo_unmask(evtchn_port_t port);
bool kit_fifo_is_pending(evtchn_port_t port);
bool kit_fifo_is_masked(evtchn_port_t port);
bool kit_fifo_is_linked(evtchn_port_t port);
void kit_fifo_clear_pending(evtchn_port_t port);

#endif
