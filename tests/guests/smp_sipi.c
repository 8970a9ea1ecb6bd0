// SPDX-License-Identifier: MIT
/*
 * smp_sipi: secondary vCPUs brought up as Linux brings them up on PVH and HVM guests
 * (arch/x86/kernel/smpboot.c, wakeup_secondary_cpu_via_init(); Xen's vlapic emulates
 * INIT and SIPI for such domUs): a real-mode trampoline in a page below 1 MiB, INIT
 * asserted and de-asserted, then two SIPIs whose vector is that page, all through the
 * x2APIC ICR (MSR 0x830); each vCPU goes 16 -> 32 -> 64-bit and reports in. No VCPUOP
 * starts anything. Linux sends them to each APIC id its ACPI MADT lists; the kit reads
 * no ACPI, so the first round goes to all but self (the ICR's destination shorthand) and each
 * vCPU learns its vCPU id from CPUID leaf base+4, so no APIC numbering is assumed; the
 * second round targets one APIC id, as Linux does.
 * - Before: every secondary vCPU is down (VCPUOP_is_up 0, Xen's _VPF_down).
 * - Each starts in real mode (CR0.PE clear) with CS = vector << 8 (SDM 8.4.4.1 and
 *   10.6.1: the SIPI vector is the start page); every vCPU id arrives exactly once; each
 *   one's x2APIC id equals its CPUID leaf 0xb EDX (the SDM's invariant).
 * - After the SIPI: VCPUOP_is_up 1 and VCPUOP_initialise -EEXIST (Xen's
 *   hvm_vcpu_reset_state() on SIPI marks the vCPU initialised and up).
 * - A SIPI alone to a running vCPU is ignored (it is not waiting for SIPI): it keeps
 *   running kit code. An INIT stops it (VCPUOP_is_up 0 again: Xen's vcpu_reset()), and
 *   INIT-SIPI-SIPI to its APIC id starts it again through the trampoline, as Linux
 *   onlines a CPU again.
 * The runner passes the vCPU count as vcpus=N.
 */
#include "kit.h"
#include "hypercall.h"
#include "smp.h"
#include "smp_trampoline.h"

#define CR0_PE 1u

struct slot {
	uint32_t vcpu_id;
	uint32_t apic_id;
	uint32_t leaf_b_id;
};

static struct slot slots[KIT_MAX_CPUS];
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

static void identify(unsigned int cpu, void *arg)
{
	uint32_t a, b, c, d;

	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	slots[cpu].vcpu_id = b;
	slots[cpu].apic_id = kit_apic_id();
	cpuid_count(0xb, 0, &a, &b, &c, &d);
	slots[cpu].leaf_b_id = d;
}

/* Counts until told to stop: shows the vCPU keeps running. */
static void count(unsigned int cpu, void *arg)
{
	while (!stop_counting)
		ticks[cpu]++;
}

static unsigned int expected_vcpus(void)
{
	uint64_t n;

	if (!kit_cmdline_u64("vcpus", &n))
		kit_error("the manifest must pass vcpus=N on the command line");
	return (unsigned int)n;
}

static void check_seen(const struct kit_sipi_seen *seen, const char *when)
{
	printf("smp_sipi: %s: started with CS 0x%x, CR0 0x%x\n", when, seen->cs, seen->cr0);
	check_eq(seen->cs, KIT_SIPI_VECTOR << 8, "CS at the first instruction after SIPI");
	check((seen->cr0 & CR0_PE) == 0, "%s: started with CR0.PE set (0x%x)", when, seen->cr0);
}

