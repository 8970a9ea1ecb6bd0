// SPDX-License-Identifier: MIT
/*
 * smp: every vCPU of the domain comes up through Xen's hypercalls and identifies itself.
 * This is the path Xen offers HVM and PVH domUs besides the local APIC, and the one the
 * kit's other SMP tests use; Linux does not take it (on PVH and HVM it starts vCPUs with
 * INIT-SIPI-SIPI, which smp_sipi tests; VCPUOP_initialise with a vcpu_guest_context is
 * its PV path).
 *
 * - The number of vCPUs is what VCPUOP_is_up answers for before -ENOENT (Linux's PV
 *   xen_filter_cpu_maps() counts them this way); the runner passes the --vcpus value
 *   as "vcpus=N" on the command line and it must match.
 * - Each vCPU is started with VCPUOP_initialise (a 64-bit vcpu_hvm_context, hvm_vcpu.h)
 *   and VCPUOP_up; then each one reads the vCPU id in CPUID leaf base+4 EBX (cpuid.h),
 *   which must be its own, and its x2APIC id, which must equal the one CPUID leaves 0xb
 *   and 0x1f (every sub-leaf), the initial APIC id of leaf 1 and, on AMD, the extended
 *   APIC id of leaf 0x8000001e report on that vCPU (the SDM's and APM's invariant). xenkvm gives vCPU n the APIC id n, which
 *   is checked too; Xen 4.17's vlapic uses 2n (vlapic_reset()), a known difference.
 * - After bring-up every vCPU is_up (1); initialising an initialised vCPU is -EEXIST,
 *   vCPU 0 included; an id past the last is -ENOENT for every VCPUOP (do_vcpu_op()).
 */
#include "kit.h"
#include "hypercall.h"
#include "smp.h"

#include <xen/arch-x86/cpuid.h>

struct report {
	bool ran;
	uint32_t apic_id;
	uint32_t leaf_flags;
	uint32_t leaf_vcpu;
	uint32_t leaf_b_id;
	uint32_t leaf_1f_id; /* ~0 when the CPU has no valid leaf 0x1f */
	uint32_t leaf_1_id;
	uint32_t leaf_8000001e_id; /* ~0 without AMD's TOPOEXT leaf */
};

static struct report reports[KIT_MAX_CPUS];

static void identify(unsigned int cpu, void *arg)
{
	struct report *r = &reports[cpu];
	uint32_t a, b, c, d;

	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	r->leaf_flags = a;
	r->leaf_vcpu = b;
	r->apic_id = kit_x2apic ? kit_apic_id() : ~0u;
	cpuid_count(0xb, 0, &a, &b, &c, &d);
	r->leaf_b_id = d;
	cpuid(0, &a, &b, &c, &d);
	r->leaf_1f_id = ~0u;
	if (a >= 0x1f) {
		/* The SDM's test for a valid leaf 0x1f: EBX[15:0] of sub-leaf 0 non-zero. */
		cpuid_count(0x1f, 0, &a, &b, &c, &d);
		if (b & 0xffff)
			r->leaf_1f_id = d;
	}
	cpuid(1, &a, &b, &c, &d);
	r->leaf_1_id = b >> 24;
	r->leaf_8000001e_id = ~0u;
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x8000001e) {
		cpuid(0x80000001, &a, &b, &c, &d);
		/* TOPOEXT (ECX bit 22): 0x8000001e EAX is the extended APIC id. */
		if (c & (1u << 22)) {
			cpuid(0x8000001e, &a, &b, &c, &d);
			r->leaf_8000001e_id = a;
		}
	}
	__atomic_store_n(&r->ran, true, __ATOMIC_RELEASE);
}

static unsigned int expected_vcpus(void)
{
	uint64_t n;

	if (!kit_cmdline_u64("vcpus", &n))
		kit_error("the manifest must pass vcpus=N on the command line");
	return (unsigned int)n;
}

static void check_reports(unsigned int n)
{
	for (unsigned int cpu = 0; cpu < n; cpu++) {
		const struct report *r = &reports[cpu];

		printf("smp: vCPU %u: ran %d, x2APIC id %u, leaf base+4 vCPU id %u\n", cpu, r->ran,
		       r->apic_id, r->leaf_vcpu);
		check(r->ran, "vCPU %u did not run the function", cpu);
		check(r->leaf_flags & XEN_HVM_CPUID_VCPU_ID_PRESENT,
		      "vCPU %u: leaf base+4 lacks VCPU_ID_PRESENT", cpu);
		check_eq(r->leaf_vcpu, cpu, "vCPU id in leaf base+4");
		if (!kit_x2apic)
			continue;
		check_eq(r->apic_id, r->leaf_b_id, "x2APIC id vs CPUID leaf 0xb EDX");
		if (r->leaf_1f_id != ~0u)
			check_eq(r->apic_id, r->leaf_1f_id, "x2APIC id vs CPUID leaf 0x1f EDX");
		check_eq(r->apic_id & 0xff, r->leaf_1_id, "x2APIC id vs CPUID leaf 1 EBX[31:24]");
		if (r->leaf_8000001e_id != ~0u)
			check_eq(r->apic_id, r->leaf_8000001e_id,
				 "x2APIC id vs CPUID 0x8000001e EAX");
		/*
		 * Which id a vCPU gets is the hypervisor's choice: Xen 4.17 gives vCPU N the
		 * APIC id 2N, xenkvm N (a deviation, docs/ABI-COVERAGE.md). Each must be its
		 * own, and the same in every CPUID leaf (above); the value is a fact.
		 */
		kit_fact("x2APIC id of vCPU", "%u: %u", cpu, r->apic_id);
		for (unsigned int other = 0; other < cpu; other++)
			check(reports[other].apic_id != r->apic_id,
			      "vCPUs %u and %u share x2APIC id %u", other, cpu, r->apic_id);
	}
}

static void check_ops(unsigned int n)
{
	struct vcpu_hvm_context ctx;

	for (unsigned int cpu = 0; cpu < n; cpu++) {
		check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL), 1, "VCPUOP_is_up");
		kit_smp_context(cpu, &ctx);
		check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctx), -XEN_EEXIST,
			 "VCPUOP_initialise of an initialised vCPU");
	}
	kit_smp_context(1, &ctx);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL), -XEN_ENOENT, "is_up past the last");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, n, NULL), -XEN_ENOENT, "up past the last");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_down, n, NULL), -XEN_ENOENT, "down past the last");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, n, &ctx), -XEN_ENOENT,
		 "initialise past the last");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0x7fffffff, NULL), -XEN_ENOENT,
		 "is_up of a huge id");
}

void test_main(void)
{
	unsigned int want = expected_vcpus(), n;

	if (want > KIT_MAX_CPUS)
		kit_error("the kit handles at most %u vCPUs", KIT_MAX_CPUS);
	check_eq(kit_smp_count(), want, "vCPUs answering VCPUOP_is_up");
	n = kit_smp_init();
	printf("smp: %u vCPUs up\n", n);
	kit_on_each_cpu(identify, NULL);
	check_reports(n);
	check_ops(n);
}
