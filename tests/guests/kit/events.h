/* SPDX-License-Identifier: MIT */
/*
 * Event-channel helpers for guest tests: place shared_info, take upcalls on a vector
 * (HVMOP_set_evtchn_upcall_vector) and dispatch pending ports the way Linux's 2-level
 * handler does, the EVTCHNOP wrappers, and reading Xen system time from the pvclock.
 */
#ifndef KIT_EVENTS_H
#define KIT_EVENTS_H

#include "kit.h"

#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

#define KIT_UPCALL_VECTOR 0xf3
#define KIT_MAX_COUNTED_PORTS 1024

extern struct shared_info *kit_shared_info;
/* Per-port count of events the upcall handler dispatched, and the number of upcalls. */
extern volatile uint32_t kit_event_count[KIT_MAX_COUNTED_PORTS];
extern volatile uint32_t kit_upcalls;
/* Called for each dispatched port (may be NULL). */
extern void (*kit_event_hook)(evtchn_port_t port);

/* Places shared_info at the guest frame `gfn` (0: a page of the kit's own). */
long kit_map_shared_info(uint64_t gfn);
/* kit_map_shared_info(0), the upcall vector for vCPU 0, and the dispatcher. */
void kit_events_init(void);

long evtchn_op(int cmd, void *arg);
long kit_alloc_unbound(domid_t remote, evtchn_port_t *port);
long kit_bind_loopback(evtchn_port_t remote_port, evtchn_port_t *local);
long kit_send(evtchn_port_t port);
long kit_close(evtchn_port_t port);
long kit_unmask(evtchn_port_t port);
void kit_mask(evtchn_port_t port);
bool kit_is_pending(evtchn_port_t port);
void kit_clear_pending(evtchn_port_t port);

/*
 * Waits with interrupts on until `cond` holds or `us` microseconds of Xen system time
 * pass. A plain spin: `pause` can exit to the hypervisor, which makes long loops slow.
 */
#define kit_wait_for(cond, us)                                                    \
	({                                                                        \
		uint64_t kit_deadline_ = kit_system_time() + (uint64_t)(us)*1000; \
		irq_enable();                                                     \
		while (!(cond) && kit_system_time() < kit_deadline_)              \
			;                                                         \
		irq_disable();                                                    \
		(cond);                                                           \
	})

/* Xen system time (ns) from vCPU 0's vcpu_time_info, by the version protocol. */
uint64_t kit_system_time(void);
/* The same from vCPU @cpu's vcpu_time_info (its legacy slot in shared_info). */
uint64_t kit_system_time_on(unsigned int cpu);
/* The same, with the TSC value the time was computed from in *tsc (one reading). */
uint64_t kit_system_time_tsc(unsigned int cpu, uint64_t *tsc);
/*
 * Xen system time from any vcpu_time_info copy (shared_info's or a registered
 * vcpu_time_memory_area), by the version protocol: the TSC it used in *tsc and, unless
 * NULL, the version it read in *version.
 */
uint64_t kit_time_from(volatile struct vcpu_time_info *t, uint64_t *tsc, uint32_t *version);
/* Upcalls for vCPU @cpu on the kit's vector (vCPU 0's is set by kit_events_init). */
long kit_events_enable_cpu(unsigned int cpu);
/* The vCPU whose upcall last dispatched each port. */
extern volatile uint8_t kit_event_cpu[KIT_MAX_COUNTED_PORTS];

#endif
