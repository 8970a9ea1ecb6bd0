// SPDX-License-Identifier: MIT
/*
 * bench_evtchn: the cost of a raw port-I/O exit (outb to port 0x80, which no device
 * claims: the floor of any exit to the VMM on this host), of a cheap hypercall
 * (xen_version XENVER_version) and of an event round trip (EVTCHNOP_send on a loopback
 * channel until the upcall handler has run), with the 2-level ABI and then with FIFO.
 * Timed with Xen system time from the pvclock over many iterations, read only at the
 * ends of each slice (rdtsc traps on some hosts). Run by tests/bench/evtchn, not by make
 * check.
 *
 * The figures of one ABI are taken in SLICES interleaved slices (floor, hypercall, round
 * trip, floor, ...), each ITERS / SLICES iterations, so that a ratio compares times
 * measured under the same load: a shared host's load changes within seconds, and a floor
 * measured before a whole block of round trips made the ratio swing by 1.4x between runs.
 *
 * Output, one line per figure and ABI: "bench_evtchn: NAME ITERATIONS iterations NS ns",
 * NAME being pio_2l, hypercall, event_2l, then pio_fifo, event_fifo (pio_2l and pio_fifo:
 * the floor taken between the slices of that ABI's figures). The command line may set the
 * iterations: "iters=N".
 */
#include "kit.h"
#include "events.h"
#include "events_fifo.h"
#include "hypercall.h"

#include <xen/version.h>

#define DEFAULT_ITERS 20000
#define SLICES 20

static unsigned long iters = DEFAULT_ITERS;

static void report(const char *name, uint64_t ns)
{
	printf("bench_evtchn: %s %lu iterations %lu ns\n", name, iters / SLICES * SLICES,
	       (unsigned long)ns);
}

/* One slice of each figure; each returns the slice's time in ns. */
static uint64_t slice_pio(unsigned long n)
{
	uint64_t t0 = kit_system_time();

	for (unsigned long i = 0; i < n; i++)
		outb(0x80, 0);
	return kit_system_time() - t0;
}

static uint64_t slice_hypercall(unsigned long n)
{
	uint64_t t0 = kit_system_time();

	for (unsigned long i = 0; i < n; i++)
		HYPERVISOR_xen_version(XENVER_version, NULL);
	return kit_system_time() - t0;
}

/* Interrupts stay on: the upcall runs as soon as the send returns to the guest. */
static uint64_t slice_round_trip(unsigned long n, evtchn_port_t a, evtchn_port_t b)
{
	volatile uint32_t *count = &kit_event_count[a];
	uint64_t t0, ns;

	irq_enable();
	t0 = kit_system_time();
	for (unsigned long i = 0; i < n; i++) {
		uint32_t seen = *count;

		if (kit_send(b))
			kit_error("EVTCHNOP_send failed");
		while (*count == seen)
			;
	}
	ns = kit_system_time() - t0;
	irq_disable();
	return ns;
}

/* The floor, (the hypercall,) the round trip: SLICES rounds of one slice each. */
static void bench_abi(const char *abi, bool hypercall, evtchn_port_t a, evtchn_port_t b)
{
	unsigned long n = iters / SLICES ? iters / SLICES : 1;
	uint64_t pio = 0, hc = 0, rt = 0;
	char name[16];

	for (unsigned int s = 0; s < SLICES; s++) {
		pio += slice_pio(n);
		if (hypercall)
			hc += slice_hypercall(n);
		rt += slice_round_trip(n, a, b);
	}
	snprintf(name, sizeof(name), "pio_%s", abi);
	report(name, pio);
	if (hypercall)
		report("hypercall", hc);
	snprintf(name, sizeof(name), "event_%s", abi);
	report(name, rt);
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
	if (iters < SLICES)
		iters = SLICES;
	kit_events_init();
	loopback(&a, &b);
	drain(b);
	bench_abi("2l", true, a, b);
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
	bench_abi("fifo", false, a, b);
}
