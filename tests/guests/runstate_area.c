// SPDX-License-Identifier: MIT
/*
 * runstate_area: the area of VCPUOP_register_runstate_memory_area as Linux reads it for
 * steal time (arch/x86/xen/time.c): under VMASST_TYPE_runstate_update_flag, a copy whose
 * state_entry_time had XEN_RUNSTATE_UPDATE clear before and after, and was the same both
 * times. The hypervisor keeps it current (vcpu.h: "updated by the hypervisor each time
 * the VCPU is scheduled"), so without any VCPUOP_get_runstate_info:
 * - while the vCPU is busy (a periodic timer ticking), running (plus runnable: time the
 *   host took the CPU away) grows with wall time, and blocked does not;
 * - across SCHEDOP_block, blocked grows by about the time the guest saw the block take;
 * - the four times always grow by exactly what state_entry_time moved (Xen adds the time
 *   since state_entry_time to the old state at each change: vcpu_runstate_change()).
 * The time a vCPU spends in HLT is printed: Xen counts it as blocked; KVM_XEN's in-kernel
 * runstate counts it as running (only preemption moves a vCPU out of running there).
 *
 * At registration Xen copies the calling vCPU's runstate as of its last state change
 * (domain.c: v->runstate, not vcpu_runstate_get()): running may still be 0 there, and the
 * times count from the vCPU's creation, not from system time 0 (under real Xen system time
 * is the host's uptime). A SCHEDOP_block with interrupts off ends only on a new upcall
 * (Xen kicks the vCPU when evtchn_upcall_pending goes from 0 to 1): each block here waits
 * for a timer set well ahead, with no upcall pending before it.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/vcpu.h>

#define MS 1000000ULL
#define BUSY_MS 300
#define TICK_MS 10
#define BLOCK_MS 100
#define SHORT_BLOCK_MS 20

static volatile struct vcpu_runstate_info area;
static evtchn_port_t timer_port;

static long vcpu_op(int cmd, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, 0, arg);
}

/* A consistent copy of the area, as Linux's xen_get_runstate_snapshot_cpu_delta(). */
static void snapshot(struct vcpu_runstate_info *ri)
{
	uint64_t before, after;

	do {
		before = __atomic_load_n(&area.state_entry_time, __ATOMIC_ACQUIRE);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		*ri = *(const struct vcpu_runstate_info *)&area;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		after = __atomic_load_n(&area.state_entry_time, __ATOMIC_ACQUIRE);
	} while ((before & XEN_RUNSTATE_UPDATE) || before != after);
}

static uint64_t sum(const struct vcpu_runstate_info *ri)
{
	return ri->time[RUNSTATE_running] + ri->time[RUNSTATE_runnable] +
	       ri->time[RUNSTATE_blocked] + ri->time[RUNSTATE_offline];
}

static uint64_t grew(const struct vcpu_runstate_info *a, const struct vcpu_runstate_info *b,
		     int state)
{
	return b->time[state] - a->time[state];
}

/* Xen's guarantee between any two copies: the times moved as far as state_entry_time. */
static void check_progression(const char *phase, const struct vcpu_runstate_info *a,
			      const struct vcpu_runstate_info *b)
{
	check(b->state_entry_time >= a->state_entry_time, "%s: state_entry_time went back", phase);
	check_eq(sum(b) - sum(a), b->state_entry_time - a->state_entry_time,
		 "times grown minus state_entry_time moved");
}

static void test_registration(struct vcpu_runstate_info *r0)
{
	struct vcpu_register_runstate_memory_area reg = { .addr.v = (void *)&area };

	area.state = -1;
	check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
			    VMASST_TYPE_runstate_update_flag),
		 0, "vm_assist(enable, runstate_update_flag)");
	check_eq(vcpu_op(VCPUOP_register_runstate_memory_area, &reg), 0,
		 "register_runstate_memory_area");
	snapshot(r0);
	check_eq(r0->state, RUNSTATE_running, "state written at registration");
	check(r0->state_entry_time <= kit_system_time(), "state_entry_time %lu ns is in the future",
	      (unsigned long)r0->state_entry_time);
	check(sum(r0) <= r0->state_entry_time,
	      "the times (%lu ns) add up to more than state_entry_time (%lu ns)",
	      (unsigned long)sum(r0), (unsigned long)r0->state_entry_time);
	printf("runstate_area: at registration running %lu us, state_entry_time %lu us\n",
	       (unsigned long)(r0->time[RUNSTATE_running] / 1000),
	       (unsigned long)(r0->state_entry_time / 1000));
}

