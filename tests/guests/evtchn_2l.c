// SPDX-License-Identifier: MIT
/*
 * evtchn_2l: the 2-level event-channel ABI as xen/event_channel.h and Xen 4.17 define it:
 * loopback interdomain channels (alloc_unbound + bind_interdomain on DOMID_SELF), the
 * notification Xen always sets on bind, send in both directions, masking with the upcall
 * held back until EVTCHNOP_unmask, status of each state, close turning the peer unbound,
 * IPIs, VIRQ binding rules, port exhaustion, SCHEDOP_poll, EVTCHNOP_reset, and errors.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/sched.h>
#include <xen/arch-x86/cpuid.h>

/* Microseconds to wait for an event that must come (or must not). */
#define WAIT 200000UL

static domid_t self_id(void)
{
	uint32_t a, b, c, d;

	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	return (a & XEN_HVM_CPUID_DOMID_PRESENT) ? (domid_t)c : DOMID_SELF;
}

/* Ports are reused after close: tests compare counts with what they saw before. */
static void test_loopback(void)
{
	evtchn_port_t a, b;
	struct evtchn_status st = { .dom = DOMID_SELF };

	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound");
	check(a != 0, "port 0 is reserved");
	st.port = a;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status of the unbound port");
	check_eq(st.status, EVTCHNSTAT_unbound, "status: unbound");
	check_eq(st.u.unbound.dom, self_id(), "unbound to this domain (DOMID_SELF resolved)");

	check_eq(kit_bind_loopback(a, &b), 0, "bind_interdomain to our own unbound port");
	check(b != a, "a new local port");
	/* Xen always notifies the new local port on bind (lost notifications on the peer). */
	check(kit_wait_for(kit_event_count[b] == 1, WAIT), "event on bind: %u", kit_event_count[b]);

	st.port = a;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_interdomain, "status: interdomain");
	check_eq(st.u.interdomain.port, b, "peer port");

	check_eq(kit_send(b), 0, "send b -> a");
	check(kit_wait_for(kit_event_count[a] == 1, WAIT), "a received: %u", kit_event_count[a]);
	check_eq(kit_send(a), 0, "send a -> b");
	check(kit_wait_for(kit_event_count[b] == 2, WAIT), "b received: %u", kit_event_count[b]);

	/* Masked: the bit goes pending, no upcall until EVTCHNOP_unmask. */
	kit_mask(a);
	uint32_t before = kit_upcalls;
	check_eq(kit_send(b), 0, "send to masked a");
	check(!kit_wait_for(kit_upcalls != before, WAIT / 4), "no upcall for a masked port");
	check(kit_is_pending(a), "masked port is pending");
	check_eq(kit_unmask(a), 0, "unmask");
	check(kit_wait_for(kit_event_count[a] == 2, WAIT), "event after unmask: %u",
	      kit_event_count[a]);

	/* Closing one end leaves the other unbound to us; a send on it is dropped. */
	check_eq(kit_close(b), 0, "close b");
	st.port = a;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_unbound, "peer of a closed port is unbound");
	check_eq(kit_send(a), 0, "send on an unbound port is dropped, not an error");
	st.port = b;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status of the closed port");
	check_eq(st.status, EVTCHNSTAT_closed, "closed");
	check_eq(kit_close(b), -XEN_EINVAL, "closing a closed port");
	/* Rebinding works and notifies again. */
	check_eq(kit_bind_loopback(a, &b), 0, "rebind");
	check_eq(kit_close(a), 0, "close a");
	check_eq(kit_close(b), 0, "close b again");
}

