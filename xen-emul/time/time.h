/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen system time and the clocks a guest reads: the pvclock in each vcpu_info
 * (vcpu_time_info: version protocol, tsc_timestamp, system_time, tsc_to_system_mul,
 * tsc_shift) and the wallclock in shared_info. System time 0 is the domain's creation.
 */
#ifndef XENKVM_XEN_EMUL_TIME_H
#define XENKVM_XEN_EMUL_TIME_H

#include "xen-emul/time/time_scale.h"
#include "xen-emul/xen.h"

void xen_time_init(struct xen_domain *dom);
/* The once-a-second resync on the event loop (no-op without a loop). */
int xen_time_start(struct xen_domain *dom);
void xen_time_stop(struct xen_domain *dom);
/* Nanoseconds since the domain started (Xen's NOW() for this domain). */
uint64_t xen_system_time(struct xen_domain *dom);
/* Learns the guest TSC offset from the calling vCPU (its own thread), once. */
void xen_time_learn_tsc_offset(struct xen_call *call);
/* Takes a fresh (tsc, time) reference and rewrites every vCPU's time and the wallclock. */
void xen_time_resync(struct xen_domain *dom);
/* Writes one vCPU's vcpu_time_info from the current reference (dom->lock held). */
void xen_time_write_vcpu(struct xen_domain *dom, struct xen_vcpu *xv);
/* Writes the wallclock fields of shared_info (dom->lock held). */
void xen_time_write_wallclock(struct xen_domain *dom);

#endif
