// SPDX-License-Identifier: MIT
/*
 * evtchn_fifo: the FIFO event-channel ABI as xen/event_channel.h defines it and Xen 4.17
 * (common/event_fifo.c) behaves, used the way Linux's events_fifo.c uses it:
 * EVTCHNOP_init_control for vCPU 0 and its errors, expand_array as ports need words, an
 * event raised before its page exists arriving once the page is added, loopback channels,
 * masking with no upcall until unmask, queue order within a priority, a higher priority
 * consumed first, IPIs, close and rebind, port exhaustion up to port 1023 (libxl's
 * default) and Xen's 128-page array limit, SCHEDOP_poll on a FIFO port, set_priority
 * errors, and EVTCHNOP_reset returning the domain to 2-level (checked with the 2-level
 * handler afterwards) and allowing FIFO again.
 */
#include "kit.h"
#include "events.h"
#include "events_fifo.h"
#include "hypercall.h"

#include <xen/sched.h>

/* Microseconds to wait for an event that must come (or must not). */
#define WAIT 200000UL

/* The order in which the handler dispatched ports. */
static evtchn_port_t order[8];
static volatile unsigned int nr_order;

static void record(evtchn_port_t port)
{
	if (nr_order < 8)
		order[nr_order] = port;
	nr_order++;
}

static long set_priority(evtchn_port_t port, uint32_t prio)
{
	struct evtchn_set_priority sp = { .port = port, .priority = prio };

	return evtchn_op(EVTCHNOP_set_priority, &sp);
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
	struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };

	return evtchn_op(EVTCHNOP_init_control, &ic);
}

/* A loopback pair whose ports both have words and are unmasked, as Linux binds one. */
static void pair(evtchn_port_t *a, evtchn_port_t *b)
{
	check_eq(kit_alloc_unbound(DOMID_SELF, a), 0, "alloc_unbound");
	check_eq(kit_fifo_setup_port(*a), 0, "expand for a");
	kit_fifo_unmask(*a);
	check_eq(kit_bind_loopback(*a, b), 0, "bind_interdomain");
	check_eq(kit_fifo_setup_port(*b), 0, "expand for b");
	kit_fifo_unmask(*b);
	/* Ports are reused after close; interrupts are off, so nothing was counted yet. */
	kit_event_count[*a] = 0;
	kit_event_count[*b] = 0;
}

static void test_before_fifo(void)
{
	static uint8_t page[4096] __attribute__((aligned(4096)));
	struct evtchn_expand_array ea = { .array_gfn = (uintptr_t)page >> 12 };
	uint64_t gfn = (uintptr_t)page >> 12;

	check_eq(evtchn_op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP,
		 "expand_array before init_control");
	check_eq(set_priority(1, 3), -XEN_ENOSYS, "set_priority under 2-level");
	check_eq(init_control(gfn, 0, 4096), -XEN_ENOENT, "init_control for a missing vCPU");
	check_eq(init_control(gfn, 4, 0), -XEN_EINVAL, "offset not 8-byte aligned");
	check_eq(init_control(gfn, 4096 - sizeof(struct evtchn_fifo_control_block) + 8, 0),
		 -XEN_EINVAL, "control block crossing the page");
	/*
	 * A frame no memory map entry holds (0xf0000000: a hole under xenkvm and under Xen
	 * 4.17, whose PVH map has RAM where a PC has its VGA hole).
	 */
	check(kit_memmap_type(0xf0000000ULL, 4096) == KIT_MEM_HOLE, "0xf0000000 is no hole");
	check_eq(init_control(0xf0000, 0, 0), -XEN_EINVAL, "control block in a hole");
	check_eq(init_control(1ULL << 40, 0, 0), -XEN_EINVAL, "control block beyond 2^52");
}

/* Xen keeps an event raised before the port has a word and raises it on expand. */
static void test_init_and_early_event(void)
{
	evtchn_port_t a, b;
	uint32_t upcalls = kit_upcalls;

	check_eq(kit_fifo_init(), 0, "init_control for vCPU 0 (link_bits 17)");
	check_eq(init_control((uintptr_t)kit_fifo_control_block >> 12, 0, 0), -XEN_EINVAL,
		 "init_control twice for vCPU 0");
	/*
	 * An upcall raised under 2-level while interrupts were off is taken first (under
	 * Xen, xenconsoled signals the console port after it reads the guest's output, at
	 * moments no test controls). From here no new one can come: no port has an event
	 * word yet, and Xen keeps such an event in the port without an upcall.
	 */
	kit_wait_for(false, WAIT / 4);
	upcalls = kit_upcalls;
	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound");
	check_eq(kit_bind_loopback(a, &b), 0, "bind with no event array yet");
	check(!kit_wait_for(kit_upcalls != upcalls, WAIT / 4), "no upcall without an event array");
	check_eq(kit_fifo_setup_port(b), 0, "expand_array");
	check_eq(kit_fifo_pages, 1, "one page for the first ports");
	/* The page starts masked (as Linux fills it); the saved event links on unmask. */
	check(kit_fifo_is_pending(b), "saved event pending once the page exists");
	kit_fifo_unmask(b);
	check(kit_wait_for(kit_event_count[b] == 1, WAIT), "saved bind event delivered: %u",
	      kit_event_count[b]);
	kit_fifo_unmask(a);
	check_eq(kit_close(a), 0, "close");
	check_eq(kit_close(b), 0, "close");
}

