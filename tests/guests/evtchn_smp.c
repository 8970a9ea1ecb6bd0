// SPDX-License-Identifier: MIT
/*
 * evtchn_smp: event channels and time across vCPUs (run with --vcpus 2). An IPI port
 * bound to a vCPU is delivered there whoever sends it; EVTCHNOP_bind_vcpu moves an
 * interdomain port's notifications to another vCPU; Xen system time read from each
 * vCPU's own vcpu_time_info never goes backwards between vCPUs: a read that follows
 * (causally) a read on the other vCPU is never smaller.
 */
#include "kit.h"
#include "events.h"
#include "smp.h"

#define WAIT_US 500000UL

static volatile bool flag;
static volatile evtchn_port_t send_port;
static volatile long send_rc;

static void send_from_cpu(unsigned int cpu, void *arg)
{
	send_rc = kit_send(send_port);
}

static void run_on(unsigned int cpu, kit_cpu_fn fn)
{
	if (cpu == 0) {
		fn(0, NULL);
		return;
	}
	kit_cpu_call_async(cpu, fn, NULL);
	kit_wait_for(kit_cpu_call_done(cpu), WAIT_US);
}

/* An IPI bound to `to`, sent from `from`, must be dispatched on `to`. */
static void ipi(unsigned int from, unsigned int to)
{
	struct evtchn_bind_ipi b = { .vcpu = to };
	uint32_t seen;

	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &b), 0, "bind_ipi");
	seen = kit_event_count[b.port];
	send_port = b.port;
	run_on(from, send_from_cpu);
	check_eq(send_rc, 0, "send");
	check(kit_wait_for(kit_event_count[b.port] != seen, WAIT_US), "IPI %u->%u not received",
	      from, to);
	check_eq(kit_event_cpu[b.port], to, "vCPU that received the IPI");
	kit_close(b.port);
}

static void test_bind_vcpu(void)
{
	evtchn_port_t a, b;
	struct evtchn_bind_vcpu bv;
	uint32_t seen;

	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc");
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	kit_wait_for(kit_event_count[b] != 0, WAIT_US);
	bv = (struct evtchn_bind_vcpu){ .port = a, .vcpu = 1 };
	check_eq(evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu to vCPU 1");
	seen = kit_event_count[a];
	check_eq(kit_send(b), 0, "send");
	check(kit_wait_for(kit_event_count[a] != seen, WAIT_US), "event after bind_vcpu");
	check_eq(kit_event_cpu[a], 1, "vCPU notified after bind_vcpu");
	kit_close(a);
	kit_close(b);
}

#define PINGS 200
static volatile uint64_t baton;
static volatile unsigned int turn;
static volatile unsigned int violations;

/* vCPU 1's half of the ping-pong: on its turn, read its clock and pass it on. */
static void pong(unsigned int cpu, void *arg)
{
	for (unsigned int i = 0; i < PINGS; i++) {
		uint64_t deadline = kit_system_time_on(1) + 1000000000ULL, now;

		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 2 * i + 1)
			if (kit_system_time_on(1) > deadline)
				return;
		now = kit_system_time_on(1);
		if (now < baton)
			violations++;
		baton = now;
		__atomic_store_n(&turn, 2 * i + 2, __ATOMIC_RELEASE);
	}
}

static void test_time_across_vcpus(void)
{
	unsigned int done = 0;

	kit_cpu_call_async(1, pong, NULL);
	for (unsigned int i = 0; i < PINGS; i++) {
		uint64_t deadline = kit_system_time() + 1000000000ULL, now;

		while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 2 * i)
			if (kit_system_time() > deadline)
				goto out;
		now = kit_system_time_on(0);
		if (now < baton)
			violations++;
		baton = now;
		__atomic_store_n(&turn, 2 * i + 1, __ATOMIC_RELEASE);
		done++;
	}
out:
	kit_wait_for(kit_cpu_call_done(1), WAIT_US);
	printf("evtchn_smp: %u clock hand-offs between vCPUs, %u went backwards\n", done,
	       violations);
	check_eq(done, PINGS, "hand-offs completed");
	check_eq(violations, 0, "reads after the other vCPU's that were smaller");
}

void test_main(void)
{
	kit_events_init();
	if (kit_smp_init() < 2)
		kit_skip("needs --vcpus 2");
	check_eq(kit_events_enable_cpu(1), 0, "upcall vector for vCPU 1");
	ipi(0, 1);
	ipi(1, 0);
	ipi(1, 1);
	test_bind_vcpu();
	test_time_across_vcpus();
}
