// SPDX-License-Identifier: MIT
/*
 * bench_evtchn: the cost of a raw port-I/O exit (outb to port 0x80, which no device
 * claims: the floor of any exit to the VMM on this host), of a cheap hypercall
 * (xen_version XENVER_version) and of an event round trip (EVTCHNOP_send on a loopback
 * channel until the upcall handler has run), with the 2-level ABI and then with FIFO.
 * Timed with Xen system time from the pvclock over many iterations, read only at the
 * ends (rdtsc traps on some hosts). Run by tests/bench/evtchn, not by make check.
 *
 * Output, one line per figure: "bench_evtchn: NAME ITERATIONS iterations NS ns".
 * The command line may set the iterations: "iters=N".
 */
#include "kit.h"
#include "events.h"
#include "events_fifo.h"
#include "hypercall.h"

#include <xen/version.h>

#define DEFAULT_ITERS 20000

static unsigned long iters = DEFAULT_ITERS;

static void report(const char *name, uint64_t ns)
{
	printf("bench_evtchn: %s %lu iterations %lu ns\n", name, iters, (unsigned long)ns);
}

static void bench_pio(void)
{
	uint64_t t0 = kit_system_time();

	for (unsigned long i = 0; i < iters; i++)
		outb(0x80, 0);
	report("pio", kit_system_time() - t0);
}

static void bench_hypercall(void)
{
	uint64_t t0 = kit_system_time();

	for (unsigned long i = 0; i < iters; i++)
		HYPERVISOR_xen_version(XENVER_version, NULL);
	report("hypercall", kit_system_time() - t0);
}

/* Interrupts stay on: the upcall runs as soon as the send returns to the guest. */
static void bench_round_trip(const char *name, evtchn_port_t a, evtchn_port_t b)
{
	volatile uint32_t *count = &kit_event_count[a];
	uint64_t t0;

	irq_enable();
	t0 = kit_system_time();
	for (unsigned long i = 0; i < iters; i++) {
		uint32_t seen = *count;

		if (kit_send(b))
			kit_error("EVTCHNOP_send failed");
		while (*count == seen)
			;
	}
	report(name, kit_system_time() - t0);
	irq_disable();
}

static void loopback(evtchn_port_t *a, evtchn_port_t *b)
{
	if (kit_alloc_unbound(DOMID_SELF, a) || kit_bind_loopback(*a, b))
		kit_error("cannot bind a loopback channel");
}

/* The notification Xen sends on bind: let it arrive before timing. */
static void drain(evtchn_port_t b)
{
	if (!kit_wait_for(kit_event_count[b] != 0, 100000))
		kit_error("no event on bind");
}

void test_main(void)
{
	evtchn_port_t a, b;
	uint64_t n;

	if (kit_cmdline_u64("iters", &n))
		iters = (unsigned long)n;
	if (!iters)
		iters = DEFAULT_ITERS;
	kit_events_init();
	bench_pio();
	bench_hypercall();
	loopback(&a, &b);
	drain(b);
	bench_round_trip("event_2l", a, b);
	kit_close(a);
	kit_close(b);

	if (kit_fifo_init())
		kit_error("EVTCHNOP_init_control failed");
	loopback(&a, &b);
	if (kit_fifo_setup_port(a > b ? a : b))
		kit_error("EVTCHNOP_expand_array failed");
	kit_fifo_unmask(a);
	kit_fifo_unmask(b);
	kit_event_count[b] = 0;
	drain(b);
	kit_event_count[a] = 0;
	bench_round_trip("event_fifo", a, b);
	/* The floor again: the host may have changed speed during the run. */
	bench_pio();
}
