// SPDX-License-Identifier: MIT
/*
 * time: Xen system time and wallclock as xen.h defines them. The pvclock in vcpu_time_info
 * (version protocol: even when stable) never goes backwards and advances at the rate of the
 * TSC frequency in CPUID leaf base+3; the wallclock (wc_sec/wc_sec_hi/wc_nsec, the UNIX
 * time of system time 0) plus system time matches the host's clock, passed by the runner
 * as now_ns=NANOSECONDS on the command line, within 500 ms. VCPUOP_register_vcpu_info
 * moves vcpu_info (time included) with Xen's checks.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/arch-x86/cpuid.h>

#define NSEC 1000000000ULL

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void test_monotonic(void)
{
	uint64_t prev = kit_system_time(), backwards = 0;

	/*
	 * Across the VMM's once-a-second resync, by time rather than count: rdtsc may trap to
	 * the hypervisor (it does under kvm_pvm), which makes each read slow.
	 */
	for (uint64_t end = prev + 1300000000ULL; prev < end;) {
		uint64_t now = kit_system_time();

		if (now < prev) {
			backwards++;
			printf("time: went back from %lu to %lu\n", (unsigned long)prev,
			       (unsigned long)now);
		}
		prev = now;
	}
	check_eq(backwards, 0, "pvclock reads that went backwards");
	check_eq(kit_shared_info->vcpu_info[0].time.version & 1, 0, "version even when stable");
}

static void test_rate(void)
{
	uint32_t a, b, khz, d;
	uint64_t t0, c0, t1, c1, ns, tsc_ns;

	cpuid_count(kit_xen.base + 3, 0, &a, &b, &khz, &d);
	if (!khz)
		kit_skip("no TSC frequency in the time leaf");
	/*
	 * Each pvclock time comes with the TSC reading it was computed from: a vCPU
	 * preempted between two separate reads would otherwise skew the comparison.
	 */
	t0 = kit_system_time_tsc(0, &c0);
	while (kit_system_time() - t0 < 50000000ULL)
		;
	t1 = kit_system_time_tsc(0, &c1);
	ns = t1 - t0;
	tsc_ns = (c1 - c0) * 1000000ULL / khz;
	printf("time: 50 ms by pvclock = %lu ns by TSC at %u kHz\n", (unsigned long)tsc_ns, khz);
	/* Both clocks are the same TSC: they agree to better than 0.1 %, resyncs included. */
	check(tsc_ns > ns - ns / 1000 && tsc_ns < ns + ns / 1000, "pvclock %lu ns vs TSC %lu ns",
	      (unsigned long)ns, (unsigned long)tsc_ns);
}

static void test_wallclock(void)
{
	struct shared_info *si = kit_shared_info;
	uint32_t version;
	uint64_t sec, nsec, host, guest;

	do {
		version = si->wc_version;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		sec = si->wc_sec | ((uint64_t)si->wc_sec_hi << 32);
		nsec = si->wc_nsec;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while ((version & 1) || version != si->wc_version);
	check(nsec < NSEC, "wc_nsec %lu below one second", (unsigned long)nsec);
	guest = sec * NSEC + nsec + kit_system_time();
	if (!kit_cmdline_u64("now_ns", &host))
		kit_skip("no now_ns=NANOSECONDS on the command line");
	printf("time: guest UNIX time %lu ms, host %lu ms when the VMM started\n",
	       (unsigned long)(guest / 1000000), (unsigned long)(host / 1000000));
	/* The host's time was taken just before the VMM started: the guest's is later, by
	 * the start-up time, and never earlier. Start-up takes up to a few seconds in the
	 * test host (the VMM and its libraries read over 9p, guest pages first touched at
	 * TCG speed), so the bound only catches a wrong epoch, unit or offset. */
	check(guest >= host && guest - host < 5000000000ULL,
	      "wallclock %ld ms from the host's (bound: 0 to 5000 ms)",
	      (long)((int64_t)(guest - host) / 1000000));
}

static uint8_t vcpu_info_page[4096] __attribute__((aligned(4096)));

static void test_register_vcpu_info(void)
{
	struct vcpu_register_vcpu_info info = { .mfn = (uintptr_t)vcpu_info_page >> 12,
						.offset = 4095 };
	struct vcpu_info *vi = (struct vcpu_info *)(vcpu_info_page + 64);
	long rc;

	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, &info), -XEN_ENXIO,
		 "vcpu_info crossing the page end");
	info.offset = 4;
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, &info), -XEN_ENXIO,
		 "misaligned vcpu_info");
	info.offset = 64;
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 4096, &info),
		 -XEN_ENOENT, "vcpu_info for a missing vCPU");
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, &info);
	check_eq(rc, 0, "VCPUOP_register_vcpu_info");
	/* The time moved with it; Xen marks everything pending after the move. */
	check(vi->time.tsc_to_system_mul != 0, "time info in the registered vcpu_info");
	check(vi->evtchn_upcall_pending, "upcall pending after the move");
	check_eq(vi->evtchn_pending_sel, ~(xen_ulong_t)0, "selector all ones after the move");
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, &info), -XEN_EINVAL,
		 "registering twice");
}

/* vcpu_runstate_info (vcpu.h): the calling vCPU is running; times add up to no more
 * than the time since boot and only grow. */
static void test_runstate(void)
{
	static struct vcpu_runstate_info area;
	struct vcpu_register_runstate_memory_area reg = { .addr.p = (uintptr_t)&area };
	struct vcpu_runstate_info a, b;
	uint64_t now;

	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, &a), 0,
		 "get_runstate_info");
	now = kit_system_time();
	check_eq(a.state, RUNSTATE_running, "state of the calling vCPU");
	check(a.time[RUNSTATE_running] + a.time[RUNSTATE_blocked] <= now + 1000000,
	      "runstate times exceed the time since boot");
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, &b), 0,
		 "get_runstate_info again");
	check(b.time[RUNSTATE_running] >= a.time[RUNSTATE_running], "running time went back");
	area.state = -1;
	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0, &reg), 0,
		 "register_runstate_memory_area");
	check_eq(area.state, RUNSTATE_running, "registered area written");
}

void test_main(void)
{
	kit_events_init();
	test_wallclock();
	test_runstate();
	test_monotonic();
	test_rate();
	test_register_vcpu_info();
}