static void test_loopback(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF };
	evtchn_port_t a, b;
	uint32_t before;

	pair(&a, &b);
	check(kit_wait_for(kit_event_count[b] == 1, WAIT), "event on bind: %u", kit_event_count[b]);
	check_eq(kit_send(b), 0, "send b -> a");
	check(kit_wait_for(kit_event_count[a] == 1, WAIT), "a received: %u", kit_event_count[a]);
	check_eq(kit_send(a), 0, "send a -> b");
	check(kit_wait_for(kit_event_count[b] == 2, WAIT), "b received: %u", kit_event_count[b]);
	check(!kit_fifo_is_linked(a) && !kit_fifo_is_linked(b), "consumed words unlinked");

	/* Masked: PENDING without LINKED, no upcall until unmask (EVTCHNOP_unmask here). */
	kit_fifo_mask(a);
	before = kit_upcalls;
	check_eq(kit_send(b), 0, "send to masked a");
	check(!kit_wait_for(kit_upcalls != before, WAIT / 4), "no upcall for a masked port");
	check(kit_fifo_is_pending(a), "masked port is pending");
	check(!kit_fifo_is_linked(a), "masked port is not linked");
	kit_fifo_unmask(a);
	check(kit_wait_for(kit_event_count[a] == 2, WAIT), "event after unmask: %u",
	      kit_event_count[a]);

	/* Close and rebind. */
	check_eq(kit_close(b), 0, "close b");
	st.port = a;
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "status");
	check_eq(st.status, EVTCHNSTAT_unbound, "peer of a closed port is unbound");
	check_eq(kit_send(a), 0, "send on an unbound port is dropped");
	check_eq(kit_close(b), -XEN_EINVAL, "closing a closed port");
	check_eq(kit_bind_loopback(a, &b), 0, "rebind");
	check_eq(kit_fifo_setup_port(b), 0, "expand");
	kit_fifo_unmask(b);
	uint32_t seen = kit_event_count[b];
	check_eq(kit_send(a), 0, "send after rebind");
	check(kit_wait_for(kit_event_count[b] > seen, WAIT), "event after rebind");
	check_eq(kit_close(a), 0, "close a");
	check_eq(kit_close(b), 0, "close b");
}

/* With interrupts off, events queue up; the upcall then shows the consumption order. */
static void test_order_and_priorities(void)
{
	evtchn_port_t p[3], q[3];

	for (int i = 0; i < 3; i++) {
		pair(&p[i], &q[i]);
		check(kit_wait_for(kit_event_count[q[i]] >= 1, WAIT), "bind event");
	}
	nr_order = 0;
	kit_event_hook = record;
	/* One priority: first in, first out. */
	check_eq(kit_send(q[2]), 0, "send");
	check_eq(kit_send(q[0]), 0, "send");
	check_eq(kit_send(q[1]), 0, "send");
	check(kit_wait_for(nr_order == 3, WAIT), "three events: %u", nr_order);
	check(order[0] == p[2] && order[1] == p[0] && order[2] == p[1],
	      "FIFO order %u %u %u, sent %u %u %u", order[0], order[1], order[2], p[2], p[0], p[1]);

	/* Priorities: 0 before 4 before the default 7, whatever the sending order. */
	check_eq(set_priority(p[1], 4), 0, "set_priority 4");
	check_eq(set_priority(p[2], EVTCHN_FIFO_PRIORITY_MAX), 0, "set_priority 0");
	nr_order = 0;
	check_eq(kit_send(q[0]), 0, "send default");
	check_eq(kit_send(q[1]), 0, "send 4");
	check_eq(kit_send(q[2]), 0, "send 0");
	check(kit_wait_for(nr_order == 3, WAIT), "three events: %u", nr_order);
	check(order[0] == p[2] && order[1] == p[1] && order[2] == p[0],
	      "priority order %u %u %u, want %u %u %u", order[0], order[1], order[2], p[2], p[1],
	      p[0]);
	kit_event_hook = NULL;

	check_eq(set_priority(p[0], EVTCHN_FIFO_PRIORITY_MIN + 1), -XEN_EINVAL, "priority 16");
	check_eq(set_priority(100000, 3), -XEN_EINVAL, "set_priority on an invalid port");
	check_eq(set_priority(p[0], EVTCHN_FIFO_PRIORITY_MIN), 0, "priority 15");
	for (int i = 0; i < 3; i++) {
		check_eq(kit_close(p[i]), 0, "close");
		check_eq(kit_close(q[i]), 0, "close");
	}
}