static void test_busy(struct vcpu_runstate_info *r0, struct vcpu_runstate_info *r1)
{
	struct vcpu_set_periodic_timer p = { .period_ns = TICK_MS * MS };
	uint64_t start, end, moved, busy;
	uint32_t ticks = kit_event_count[timer_port];

	check_eq(vcpu_op(VCPUOP_set_periodic_timer, &p), 0, "set_periodic_timer");
	snapshot(r0);
	start = kit_system_time();
	kit_wait_for(false, BUSY_MS * 1000);
	end = kit_system_time();
	/* One more tick after the window, so that the area covers all of it. */
	kit_wait_for(kit_event_count[timer_port] - ticks > 1 &&
			     (snapshot(r1), r1->state_entry_time >= end),
		     1000000);
	check_eq(vcpu_op(VCPUOP_stop_periodic_timer, NULL), 0, "stop_periodic_timer");
	snapshot(r1);
	ticks = kit_event_count[timer_port] - ticks;
	moved = r1->state_entry_time - r0->state_entry_time;
	busy = grew(r0, r1, RUNSTATE_running) + grew(r0, r1, RUNSTATE_runnable);
	printf("runstate_area: busy %lu ms, %u ticks: state_entry_time moved %lu us, running "
	       "%lu us, runnable %lu us, blocked %lu us\n",
	       (unsigned long)((end - start) / MS), ticks, (unsigned long)(moved / 1000),
	       (unsigned long)(grew(r0, r1, RUNSTATE_running) / 1000),
	       (unsigned long)(grew(r0, r1, RUNSTATE_runnable) / 1000),
	       (unsigned long)(grew(r0, r1, RUNSTATE_blocked) / 1000));
	check_eq(r1->state, RUNSTATE_running, "state while busy");
	check_progression("busy", r0, r1);
	check(moved >= (end - start) / 2, "the area moved %lu us during %lu us of work",
	      (unsigned long)(moved / 1000), (unsigned long)((end - start) / 1000));
	check(busy >= moved - moved / 10, "running+runnable grew %lu us of %lu us busy",
	      (unsigned long)(busy / 1000), (unsigned long)(moved / 1000));
	check(grew(r0, r1, RUNSTATE_running) > 0, "running did not grow");
}

static void test_block(struct vcpu_runstate_info *r1, struct vcpu_runstate_info *r2)
{
	struct vcpu_set_singleshot_timer t;
	uint64_t start, end, blocked;

	kit_wait_for(false, 1000); /* take any upcall still pending (the last tick's) */
	snapshot(r1);
	t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns =
							kit_system_time() + BLOCK_MS * MS };
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, &t), 0, "set_singleshot_timer");
	start = kit_system_time();
	check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block");
	end = kit_system_time();
	snapshot(r2);
	kit_wait_for(false, 1000); /* take the timer's upcall */
	blocked = grew(r1, r2, RUNSTATE_blocked);
	printf("runstate_area: blocked %lu us of a %lu us SCHEDOP_block\n",
	       (unsigned long)(blocked / 1000), (unsigned long)((end - start) / 1000));
	check_eq(r2->state, RUNSTATE_running, "state after the block");
	check_progression("block", r1, r2);
	if (end - start < 10 * MS)
		printf("runstate_area: the timer was nearly due before the block (a slow host)\n");
	else
		check(blocked >= (end - start) / 2 && blocked <= end - r1->state_entry_time,
		      "blocked grew %lu us across a %lu us block", (unsigned long)(blocked / 1000),
		      (unsigned long)((end - start) / 1000));
}

/* HLT until a timer: Xen counts the wait as blocked, KVM_XEN as running (printed only). */
static void test_halt(struct vcpu_runstate_info *r2, struct vcpu_runstate_info *r3)
{
	struct vcpu_set_singleshot_timer t;
	uint32_t seen = kit_event_count[timer_port];
	uint64_t start, end;

	snapshot(r2);
	t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns =
							kit_system_time() + BLOCK_MS * MS };
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, &t), 0, "set_singleshot_timer");
	start = kit_system_time();
	while (kit_event_count[timer_port] == seen)
		asm volatile("sti; hlt; cli" ::: "memory");
	end = kit_system_time();
	/*
	 * The next state change writes the area: a short block is one. Its timer is set
	 * ahead, not in the past: Xen raises a past timer at once, and the block would
	 * then wait for an upcall that is already pending.
	 */
	kit_wait_for(false, 1000);
	t.timeout_abs_ns = kit_system_time() + SHORT_BLOCK_MS * MS;
	check_eq(vcpu_op(VCPUOP_set_singleshot_timer, &t), 0, "set_singleshot_timer (short)");
	check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block");
	snapshot(r3);
	kit_wait_for(false, 1000);
	printf("runstate_area: HLT %lu us: blocked grew %lu us, running %lu us\n",
	       (unsigned long)((end - start) / 1000),
	       (unsigned long)(grew(r2, r3, RUNSTATE_blocked) / 1000),
	       (unsigned long)(grew(r2, r3, RUNSTATE_running) / 1000));
	check_progression("halt", r2, r3);
}

void test_main(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_runstate_info r0, r1, r2, r3;

	kit_events_init();
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &v), 0, "bind VIRQ_TIMER");
	timer_port = v.port;
	test_registration(&r0);
	test_busy(&r0, &r1);
	test_block(&r1, &r2);
	test_halt(&r2, &r3);
	printf("runstate_area: done\n");
}
