// SPDX-License-Identifier: MIT
/*
 * pause_progress: the guest of the pause tests in tests/compat/xl-lifecycle.sh (not in
 * the manifest: it needs a toolstack to pause it). It prints a numbered tick every
 * TICK_MS of Xen system time, blocking in SCHEDOP_block on a single-shot timer between
 * ticks, until its runstate shows more time offline than at its start: Xen's vcpu.h
 * counts a vCPU paused by the administrator as RUNSTATE_offline. It then checks that
 * the four runstate times still add up to the system time of the call (the clock ran
 * on while it was paused, as Xen keeps a paused domain's system time running) and ends
 * with SUCCESS. Never paused within GIVE_UP_S of system time: FAILURE.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/vcpu.h>

#define MS 1000000ULL
#define TICK_MS 20
#define GIVE_UP_S 300

static long runstate(struct vcpu_runstate_info *ri)
{
	return hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, ri);
}

/* Blocks until TICK_MS of system time passed (an event may end a block early). */
static void sleep_tick(void)
{
	uint64_t due = kit_system_time() + TICK_MS * MS;
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = due };

	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t), 0,
		 "set_singleshot_timer");
	while (kit_system_time() < due) {
		/*
		 * With IF=0 a block ends only on a new upcall (Xen kicks the vCPU when
		 * evtchn_upcall_pending goes from 0 to 1): never block on one already pending.
		 */
		if (!kit_shared_info->vcpu_info[0].evtchn_upcall_pending)
			check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block");
		kit_wait_for(false, 100); /* take the timer's upcall */
	}
}

void test_main(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_runstate_info ri;
	uint64_t start, before, after, sum, offline0;
	unsigned long tick = 0;

	kit_events_init();
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &v), 0, "bind VIRQ_TIMER");
	irq_disable();
	/* Time before the first run may be offline already (Xen builds domains paused). */
	check_eq(runstate(&ri), 0, "VCPUOP_get_runstate_info");
	offline0 = ri.time[RUNSTATE_offline];
	start = kit_system_time();
	for (;;) {
		before = kit_system_time();
		check_eq(runstate(&ri), 0, "VCPUOP_get_runstate_info");
		after = kit_system_time();
		if (ri.time[RUNSTATE_offline] > offline0)
			break;
		check(after - start < GIVE_UP_S * 1000 * MS, "not paused within %d s", GIVE_UP_S);
		printf("pause_progress: tick %lu\n", ++tick);
		sleep_tick();
	}
	sum = ri.time[RUNSTATE_running] + ri.time[RUNSTATE_runnable] + ri.time[RUNSTATE_blocked] +
	      ri.time[RUNSTATE_offline];
	printf("pause_progress: offline %lu us more after tick %lu\n",
	       (unsigned long)((ri.time[RUNSTATE_offline] - offline0) / 1000), tick);
	check_eq(ri.state, RUNSTATE_running, "state once running again");
	check(sum + 2 * MS >= before && sum <= after + 2 * MS,
	      "runstate times add up to %lu ns, the call was at %lu-%lu ns", (unsigned long)sum,
	      (unsigned long)before, (unsigned long)after);
}
