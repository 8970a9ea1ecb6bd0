// SPDX-License-Identifier: MIT
/*
 * event_storm: event channels churned as fast as the guest can, forever. Each round
 * allocates unbound ports until Xen refuses with -ENOSPC (the same number every round),
 * binds the last two as a loopback pair, sends on it a thousand times with the upcall
 * unmasked (every send is an upcall), and closes every port again (EVTCHNOP_close: 0).
 */
#include "hostile.h"
#include "events.h"

#define MAX_PORTS 8192
#define SENDS 1000

static evtchn_port_t ports[MAX_PORTS];

static unsigned int alloc_all(void)
{
	unsigned int n = 0;

	for (;;) {
		long rc = n < MAX_PORTS ? kit_alloc_unbound(DOMID_SELF, &ports[n]) : 0;

		if (rc == -XEN_ENOSPC)
			return n;
		hostile_expect(rc == 0 && n < MAX_PORTS, "alloc_unbound %u returned %ld", n, rc);
		n++;
	}
}

void test_main(void)
{
	unsigned long rounds = 0;
	unsigned int first;

	kit_events_init();
	first = alloc_all();
	hostile_expect(first > 2, "only %u ports before -ENOSPC", first);
	for (unsigned int i = 0; i < first; i++)
		hostile_expect(kit_close(ports[i]) == 0, "close of port %u", ports[i]);
	hostile_start("allocate every port, send, close, again");
	for (;;) {
		unsigned int n = alloc_all();
		evtchn_port_t lb;
		long rc;

		hostile_expect(n == first, "round %lu: %u ports before -ENOSPC, first round %u",
			       rounds, n, first);
		/* The last port is spent on the loopback's other end. */
		hostile_expect(kit_close(ports[n - 1]) == 0, "close of port %u", ports[n - 1]);
		rc = kit_bind_loopback(ports[n - 2], &lb);
		hostile_expect(rc == 0, "loopback bind returned %ld", rc);
		kit_unmask(lb);
		irq_enable();
		for (unsigned int i = 0; i < SENDS; i++) {
			rc = kit_send(lb);
			hostile_expect(rc == 0, "send %u returned %ld", i, rc);
		}
		irq_disable();
		hostile_expect(kit_close(lb) == 0, "close of the loopback port");
		for (unsigned int i = 0; i < n - 1; i++) {
			rc = kit_close(ports[i]);
			hostile_expect(rc == 0, "close of port %u returned %ld", ports[i], rc);
		}
		hostile_round_done(++rounds);
	}
}
