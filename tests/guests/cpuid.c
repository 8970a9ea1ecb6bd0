// SPDX-License-Identifier: MIT
/*
 * cpuid: the Xen leaves base+0 .. base+5 as <xen/arch-x86/cpuid.h> defines them and
 * as Xen 4.17 fills them for an HVM/PVH domain.
 */
#include "kit.h"
#include "cpuid_ecx.h"
#include "hypercall.h"

#include <xen/arch-x86/cpuid.h>

/* Every flag the header defines for leaf base+4. */
#define HVM_FLAGS_DEFINED                                               \
	(XEN_HVM_CPUID_APIC_ACCESS_VIRT | XEN_HVM_CPUID_X2APIC_VIRT |   \
	 XEN_HVM_CPUID_IOMMU_MAPPINGS | XEN_HVM_CPUID_VCPU_ID_PRESENT | \
	 XEN_HVM_CPUID_DOMID_PRESENT | XEN_HVM_CPUID_EXT_DEST_ID | XEN_HVM_CPUID_UPCALL_VECTOR)

/* Time-leaf sub-leaf 0 EAX: bits 0-2 are defined (emulated, reliable, RDTSCP). */
#define TIME_FLAGS_DEFINED 0x7u

static void check_signature(uint32_t base)
{
	uint32_t a, b, c, d;

	cpuid(base, &a, &b, &c, &d);
	check_eq(b, XEN_CPUID_SIGNATURE_EBX, "leaf base+0 EBX");
	check_eq(c, XEN_CPUID_SIGNATURE_ECX, "leaf base+0 ECX");
	check_eq(d, XEN_CPUID_SIGNATURE_EDX, "leaf base+0 EDX");
	/* Leaf base+4 is part of the PVH ABI; Xen reports up to XEN_CPUID_MAX_NUM_LEAVES. */
	check(a >= base + 4 && a <= base + XEN_CPUID_MAX_NUM_LEAVES,
	      "largest Xen leaf %#x outside base+4..base+%u", a, XEN_CPUID_MAX_NUM_LEAVES);
	printf("cpuid: base %#x, largest leaf %#x\n", base, a);
	kit_fact("Xen leaves base", "%#x", base);
	kit_fact("largest Xen leaf", "%#x", a);
}

/* base+1: EAX = major << 16 | minor, the same value XENVER_version returns. */
static void check_version(uint32_t base)
{
	uint32_t a, b, c, d;
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	cpuid(base + 1, &a, &b, &c, &d);
	printf("cpuid: version leaf %u.%u, XENVER_version %ld.%ld\n", a >> 16, a & 0xffff,
	       ver >> 16, ver & 0xffff);
	check_eq(a, ver, "leaf base+1 EAX vs XENVER_version");
	check(b == 0 && c == 0 && d == 0, "leaf base+1 reserved EBX-EDX not zero: %x %x %x", b, c,
	      d);
}

/* base+2: hypercall pages (always at least one) and the MSR; feature bits only as defined. */
static void check_hypercall_leaf(uint32_t base)
{
	uint32_t a, b, c, d;

	cpuid(base + 2, &a, &b, &c, &d);
	printf("cpuid: %u hypercall page(s), MSR %#x, features %#x %#x\n", a, b, c, d);
	kit_fact("leaf base+2", "pages %u msr %#x features %#x %#x", a, b, c, d);
	check(a >= 1, "leaf base+2 reports %u hypercall pages", a);
	/*
	 * Xen names MSR 0x40000000, or 0x40000200 when Viridian takes the first block of
	 * leaves and its own MSRs (Xen's leaves then start at 0x40000100).
	 */
	check_eq(b, base == XEN_CPUID_FIRST_LEAF ? 0x40000000 : 0x40000200, "leaf base+2 MSR");
	check((c & ~XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD) == 0,
	      "leaf base+2 ECX has undefined bits: %#x", c);
	/* The update-preserve-AD feature concerns PV page-table updates only. */
	check(!(c & XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD),
	      "leaf base+2 claims MMU_PT_UPDATE_PRESERVE_AD to an HVM guest");
	check_eq(d, 0, "leaf base+2 EDX (no bits defined)");
}

/*
 * base+3: the time leaf. Sub-leaf 1 gives the TSC-to-ns scale Xen's time ABI uses
 * (ns = ((tsc << shift) * mul) >> 32, a negative shift shifting right); applied to
 * one second of ticks at the guest TSC rate of sub-leaf 0 it must give about 1e9 ns.
 */
static void check_time_leaf(uint32_t base)
{
	uint32_t a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2;
	uint64_t ticks, ns;
	int8_t shift;

	cpuid_count(base + 3, 0, &a0, &b0, &c0, &d0);
	cpuid_count(base + 3, 1, &a1, &b1, &c1, &d1);
	cpuid_count(base + 3, 2, &a2, &b2, &c2, &d2);
	printf("cpuid: time flags %#x mode %u guest %u kHz incarnation %u\n", a0, b0, c0, d0);
	printf("cpuid: time offset %#x%08x mul %#x shift %d, host %u kHz\n", b1, a1, c1, (int8_t)d1,
	       a2);
	check((a0 & ~TIME_FLAGS_DEFINED) == 0, "time leaf flags have undefined bits: %#x", a0);
	check(b0 <= 3, "time leaf tsc_mode %u is not one of 0-3", b0);
	check(c0 != 0, "time leaf guest TSC frequency is 0");
	check(a2 != 0, "time leaf host TSC frequency is 0");
	check(c1 != 0, "time leaf tsc->ns multiplier is 0");
	if (!c0 || !c1)
		return;
	shift = (int8_t)d1;
	ticks = (uint64_t)c0 * 1000;
	ticks = shift >= 0 ? ticks << shift : ticks >> -shift;
	ns = (uint64_t)(((unsigned __int128)ticks * c1) >> 32);
	printf("cpuid: one second of guest TSC scales to %lu ns\n", (unsigned long)ns);
	check(ns > 990000000ULL && ns < 1010000000ULL,
	      "time leaf scale turns 1 s of ticks into %lu ns", (unsigned long)ns);
}

