// SPDX-License-Identifier: MIT
/*
 * pvconsole: the PV console ring of xen/io/console.h at HVM_PARAM_CONSOLE_PFN/EVTCHN,
 * as Linux's hvc_xen uses it. 200 numbered lines (more than twice the 2048-byte output
 * ring) go out with flow control: the guest waits for the backend to consume before it
 * overwrites; the runner checks every line arrives once and in order. The input ring
 * delivers what the runner queued (--console-input). A producer index beyond the ring
 * must not break the backend: output written after it still arrives.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/hvm/params.h>
#include <xen/io/console.h>

#define LINES 200
#define SECOND_US 1000000ULL
/*
 * How long the backend may take to act on a notification: it runs on its own I/O thread,
 * not in the hypercall, and a loaded test host can hold that thread off for a while. A
 * bound for a hung backend, never a timing check.
 */
#define BACKEND_WAIT_US (5 * SECOND_US)

static struct xencons_interface *ring;
static evtchn_port_t port;

static long get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

/* Writes all of s, waiting for room: false if the backend stops consuming. */
static bool put(const char *s, size_t len)
{
	while (len) {
		XENCONS_RING_IDX prod = ring->out_prod;
		uint64_t deadline = kit_system_time() + BACKEND_WAIT_US * 1000;

		while (prod - __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) ==
		       sizeof(ring->out))
			if (kit_system_time() > deadline)
				return false;
		while (len && prod - ring->out_cons < sizeof(ring->out)) {
			ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
			prod++;
			len--;
		}
		__atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
		kit_send(port);
	}
	return true;
}

static void test_output(void)
{
	char line[64];

	for (int i = 0; i < LINES; i++) {
		int n = snprintf(line, sizeof(line), "pvconsole: line %03d of %d\n", i, LINES);

		if (!put(line, (size_t)n)) {
			fail("the backend stopped consuming at line %d", i);
			return;
		}
	}
}

static void test_input(void)
{
	static const char want[] = "hello-input\n";
	char got[sizeof(want)] = { 0 };
	uint64_t deadline = kit_system_time() + BACKEND_WAIT_US * 1000;
	unsigned int n = 0;

	/* The backend fills the input ring once the guest has notified the port. */
	kit_send(port);
	while (n < sizeof(want) - 1 && kit_system_time() < deadline) {
		XENCONS_RING_IDX cons = ring->in_cons;

		while (cons != __atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE) &&
		       n < sizeof(want) - 1)
			got[n++] = ring->in[MASK_XENCONS_IDX(cons++, ring->in)];
		__atomic_store_n(&ring->in_cons, cons, __ATOMIC_RELEASE);
	}
	kit_send(port);
	check(!strcmp(got, want), "input ring gave \"%s\"", got);
}

static void test_bad_index(void)
{
	static const char after[] = "pvconsole: output after a bad producer index\n";

	/*
	 * The numbered lines must be consumed first: the backend drops whatever lies between
	 * its consumer and a producer it cannot trust, and a slow backend (ASan, a loaded
	 * test host) may still hold the last of them.
	 */
	check(kit_wait_for(ring->out_cons == ring->out_prod, BACKEND_WAIT_US),
	      "the backend consumed the numbered lines");
	/* A producer 5000 bytes ahead of the consumer: more than the ring holds. */
	__atomic_store_n(&ring->out_prod, ring->out_cons + 5000, __ATOMIC_RELEASE);
	kit_send(port);
	kit_wait_for(ring->out_cons == ring->out_prod, BACKEND_WAIT_US);
	check_eq(ring->out_cons, ring->out_prod, "backend resynchronised its consumer");
	check(put(after, sizeof(after) - 1), "output after the bad index");
}

void test_main(void)
{
	uint64_t pfn, evtchn;

	kit_events_init();
	if (get_param(HVM_PARAM_CONSOLE_PFN, &pfn) ||
	    get_param(HVM_PARAM_CONSOLE_EVTCHN, &evtchn) || !pfn)
		kit_error("no PV console (HVM_PARAM_CONSOLE_PFN unset)");
	ring = (struct xencons_interface *)(uintptr_t)(pfn << 12);
	port = (evtchn_port_t)evtchn;
	test_output();
	test_input();
	test_bad_index();
}
