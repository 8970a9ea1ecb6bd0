// SPDX-License-Identifier: GPL-2.0
/*
 * Event-channel host ends as eventfds, seen from the guest's hypercalls: a frontend's
 * port allocated unbound to domain 0 (as Linux's xenbus_alloc_evtchn() does) and bound by
 * the VMM; the guest's EVTCHNOP_send signals the eventfd; the host's send makes the port
 * pending; EVTCHNOP_status shows what Xen shows for an interdomain port; the host closing
 * its end leaves the guest's port unbound to domain 0 again (Xen's evtchn_close on the
 * remote side); a port the guest closed and reused is never raised for the old owner.
 */
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/evtchn/evtchn.h"

#define ARG 0x200000ULL

XEN_FIXTURE_SUITE(1000000)

static long evop(int cmd, void *arg, size_t size)
{
	long rc;

	memcpy(fixture_ptr(&fx, ARG, size), arg, size);
	rc = fixture_call(&fx, __HYPERVISOR_event_channel_op, (uint64_t)cmd, ARG, 0);
	memcpy(arg, fixture_ptr(&fx, ARG, size), size);
	return rc;
}

static evtchn_port_t alloc_to_dom0(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };

	CU_ASSERT_EQUAL_FATAL(evop(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	return au.port;
}

static long guest_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return evop(EVTCHNOP_send, &s, sizeof(s));
}

static long guest_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return evop(EVTCHNOP_close, &c, sizeof(c));
}

static struct evtchn_status status_of(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	CU_ASSERT_EQUAL(evop(EVTCHNOP_status, &st, sizeof(st)), 0);
	return st;
}

static uint64_t drain(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static bool pending(evtchn_port_t port)
{
	return fx.dom.evtchn->abi->is_pending(&fx.dom, port);
}

static void clear_pending(evtchn_port_t port)
{
	fx.dom.evtchn->abi->clear_pending(&fx.dom, port);
}

static void test_send_both_ways(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int owner;
	evtchn_port_t port = alloc_to_dom0();
	struct evtchn_status st;

	/* Sends to the still unbound port are dropped, as in Xen. */
	CU_ASSERT_EQUAL(guest_send(port), 0);
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, port, efd, &owner), 0);
	/*
	 * Xen's bind_interdomain raises the binder's new port once (a send may have been
	 * lost meanwhile): here the eventfd; the guest's port stays quiet.
	 */
	CU_ASSERT_EQUAL(drain(efd), 1);
	CU_ASSERT_FALSE(pending(port));

	CU_ASSERT_EQUAL(guest_send(port), 0);
	CU_ASSERT_EQUAL(guest_send(port), 0);
	CU_ASSERT_EQUAL(drain(efd), 2);
	CU_ASSERT_FALSE(pending(port));

	CU_ASSERT_EQUAL(xen_evtchn_host_send_owned(&fx.dom, port, &owner), 0);
	CU_ASSERT_TRUE(pending(port));
	clear_pending(port);

	st = status_of(port);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
	CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);

	/* The host closes its end: the guest's port waits for domain 0 again. */
	xen_evtchn_unbind_host(&fx.dom, port, &owner);
	st = status_of(port);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
	CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
	CU_ASSERT_EQUAL(guest_send(port), 0);
	CU_ASSERT_EQUAL(drain(efd), 0);
	CU_ASSERT_EQUAL(xen_evtchn_host_send_owned(&fx.dom, port, &owner), -EINVAL);
	CU_ASSERT_EQUAL(guest_close(port), 0);
	close(efd);
}

/* Only a port unbound to domain 0 can be bound by the host. */
static void test_bind_checks(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int owner;
	struct evtchn_alloc_unbound self = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	CU_ASSERT_EQUAL_FATAL(evop(EVTCHNOP_alloc_unbound, &self, sizeof(self)), 0);
	CU_ASSERT_EQUAL_FATAL(evop(EVTCHNOP_bind_ipi, &ipi, sizeof(ipi)), 0);
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, self.port, efd, &owner), -EINVAL);
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, ipi.port, efd, &owner), -EINVAL);
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, 0, efd, &owner), -EINVAL);
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, 5000, efd, &owner), -EINVAL);
	CU_ASSERT_EQUAL(guest_close(self.port), 0);
	CU_ASSERT_EQUAL(guest_close(ipi.port), 0);
	close(efd);
}

/* The guest closes a bound port and reuses the number: the old owner cannot raise it. */
static void test_guest_close_and_reuse(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int owner, other;
	evtchn_port_t port = alloc_to_dom0(), again;

	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, port, efd, &owner), 0);
	CU_ASSERT_EQUAL(drain(efd), 1);
	CU_ASSERT_EQUAL(guest_close(port), 0);
	CU_ASSERT_EQUAL(xen_evtchn_host_send_owned(&fx.dom, port, &owner), -EINVAL);
	again = alloc_to_dom0();
	CU_ASSERT_EQUAL(again, port); /* Xen hands out the lowest free port */
	CU_ASSERT_EQUAL(xen_evtchn_bind_host_eventfd(&fx.dom, again, efd, &other), 0);
	CU_ASSERT_EQUAL(drain(efd), 1);
	CU_ASSERT_EQUAL(xen_evtchn_host_send_owned(&fx.dom, again, &owner), -EINVAL);
	CU_ASSERT_FALSE(pending(again));
	/* The old owner's unbind leaves the new binding alone. */
	xen_evtchn_unbind_host(&fx.dom, again, &owner);
	CU_ASSERT_EQUAL(status_of(again).status, EVTCHNSTAT_interdomain);
	CU_ASSERT_EQUAL(guest_send(again), 0);
	CU_ASSERT_EQUAL(drain(efd), 1);
	xen_evtchn_unbind_host(&fx.dom, again, &other);
	CU_ASSERT_EQUAL(guest_close(again), 0);
	close(efd);
}

UNIT_SUITE(host_evtchn, setup, teardown, UNIT_TEST(test_send_both_ways),
	   UNIT_TEST(test_bind_checks), UNIT_TEST(test_guest_close_and_reuse));
