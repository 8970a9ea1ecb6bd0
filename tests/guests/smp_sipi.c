// SPDX-License-Identifier: MIT
/*
 * smp_sipi: secondary vCPUs brought up as Linux brings them up on PVH and HVM guests
 * (arch/x86/kernel/smpboot.c, wakeup_secondary_cpu_via_init(); the same on Xen, whose
 * vlapic emulates INIT and SIPI for HVM and PVH domUs): a real-mode trampoline in a page
 * below 1 MiB, INIT asserted and de-asserted, then two SIPIs whose vector is that page,
 * all through the x2APIC ICR (MSR 0x830); each vCPU goes 16 -> 32 -> 64-bit and reports
 * in. No VCPUOP is used to start anything.
 * - Before: every secondary vCPU is down (VCPUOP_is_up 0, Xen's _VPF_down).
 * - Each starts in real mode (CR0.PE clear) with CS = vector << 8 (SDM 8.4.4.1 and
 *   10.6.1: the SIPI vector is the start page), reaches the kit and runs a function
 *   there; its x2APIC id is its index (xenkvm's numbering, docs/VMM-INTERFACE.md).
 * - After a SIPI: VCPUOP_is_up 1 and VCPUOP_initialise -EEXIST (Xen's
 *   hvm_vcpu_reset_state() on SIPI marks the vCPU initialised and up).
 * - A SIPI alone to a running vCPU is ignored (it is not waiting for SIPI): it keeps
 *   running kit code. An INIT stops it (VCPUOP_is_up 0 again: Xen's vcpu_reset()), and
 *   INIT-SIPI-SIPI starts it again through the trampoline, as Linux onlines a CPU again.
 * The runner passes the vCPU count as vcpus=N.
 */
#include "kit.h"
#include "hypercall.h"
#include "smp.h"
#include "smp_trampoline.h"

#define CR0_PE 1u

static uint32_t apic_ids[KIT_MAX_CPUS];
static volatile uint64_t ticks[KIT_MAX_CPUS];
static volatile bool stop_counting;

static inline uint64_t tsc_now(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* A few milliseconds of the TSC, during which a running vCPU counts. */
static void pause_a_while(void)
{
	for (uint64_t t0 = tsc_now(); tsc_now() - t0 < 10000000;)
		cpu_relax();
}

static void record_apic_id(unsigned int cpu, void *arg)
{
	apic_ids[cpu] = kit_apic_id();
}

/* Counts until told to stop: shows the vCPU keeps running. */
static void count(unsigned int cpu, void *arg)
{
	while (!stop_counting)
		ticks[cpu]++;
}

static unsigned int expected_vcpus(void)
{
	char text[8];
	unsigned int n = 0;

	if (!kit_cmdline_value("vcpus", text, sizeof(text)))
		kit_error("the manifest must pass vcpus=N on the command line");
	for (const char *p = text; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (unsigned int)(*p - '0');
	return n;
}

static void start(unsigned int cpu, const char *when)
{
	struct kit_sipi_seen seen;
	long rc = kit_smp_start_cpu_sipi(cpu, cpu, &seen);

	if (rc)
		kit_error("INIT-SIPI-SIPI to vCPU %u (%s): %ld", cpu, when, rc);
	printf("smp_sipi: vCPU %u up (%s): started with CS 0x%x, CR0 0x%x\n", cpu, when, seen.cs,
	       seen.cr0);
	check_eq(seen.cs, KIT_SIPI_VECTOR << 8, "CS at the first instruction after SIPI");
	check((seen.cr0 & CR0_PE) == 0, "vCPU %u started with CR0.PE set (0x%x)", cpu, seen.cr0);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL), 1, "VCPUOP_is_up after SIPI");
}

static void check_initialise_refused(unsigned int cpu)
{
	struct vcpu_hvm_context ctx;

	kit_smp_context(cpu, &ctx);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctx), -XEN_EEXIST,
		 "VCPUOP_initialise of a vCPU started by SIPI");
}

/* A lone SIPI changes nothing; INIT stops the vCPU; INIT-SIPI-SIPI brings it back. */
static void restart(unsigned int cpu)
{
	uint64_t before;

	kit_cpu_call_async(cpu, count, NULL);
	while (!ticks[cpu])
		cpu_relax();
	kit_smp_send_sipi(cpu);
	/* A vCPU thread may wait for a host CPU a while: allow a second or so. */
	before = ticks[cpu];
	for (uint64_t t0 = tsc_now(); ticks[cpu] == before && tsc_now() - t0 < 3000000000ULL;)
		cpu_relax();
	check(ticks[cpu] != before, "vCPU %u stopped counting after a lone SIPI", cpu);
	check(kit_cpu_online(cpu), "vCPU %u went offline after a lone SIPI", cpu);

	kit_smp_send_init(cpu);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL), 0, "VCPUOP_is_up after INIT");
	before = ticks[cpu];
	pause_a_while();
	check_eq(ticks[cpu], before, "ticks of a vCPU after INIT");
	start(cpu, "again");
	stop_counting = true;
}

void test_main(void)
{
	unsigned int want = expected_vcpus(), n;

	if (!kit_x2apic)
		kit_skip("no x2APIC: the kit sends INIT and SIPI through the x2APIC ICR only");
	if (want > KIT_MAX_CPUS)
		kit_error("the kit handles at most %u vCPUs", KIT_MAX_CPUS);
	if (kit_memmap_type(KIT_TRAMPOLINE_BASE, 4096) != XEN_HVM_MEMMAP_TYPE_RAM)
		kit_error("the trampoline page 0x%x is not RAM", KIT_TRAMPOLINE_BASE);
	n = kit_smp_count();
	check_eq(n, want, "vCPUs answering VCPUOP_is_up");
	for (unsigned int cpu = 1; cpu < n; cpu++)
		check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL), 0,
			 "VCPUOP_is_up before INIT-SIPI-SIPI");

	kit_smp_trampoline_install();
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		start(cpu, "first");
		check_initialise_refused(cpu);
	}
	printf("smp_sipi: %u vCPUs up\n", n);
	kit_on_each_cpu(record_apic_id, NULL);
	for (unsigned int cpu = 0; cpu < n; cpu++)
		check_eq(apic_ids[cpu], cpu, "x2APIC id of the vCPU");
	if (n > 1)
		restart(n - 1);
	kit_on_each_cpu(record_apic_id, NULL);
	printf("smp_sipi: done\n");
}
