// SPDX-License-Identifier: MIT
/*
 * sched_poll: when SCHEDOP_poll wakes up, as Xen's do_poll() and the vCPU kick of
 * vcpu_mark_events_pending() decide, and as Linux's PV spinlocks rely on: they poll their
 * masked kicker port with no timeout and must still come back for other events.
 *
 * - An event that becomes pending for the vCPU while it polls, on a port it does not
 *   poll, ends the poll (interrupts on, as when Linux waits for a lock with them on).
 * - With interrupts off and an upcall already pending, there is no new kick: the poll
 *   waits out its timeout (Xen only kicks on the 0 -> 1 change of evtchn_upcall_pending,
 *   and local_events_need_delivery() is false with RFLAGS.IF clear).
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/sched.h>

#define MS 1000000ULL

static evtchn_port_t kicker, timer_port;

static long poll_kicker(uint64_t timeout)
{
	struct sched_poll p = { .nr_ports = 1, .timeout = timeout };

	set_xen_guest_handle(p.ports, &kicker);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

static long singleshot(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline };

	return hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t);
}

static volatile uint64_t timer_arrival;

static void on_event(evtchn_port_t port)
{
	if (port == timer_port)
		timer_arrival = kit_system_time();
}

/*
 * A timer event on another port ends a poll on the masked kicker, long before its
 * timeout. A slow vCPU (nested KVM under TCG) may take the event before it enters the
 * poll, which then rightly waits: that attempt does not count and is made again.
 */
static void test_other_event_wakes(void)
{
	for (int attempt = 1; attempt <= 5; attempt++) {
		uint64_t t0 = kit_system_time(), entry, t1;
		long rc;

		/* check(), not check_eq(): how many attempts it takes is no fact to compare. */
		timer_arrival = 0;
		check(singleshot(t0 + 100 * MS) == 0, "set_singleshot_timer failed");
		irq_enable();
		entry = kit_system_time();
		rc = poll_kicker(t0 + 3000 * MS);
		check(rc == 0, "poll on the masked kicker: %ld", rc);
		irq_disable();
		t1 = kit_system_time();
		if (timer_arrival && timer_arrival < entry) {
			printf("sched_poll: the timer came before the poll (attempt %d)\n",
			       attempt);
			continue;
		}
		printf("sched_poll: woken by the timer after %lu us\n",
		       (unsigned long)((t1 - t0) / 1000));
		check(t1 < t0 + 1000 * MS, "poll ran %lu ms: the timer event did not end it",
		      (unsigned long)((t1 - t0) / MS));
		check(kit_wait_for(timer_arrival != 0, 200000), "timer event delivered");
		return;
	}
	fail("the timer came before the poll five times");
}

/* Interrupts off and an upcall already pending: nothing new kicks the poll. */
static void test_pending_upcall_no_kick(void)
{
	evtchn_port_t a, b;
	uint32_t seen;
	uint64_t t0, t1;

	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc");
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	seen = kit_event_count[a];
	irq_disable();
	check_eq(kit_send(b), 0, "send with interrupts off");
	check(kit_shared_info->vcpu_info[0].evtchn_upcall_pending, "upcall pending after send");
	t0 = kit_system_time();
	check_eq(poll_kicker(t0 + 30 * MS), 0, "poll with an upcall already pending");
	t1 = kit_system_time();
	printf("sched_poll: with interrupts off, poll returned after %lu us\n",
	       (unsigned long)((t1 - t0) / 1000));
	check(t1 >= t0 + 30 * MS, "poll returned after %lu us, before its 30 ms timeout",
	      (unsigned long)((t1 - t0) / 1000));
	check(kit_wait_for(kit_event_count[a] != seen, 200000), "the pending event delivered");
	kit_close(a);
	kit_close(b);
}

void test_main(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	kit_events_init();
	kit_event_hook = on_event;
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &v), 0, "bind VIRQ_TIMER");
	timer_port = v.port;
	/* Linux's spinlock kicker: an IPI port bound to this vCPU, masked for good. */
	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &ipi), 0, "bind_ipi");
	kicker = ipi.port;
	kit_mask(kicker);
	test_other_event_wakes();
	test_pending_upcall_no_kick();
	printf("sched_poll: done\n");
}
