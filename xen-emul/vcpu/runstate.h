/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vCPU's runstate as the VMM keeps it (the user transport; KVM_XEN keeps its own):
 * Xen's vcpu_runstate_info, the registered area it is written to, and what the host
 * counted at the last update (runstate.c says how time is split between the states).
 */
#ifndef XENKVM_XEN_EMUL_RUNSTATE_H
#define XENKVM_XEN_EMUL_RUNSTATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/vcpu.h>

#include "xen-emul/hypercall/guest_area.h"

struct xen_domain;
struct xen_vcpu;

/* Where the vCPU was since the last update, as far as the VMM can tell. */
enum xen_runstate_where {
	XEN_RS_IN_GUEST, /* in KVM_RUN or handling an exit: running, runnable or halted */
	XEN_RS_BLOCKED, /* waiting in the VMM in SCHEDOP_block or SCHEDOP_poll */
	XEN_RS_OFFLINE, /* down (VCPUOP_down, INIT) or never started */
};

struct xen_runstate {
	pthread_mutex_t lock; /* guards all of this: vCPU threads, timers and readers */
	struct vcpu_runstate_info info; /* times up to info.state_entry_time */
	enum xen_runstate_where where;
	bool in_block; /* set and cleared by the blocked vCPU's own thread */
	bool paused; /* stopped by vm_pause() (the toolstack's pause): offline, as on Xen */
	/* The registered area (guest_area.h), its layout, the state_entry_time it shows. */
	struct xen_guest_area area;
	bool compat;
	uint64_t shown_entry;
	/* The host's totals at the last update (vcpu_accounting.h), and halted time counted
	 * ahead for a halt still under way. */
	bool host_known;
	uint64_t halted_ns;
	uint64_t run_delay_ns;
	uint64_t halt_prepaid_ns;
};

void xen_runstate_init(struct xen_vcpu *xv);
/* A tick: accounts the time up to now and writes the area, if the VMM keeps one. */
void xen_runstate_update(struct xen_vcpu *xv);
/* The vCPU went down or up (xv->down changed): accounts up to now; from any thread. */
void xen_runstate_change(struct xen_vcpu *xv);
void xen_runstate_update_all(struct xen_domain *dom);
/* Stops writing the area (KVM_XEN took a 64-bit one over). */
void xen_runstate_release(struct xen_vcpu *xv);
/* The calling vCPU starts (true) or ends (false) a wait in SCHEDOP_block or SCHEDOP_poll. */
void xen_runstate_block(struct xen_vcpu *xv, bool blocked);

#endif
