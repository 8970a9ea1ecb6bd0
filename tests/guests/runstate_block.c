// SPDX-License-Identifier: MIT
/*
 * runstate_block: time a vCPU spends in SCHEDOP_block is "blocked" in its runstate
 * (vcpu.h: RUNSTATE_blocked, "not runnable... waiting for an event"), and it is running
 * again once it returns. Read with VCPUOP_get_runstate_info before and after blocking for
 * a single-shot timer BLOCK_MS ahead: blocked time grows by about the time the guest saw
 * SCHEDOP_block take (at least half of it: the exit and the entry around the wait may
 * count as running on a slow host), and the four times grow by the time between the two
 * calls (Xen's vcpu_runstate_get() adds the time since state_entry_time to the current
 * state). They count from the vCPU's creation, not from system time 0: under real Xen,
 * system time is the host's uptime.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/vcpu.h>

#define MS 1000000ULL
#define BLOCK_MS 50

static long runstate(struct vcpu_runstate_info *ri)
{
	return hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, ri);
}

void test_main(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_runstate_info a, b;
	struct vcpu_set_singleshot_timer t;
	uint64_t blocked, window, sum_a, sum_b, ta0, ta1, t0, t1, start, end;

	kit_events_init();
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &v), 0, "bind VIRQ_TIMER");
	/*
	 * Take any upcall already pending first: with interrupts off, SCHEDOP_block only
	 * wakes on a new one (Xen kicks the vCPU when evtchn_upcall_pending goes from 0 to 1).
	 * Under real Xen, xenconsoled signals the console port at start: without this the
	 * block never ended there.
	 */
	kit_wait_for(false, 1000);
	irq_disable();
	ta0 = kit_system_time();
	check_eq(runstate(&a), 0, "VCPUOP_get_runstate_info before");
	ta1 = kit_system_time();
	t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns =
							kit_system_time() + BLOCK_MS * MS };
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t), 0,
		 "set_singleshot_timer");
	start = kit_system_time();
	check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block");
	end = kit_system_time();
	t0 = kit_system_time();
	check_eq(runstate(&b), 0, "VCPUOP_get_runstate_info after");
	t1 = kit_system_time();
	kit_wait_for(false, 1000); /* take the timer's upcall */

	/* The guest's view of the block; the exit and entry around it may count as running. */
	window = end - start;
	blocked = b.time[RUNSTATE_blocked] - a.time[RUNSTATE_blocked];
	sum_a = a.time[RUNSTATE_running] + a.time[RUNSTATE_runnable] + a.time[RUNSTATE_blocked] +
		a.time[RUNSTATE_offline];
	sum_b = b.time[RUNSTATE_running] + b.time[RUNSTATE_runnable] + b.time[RUNSTATE_blocked] +
		b.time[RUNSTATE_offline];
	printf("runstate_block: blocked %lu us of a %lu us SCHEDOP_block (timer %u ms ahead)\n",
	       (unsigned long)(blocked / 1000), (unsigned long)(window / 1000), BLOCK_MS);
	check_eq(b.state, RUNSTATE_running, "state after the block");
	if (window < 10 * MS)
		printf("runstate_block: the timer was nearly due before the block (a slow host)\n");
	else
		check(blocked >= window / 2 && blocked <= window + MS,
		      "blocked time grew by %lu us across a %lu us block",
		      (unsigned long)(blocked / 1000), (unsigned long)(window / 1000));
	check(sum_b - sum_a + 2 * MS >= t0 - ta1 && sum_b - sum_a <= t1 - ta0 + 2 * MS,
	      "times grew by %lu ns between calls %lu-%lu ns apart", (unsigned long)(sum_b - sum_a),
	      (unsigned long)(t0 - ta1), (unsigned long)(t1 - ta0));
	check(b.state_entry_time <= t1 + 2 * MS, "state_entry_time %lu after the call at %lu",
	      (unsigned long)b.state_entry_time, (unsigned long)t1);
}