static void test_ipi_and_virq(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_bind_virq virq = { .virq = VIRQ_DEBUG, .vcpu = 0 };
	struct evtchn_status st = { .dom = DOMID_SELF };

	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &ipi), 0, "bind_ipi");
	uint32_t seen = kit_event_count[ipi.port];
	check_eq(kit_send(ipi.port), 0, "send IPI");
	check(kit_wait_for(kit_event_count[ipi.port] == seen + 1, WAIT), "IPI received");
	st.port = ipi.port;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_ipi, "status: ipi");
	ipi.vcpu = 4096;
	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT, "bind_ipi to a missing vCPU");

	check_eq(evtchn_op(EVTCHNOP_bind_virq, &virq), 0, "bind_virq VIRQ_DEBUG");
	st.port = virq.port;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_virq, "status: virq");
	check_eq(st.u.virq, VIRQ_DEBUG, "status: which virq");
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &virq), -XEN_EEXIST, "binding a VIRQ twice");
	check_eq(kit_send(virq.port), -XEN_EINVAL, "sending on a VIRQ port");
	virq = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL, "VIRQ out of range");
	virq = (struct evtchn_bind_virq){ .virq = VIRQ_CON_RING, .vcpu = 1 };
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &virq), -XEN_EINVAL, "global VIRQ on vCPU 1");
	virq = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 4096 };
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &virq), -XEN_ENOENT, "VIRQ on a missing vCPU");
	struct evtchn_bind_vcpu bv = { .port = ipi.port, .vcpu = 0 };
	check_eq(evtchn_op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL, "bind_vcpu of an IPI port");
	check_eq(kit_close(ipi.port), 0, "close IPI");
	check_eq(kit_close(st.port), 0, "close VIRQ");
}

static void test_exhaustion(void)
{
	static evtchn_port_t ports[4096];
	unsigned int n = 0, refused = 0;
	long rc = 0;

	while (n < 4096 && !(rc = kit_alloc_unbound(DOMID_SELF, &ports[n])))
		n++;
	printf("evtchn_2l: %u ports allocated before %ld\n", n, rc);
	check_eq(rc, -XEN_ENOSPC, "allocation past the limit");
	/* libxl's default limit is port 1023; port 0 is reserved. */
	check_eq(ports[n - 1], 1023, "highest port");
	/*
	 * How many there were depends on the ports the toolstack took (xenstore, console):
	 * no fact; one check for all the closes.
	 */
	for (unsigned int i = 0; i < n; i++)
		refused += kit_close(ports[i]) != 0;
	check_eq(refused, 0, "closes refused");
}

static void test_poll_and_errors(void)
{
	struct evtchn_status st = { .dom = 0, .port = 1 };
	evtchn_port_t a, b;
	struct sched_poll poll;
	uint64_t t0, t1;

	check_eq(evtchn_op(EVTCHNOP_status, &st), -XEN_EPERM, "status of domain 0's port");
	st.dom = 0x7777;
	check_eq(evtchn_op(EVTCHNOP_status, &st), -XEN_ESRCH, "status in a missing domain");
	check_eq(kit_close(0), -XEN_EINVAL, "close port 0");
	check_eq(kit_send(100000), -XEN_EINVAL, "send on an invalid port");
	check_eq(kit_unmask(100000), -XEN_EINVAL, "unmask an invalid port");
	check_eq(evtchn_op(99, &st), -XEN_ENOSYS, "unknown EVTCHNOP");

	/* SCHEDOP_poll returns at once for a pending (even masked) port... */
	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc");
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	kit_mask(a);
	check_eq(kit_send(b), 0, "send");
	poll = (struct sched_poll){ .nr_ports = 1, .timeout = 0 };
	set_xen_guest_handle(poll.ports, &a);
	check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0, "poll on a pending port");
	/* ...and waits out its timeout when nothing is pending. */
	kit_clear_pending(a);
	t0 = kit_system_time();
	poll.timeout = t0 + 20000000ULL;
	check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0, "poll with a timeout");
	t1 = kit_system_time();
	printf("evtchn_2l: poll timed out after %lu us\n", (unsigned long)((t1 - t0) / 1000));
	check(t1 >= poll.timeout, "poll returned before its timeout");
	poll.nr_ports = 129;
	check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL, "poll on 129 ports");
	evtchn_port_t bad = 100000;
	poll.nr_ports = 1;
	set_xen_guest_handle(poll.ports, &bad);
	check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL, "poll on a bad port");
	kit_unmask(a);
	kit_close(a);
	kit_close(b);
}

static void test_reset(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	evtchn_port_t a, b;

	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc");
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	check_eq(evtchn_op(EVTCHNOP_reset, &r), 0, "reset");
	st.port = a;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_closed, "closed by reset");
	st.port = b;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_closed, "closed by reset");
	r.dom = 0;
	check_eq(evtchn_op(EVTCHNOP_reset, &r), -XEN_EPERM, "reset of domain 0");
}

void test_main(void)
{
	kit_events_init();
	test_loopback();
	test_ipi_and_virq();
	test_exhaustion();
	test_poll_and_errors();
	test_reset();
}
