// SPDX-License-Identifier: MIT
/*
 * vcpu_time_area: VCPUOP_register_vcpu_time_memory_area (vcpu.h), the second copy of a
 * vCPU's vcpu_time_info that Linux registers for its vDSO (arch/x86/xen/time.c,
 * xen_setup_vsyscall_time_info(): a zeroed page, then PVCLOCK_TSC_STABLE_BIT decides
 * whether user space may read it). The hypervisor writes the copy wherever it writes the
 * vcpu_info one: the same fields, a clock that agrees with it now and a second later, and
 * nothing more once a null handle unregistered it. An unknown vCPU is -ENOENT.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"

#include <xen/vcpu.h>

#define MS 1000000ULL

static volatile struct vcpu_time_info area __attribute__((aligned(4096)));

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static long register_area(unsigned int vcpu, volatile void *p)
{
	struct vcpu_register_time_memory_area t = { .addr.v = (void *)p };

	return hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, vcpu, &t);
}

/* Xen system time from `t`, by the version protocol; the version read in *version. */
static uint64_t time_from(volatile struct vcpu_time_info *t, uint32_t *version)
{
	uint64_t tsc;

	return kit_time_from(t, &tsc, version);
}

/* Both copies read within one version of each: the fields must be the same. */
static void check_same(const char *when)
{
	volatile struct vcpu_time_info *p = &kit_shared_info->vcpu_info[0].time;
	struct vcpu_time_info a, b;
	uint32_t va, vb;

	for (int tries = 0; tries < 100; tries++) {
		va = p->version;
		vb = area.version;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		a = *(struct vcpu_time_info *)p;
		b = *(struct vcpu_time_info *)&area;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!(va & 1) && !(vb & 1) && va == p->version && vb == area.version &&
		    a.tsc_timestamp == b.tsc_timestamp)
			break;
	}
	check(!(b.version & 1), "%s: the copy's version %u is odd", when, b.version);
	check(a.tsc_timestamp == b.tsc_timestamp && a.system_time == b.system_time &&
		      a.tsc_to_system_mul == b.tsc_to_system_mul && a.tsc_shift == b.tsc_shift &&
		      a.flags == b.flags,
	      "%s: the copy differs: tsc %lu/%lu, time %lu/%lu, mul %u/%u, shift %d/%d, "
	      "flags %#x/%#x",
	      when, (unsigned long)a.tsc_timestamp, (unsigned long)b.tsc_timestamp,
	      (unsigned long)a.system_time, (unsigned long)b.system_time, a.tsc_to_system_mul,
	      b.tsc_to_system_mul, a.tsc_shift, b.tsc_shift, a.flags, b.flags);
}

static void check_clock(const char *when)
{
	uint32_t v;
	uint64_t before = kit_system_time(), mine = time_from(&area, &v), after = kit_system_time();

	check(mine + MS >= before && mine <= after + MS,
	      "%s: the copy says %lu ns, vcpu_info %lu-%lu ns", when, (unsigned long)mine,
	      (unsigned long)before, (unsigned long)after);
}

void test_main(void)
{
	volatile struct vcpu_time_info *p;
	uint32_t v, primary;
	uint64_t until;

	kit_events_init();
	p = &kit_shared_info->vcpu_info[0].time;
	check_eq(register_area(1, &area), -XEN_ENOENT, "register for a vCPU that does not exist");
	check_eq(register_area(0, &area), 0, "register_vcpu_time_memory_area");
	check(area.version != 0 && area.tsc_to_system_mul != 0,
	      "nothing written at registration (version %u)", area.version);
	printf("vcpu_time_area: flags %#x (PVCLOCK_TSC_STABLE_BIT %s)\n", area.flags,
	       area.flags & XEN_PVCLOCK_TSC_STABLE_BIT ? "set" : "clear");
	check_same("at registration");
	check_clock("at registration");

	/* A second later (the user transport recalibrates once a second). */
	until = kit_system_time() + 1200 * MS;
	while (kit_system_time() < until)
		;
	check_same("a second later");
	check_clock("a second later");

	/* A null handle unregisters: a later update of vcpu_info leaves the page alone. */
	check_eq(register_area(0, NULL), 0, "unregister with a null handle");
	for (unsigned int i = 0; i < sizeof(area); i++)
		((volatile uint8_t *)&area)[i] = 0;
	(void)time_from(p, &primary);
	until = kit_system_time() + 2500 * MS;
	while (kit_system_time() < until && (time_from(p, &v), v == primary))
		;
	if (v != primary)
		check(area.version == 0 && area.system_time == 0,
		      "the page was written after unregistering (version %u)", area.version);
	else
		printf("vcpu_time_area: vcpu_info's time did not change in 2.5 s\n");
	printf("vcpu_time_area: done\n");
}