/* Every vCPU id in exactly one slot, the boot vCPU in slot 0; the SDM's APIC id rule. */
static void check_slots(unsigned int n)
{
	bool seen_id[KIT_MAX_CPUS] = { false };

	for (unsigned int s = 0; s < n; s++) {
		const struct slot *sl = &slots[s];

		printf("smp_sipi: slot %u: vCPU %u, x2APIC id %u\n", s, sl->vcpu_id, sl->apic_id);
		check(sl->vcpu_id < n && !seen_id[sl->vcpu_id],
		      "slot %u: vCPU id %u twice or "
		      "out of range",
		      s, sl->vcpu_id);
		if (sl->vcpu_id < n)
			seen_id[sl->vcpu_id] = true;
		check_eq(sl->apic_id, sl->leaf_b_id, "x2APIC id vs CPUID leaf 0xb EDX");
	}
	check_eq(slots[0].vcpu_id, 0, "the boot vCPU's id");
}

static void check_up_and_initialised(uint32_t vcpu)
{
	struct vcpu_hvm_context ctx;

	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, vcpu, NULL), 1, "VCPUOP_is_up after SIPI");
	kit_smp_context(1, &ctx);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, vcpu, &ctx), -XEN_EEXIST,
		 "VCPUOP_initialise of a vCPU started by SIPI");
}

/* A lone SIPI changes nothing; INIT stops the vCPU; INIT-SIPI-SIPI brings it back. */
static void restart(unsigned int s)
{
	const struct slot *sl = &slots[s];
	struct kit_sipi_seen seen;
	uint64_t before;
	long rc;

	kit_cpu_call_async(s, count, NULL);
	while (!ticks[s])
		cpu_relax();
	kit_smp_send_sipi(sl->apic_id);
	/* A vCPU thread may wait for a host CPU a while: allow a second or so. */
	before = ticks[s];
	for (uint64_t t0 = tsc_now(); ticks[s] == before && tsc_now() - t0 < 3000000000ULL;)
		cpu_relax();
	check(ticks[s] != before, "vCPU %u stopped counting after a lone SIPI", sl->vcpu_id);
	check(kit_cpu_online(s), "vCPU %u went offline after a lone SIPI", sl->vcpu_id);

	kit_smp_send_init(sl->apic_id);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, sl->vcpu_id, NULL), 0, "VCPUOP_is_up after INIT");
	before = ticks[s];
	pause_a_while();
	check_eq(ticks[s], before, "ticks of a vCPU after INIT");

	rc = kit_smp_start_cpu_sipi(s, sl->apic_id, &seen);
	if (rc)
		kit_error("INIT-SIPI-SIPI to x2APIC id %u: %ld", sl->apic_id, rc);
	stop_counting = true;
	check_seen(&seen, "again");
	check_up_and_initialised(sl->vcpu_id);
}

void test_main(void)
{
	unsigned int want = expected_vcpus(), n;
	struct kit_sipi_seen seen;
	long rc;

	if (!kit_x2apic)
		kit_skip("no x2APIC: the kit sends INIT and SIPI through the x2APIC ICR only");
	if (want > KIT_MAX_CPUS)
		kit_error("the kit handles at most %u vCPUs", KIT_MAX_CPUS);
	if (kit_memmap_type(KIT_TRAMPOLINE_BASE, 4096) != XEN_HVM_MEMMAP_TYPE_RAM)
		kit_error("the trampoline page 0x%x is not RAM", KIT_TRAMPOLINE_BASE);
	n = kit_smp_count();
	check_eq(n, want, "vCPUs answering VCPUOP_is_up");
	for (unsigned int v = 1; v < n; v++)
		check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, v, NULL), 0,
			 "VCPUOP_is_up before INIT-SIPI-SIPI");

	kit_smp_trampoline_install();
	rc = kit_smp_start_all_sipi(n, &seen);
	if (rc)
		kit_error("INIT-SIPI-SIPI to all but self: %ld", rc);
	printf("smp_sipi: %u vCPUs up\n", n);
	if (n > 1)
		check_seen(&seen, "first");
	kit_on_each_cpu(identify, NULL);
	check_slots(n);
	for (unsigned int v = 1; v < n; v++)
		check_up_and_initialised(v);
	if (n > 1)
		restart(n - 1);
	kit_on_each_cpu(identify, NULL);
	printf("smp_sipi: done\n");
}
