/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a vCPU thread's time went, as the host kernel counts it: time halted inside
 * KVM_RUN (KVM's binary statistics, KVM_GET_STATS_FD: halt_wait_ns and the halt-polling
 * times, and the "blocking" flag while a halt is under way) and time the thread waited
 * for a host CPU (the scheduler's run_delay, /proc/thread-self/schedstat). Readable from
 * any thread; the upper layer turns them into Xen's runstate.
 */
#ifndef XENKVM_VMM_VCPU_ACCOUNTING_H
#define XENKVM_VMM_VCPU_ACCOUNTING_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* KVM's statistics of a vCPU: -1 offsets when KVM does not offer that statistic. */
struct vcpu_stats_layout {
	int fd; /* -1: no binary statistics (KVM before Linux 5.14) */
	int64_t halt_ns[3]; /* halt_wait_ns, halt_poll_success_ns, halt_poll_fail_ns */
	int64_t blocking;
};

/* Opens the vCPU's statistics (at creation, before its thread runs); never fails. */
void vcpu_accounting_open(struct vcpu *v);
/* Opens the calling vCPU thread's scheduler statistics (on that thread). */
void vcpu_accounting_thread(struct vcpu *v);
void vcpu_accounting_close(struct vcpu *v);

/* Total time the vCPU spent halted in KVM, and whether it is halted now; -ENODEV: unknown. */
int vcpu_halted_ns(struct vcpu *v, uint64_t *ns, bool *halted_now);
/* Total time the vCPU thread waited for a host CPU while runnable; -ENODEV: unknown. */
int vcpu_run_delay_ns(struct vcpu *v, uint64_t *ns);

#endif