/* The runner starts one run with a chosen domain id and repeats it as "domid=N". */
static void check_domid(uint32_t domid)
{
	uint64_t want;

	check(domid < DOMID_FIRST_RESERVED, "leaf base+4 domid %#x is a reserved id", domid);
	if (!kit_cmdline_u64("domid", &want))
		return;
	check_eq(domid, want, "leaf base+4 domid vs domid= on the command line");
}

/* base+4: HVM flags; Xen 4.17 always reports the vCPU id (EBX) and domain id (ECX). */
static void check_hvm_leaf(uint32_t base)
{
	uint32_t a, b, c, d;

	cpuid(base + 4, &a, &b, &c, &d);
	printf("cpuid: HVM flags %#x vcpu %u domid %u\n", a, b, c);
	kit_fact("leaf base+4 HVM flags", "%#x", a);
	check((a & ~HVM_FLAGS_DEFINED) == 0, "leaf base+4 EAX has undefined bits: %#x",
	      a & ~HVM_FLAGS_DEFINED);
	check(a & XEN_HVM_CPUID_VCPU_ID_PRESENT, "leaf base+4 lacks VCPU_ID_PRESENT");
	check(a & XEN_HVM_CPUID_DOMID_PRESENT, "leaf base+4 lacks DOMID_PRESENT");
	/* Xen 4.17 sets it for a domain without an IOMMU, as every domain here is. */
	check(a & XEN_HVM_CPUID_IOMMU_MAPPINGS, "leaf base+4 lacks IOMMU_MAPPINGS");
	if (a & XEN_HVM_CPUID_VCPU_ID_PRESENT)
		check_eq(b, 0, "leaf base+4 vcpu id on the boot vCPU");
	if (a & XEN_HVM_CPUID_DOMID_PRESENT)
		check_domid(c);
}

/* base+5 carries PV-only parameters: Xen leaves it all zero for HVM/PVH guests. */
static void check_pv_leaf(uint32_t base)
{
	uint32_t a, b, c, d;

	if (kit_xen.max_leaf < base + 5)
		return;
	cpuid(base + 5, &a, &b, &c, &d);
	check(!a && !b && !c && !d, "leaf base+5 not zero for an HVM guest: %x %x %x %x", a, b, c,
	      d);
}

/* The signature search of a kernel that leaves garbage in ECX finds the same base. */
static void check_search_with_garbage(uint32_t base)
{
	for (unsigned int g = 0; g < XEN_GARBAGE_ECX_COUNT; g++) {
		uint32_t found = 0;

		for (uint32_t leaf = 0x40000000; leaf < 0x40010000 && !found; leaf += 0x100) {
			uint32_t a, b, c, d;

			cpuid_count(leaf, xen_garbage_ecx[g], &a, &b, &c, &d);
			if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
			    d == XEN_CPUID_SIGNATURE_EDX)
				found = leaf;
		}
		check(found == base, "signature search with ECX=%#x found base %#x, not %#x",
		      xen_garbage_ecx[g], found, base);
	}
}

/* Every Xen leaf with garbage in ECX: the ECX=0 answer, or zeroes (cpuid_ecx.h). */
static void check_garbage_ecx(uint32_t base)
{
	unsigned int compared = 0;

	for (uint32_t i = 0; base + i <= kit_xen.max_leaf; i++) {
		uint32_t want[4], got[4];

		cpuid_count(base + i, 0, &want[0], &want[1], &want[2], &want[3]);
		for (unsigned int g = 0; g < XEN_GARBAGE_ECX_COUNT; g++) {
			uint32_t ecx = xen_garbage_ecx[g];
			enum xen_subleaf_answer kind = xen_subleaf_answer(i, ecx);

			if (kind == XEN_SUBLEAF_OWN)
				continue;
			cpuid_count(base + i, ecx, &got[0], &got[1], &got[2], &got[3]);
			for (int r = 0; r < 4; r++)
				check(got[r] == (kind == XEN_SUBLEAF_AS_ECX0 ? want[r] : 0),
				      "leaf base+%u ECX=%#x: register %d is %#x", i, ecx, r,
				      got[r]);
			compared++;
		}
	}
	printf("cpuid: %u leaf/ECX pairs with garbage ECX answered as on Xen\n", compared);
}

void test_main(void)
{
	uint32_t base = kit_xen.base;

	check_signature(base);
	check_version(base);
	check_hypercall_leaf(base);
	check_time_leaf(base);
	check_hvm_leaf(base);
	check_pv_leaf(base);
	check_search_with_garbage(base);
	check_garbage_ecx(base);
}