static void test_ipi(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &ipi), 0, "bind_ipi");
	check_eq(kit_fifo_setup_port(ipi.port), 0, "expand");
	kit_fifo_unmask(ipi.port);
	uint32_t seen = kit_event_count[ipi.port];
	check_eq(kit_send(ipi.port), 0, "send IPI");
	check(kit_wait_for(kit_event_count[ipi.port] == seen + 1, WAIT), "IPI received");
	check_eq(kit_close(ipi.port), 0, "close IPI");
}

static void test_poll(void)
{
	evtchn_port_t a, b;
	struct sched_poll poll = { .nr_ports = 1 };

	pair(&a, &b);
	check(kit_wait_for(kit_event_count[b] == 1, WAIT), "bind event");
	kit_fifo_mask(a);
	check_eq(kit_send(b), 0, "send");
	set_xen_guest_handle(poll.ports, &a);
	check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0, "poll on a pending FIFO port");
	kit_fifo_clear_pending(a);
	kit_fifo_unmask(a);
	check_eq(kit_close(a), 0, "close");
	check_eq(kit_close(b), 0, "close");
}

/* Up to port 1023; then Xen's limit of 128 array pages (2^17 words). */
static void test_exhaustion(void)
{
	static evtchn_port_t ports[2048];
	static uint8_t spare[4096] __attribute__((aligned(4096)));
	unsigned int n = 0, refused = 0;
	long rc = 0;

	/*
	 * One check per loop, not per port: how many ports are free depends on the ones the
	 * toolstack took, and a fact per port would be a thousand lines.
	 */
	while (n < 2048 && !(rc = kit_alloc_unbound(DOMID_SELF, &ports[n]))) {
		refused += kit_fifo_setup_port(ports[n]) != 0;
		n++;
	}
	check_eq(refused, 0, "expansions refused as ports were needed");
	printf("evtchn_fifo: %u ports allocated before %ld, %u array pages\n", n, rc,
	       kit_fifo_pages);
	check_eq(rc, -XEN_ENOSPC, "allocation past the limit");
	check_eq(ports[n - 1], 1023, "highest port");
	check_eq(kit_fifo_pages, 1, "1024 ports fit in one page");
	refused = 0;
	for (unsigned int i = 0; i < n; i++)
		refused += kit_close(ports[i]) != 0;
	check_eq(refused, 0, "closes refused");
	/* Words past the domain's ports are never used: one spare frame serves them all. */
	while (kit_fifo_pages < 128 && !(rc = kit_fifo_expand(spare)))
		;
	check_eq(rc, 0, "expand to 128 pages");
	check_eq(kit_fifo_expand(spare), -XEN_ENOSPC, "page 129");
}

static void test_reset_to_2l(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_expand_array ea = { .array_gfn = 0x200 };
	evtchn_port_t a, b;

	check_eq(evtchn_op(EVTCHNOP_reset, &r), 0, "reset");
	kit_events_init(); /* the 2-level handler again */
	check_eq(evtchn_op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP, "back to 2-level");
	check_eq(set_priority(1, 3), -XEN_ENOSYS, "no priorities under 2-level");
	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc");
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	uint32_t seen = kit_event_count[b];
	check(kit_wait_for(kit_event_count[b] == seen + 1, WAIT), "2-level bind event");
	kit_mask(a);
	seen = kit_upcalls;
	check_eq(kit_send(b), 0, "send to masked a");
	check(!kit_wait_for(kit_upcalls != seen, WAIT / 4), "masked under 2-level");
	check(kit_is_pending(a), "2-level pending bit");
	seen = kit_event_count[a];
	check_eq(kit_unmask(a), 0, "unmask");
	check(kit_wait_for(kit_event_count[a] == seen + 1, WAIT), "2-level event after unmask");
	/* FIFO again, as a kexec'd Linux would: its pending port waits for its page. */
	kit_mask(a);
	check_eq(kit_send(b), 0, "pending under 2-level");
	check_eq(kit_fifo_init(), 0, "init_control after reset");
	check_eq(kit_fifo_setup_port(a), 0, "expand");
	check(kit_fifo_is_pending(a), "2-level pending state carried into FIFO");
	seen = kit_event_count[a];
	kit_fifo_unmask(a);
	check(kit_wait_for(kit_event_count[a] == seen + 1, WAIT), "carried event delivered");
	printf("evtchn_fifo: done\n");
}

void test_main(void)
{
	kit_events_init();
	test_before_fifo();
	test_init_and_early_event();
	test_loopback();
	test_order_and_priorities();
	test_ipi();
	test_poll();
	test_exhaustion();
	test_reset_to_2l();
}
