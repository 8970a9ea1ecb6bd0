// SPDX-License-Identifier: GPL-2.0
/* The Xen CPUID leaves, checked against xen/arch-x86/cpuid.h and Xen 4.17's behaviour. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/arch-x86/cpuid.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/time/time_scale.h"

static struct xen_fixture fx;

static int setup(void)
{
	return fixture_init(&fx, 2400000) ? -1 : 0;
}

static int teardown(void)
{
	fixture_destroy(&fx);
	return 0;
}

static struct kvm_cpuid_entry2 *leaf(uint32_t i, uint32_t sub)
{
	return cpuid_find(fx.vm.cpuid, XEN_CPUID_LEAF(i), sub);
}

static void test_signature_and_max_leaf(void)
{
	struct kvm_cpuid_entry2 *e = leaf(0, 0);
	char sig[13] = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->ebx, XEN_CPUID_SIGNATURE_EBX);
	CU_ASSERT_EQUAL(e->ecx, XEN_CPUID_SIGNATURE_ECX);
	CU_ASSERT_EQUAL(e->edx, XEN_CPUID_SIGNATURE_EDX);
	memcpy(sig, &e->ebx, 4);
	memcpy(sig + 4, &e->ecx, 4);
	memcpy(sig + 8, &e->edx, 4);
	CU_ASSERT_STRING_EQUAL(sig, "XenVMMXenVMM");
	/* Xen reports base + XEN_CPUID_MAX_NUM_LEAVES when the toolstack sets no limit. */
	CU_ASSERT_EQUAL(e->eax, XEN_CPUID_FIRST_LEAF + XEN_CPUID_MAX_NUM_LEAVES);
	for (uint32_t i = 1; i <= XEN_CPUID_MAX_NUM_LEAVES; i++)
		CU_ASSERT_PTR_NOT_NULL(leaf(i, 0));
}

static void test_version_and_hypercall_leaf(void)
{
	CU_ASSERT_EQUAL(leaf(1, 0)->eax, (4u << 16) | 17);
	/* One hypercall page; MSR base 0x40000000 for a domain without Viridian. */
	CU_ASSERT_EQUAL(leaf(2, 0)->eax, 1);
	CU_ASSERT_EQUAL(leaf(2, 0)->ebx, 0x40000000);
	/* MMU_PT_UPDATE_PRESERVE_AD is a PV feature: never set for HVM. */
	CU_ASSERT_FALSE(leaf(2, 0)->ecx & XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD);
}

static void test_time_leaf(void)
{
	struct kvm_cpuid_entry2 *s0 = leaf(3, 0), *s1 = leaf(3, 1), *s2 = leaf(3, 2);
	struct xen_time_scale s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s2);
	CU_ASSERT_EQUAL(s0->eax & 1, 0); /* no emulated TSC */
	CU_ASSERT_EQUAL(s0->ecx, 2400000);
	CU_ASSERT_EQUAL(s2->eax, 2400000);
	/* Sub-leaf 1 scale: 2.4e9 ticks must come out as one second. */
	s.mul_frac = s1->ecx;
	s.shift = (int8_t)s1->edx;
	CU_ASSERT(xen_time_scale_apply(s, 2400000000ULL) >= 999999999ULL);
	CU_ASSERT(xen_time_scale_apply(s, 2400000000ULL) <= 1000000001ULL);
}

static void test_hvm_leaf_per_vcpu(void)
{
	struct kvm_cpuid_entry2 *e = leaf(4, 0);
	size_t size = sizeof(*fx.vm.cpuid) + fx.vm.cpuid->nent * sizeof(fx.vm.cpuid->entries[0]);
	struct kvm_cpuid2 *copy = malloc(size);
	struct vcpu v = { .vm = &fx.vm, .id = 3 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT(e->eax & XEN_HVM_CPUID_VCPU_ID_PRESENT);
	CU_ASSERT(e->eax & XEN_HVM_CPUID_DOMID_PRESENT);
	/* Xen 4.17 sets it for any domain without an IOMMU: 0x5c for a PVH domU there. */
	CU_ASSERT(e->eax & XEN_HVM_CPUID_IOMMU_MAPPINGS);
	CU_ASSERT_EQUAL(e->ecx, 7);
	/* Flags the emulation does not implement must stay clear. */
	CU_ASSERT_FALSE(e->eax & (XEN_HVM_CPUID_APIC_ACCESS_VIRT | XEN_HVM_CPUID_X2APIC_VIRT));
	memcpy(copy, fx.vm.cpuid, size);
	fx.vm.cpuid_fixup(&v, copy, fx.vm.cpuid_opaque);
	CU_ASSERT_EQUAL(cpuid_find(copy, XEN_CPUID_LEAF(4), 0)->ebx, 3);
	free(copy);
}

/*
 * Xen's cpuid_hypervisor_leaves(): base+0..2 ignore ECX (a guest need not clear it), the
 * time leaf has sub-leaves 0..2, base+4 and base+5 answer sub-leaf 0 only. KVM matches
 * ECX only on entries flagged KVM_CPUID_FLAG_SIGNIFCANT_INDEX.
 */
static void test_which_leaves_read_ecx(void)
{
	for (uint32_t i = 0; i <= XEN_CPUID_MAX_NUM_LEAVES; i++) {
		struct kvm_cpuid_entry2 *e = leaf(i, 0);
		bool subleaves = i >= 3;

		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_EQUAL(!!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX), subleaves);
		/* Any ECX finds the leaf when ECX does not matter, only 0 otherwise. */
		CU_ASSERT_EQUAL(leaf(i, 0xfffffffe) == e, !subleaves);
	}
	CU_ASSERT_PTR_NULL(leaf(3, 3));
}

/* The table refuses an edit that disagrees with the leaf's kind. */
static void test_set_kind_mismatch(void)
{
	CU_ASSERT_EQUAL(cpuid_set(&fx.vm, XEN_CPUID_LEAF(3), 0, 0, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(cpuid_set_subleaf(&fx.vm, XEN_CPUID_LEAF(1), 1, 0, 0, 0, 0), -EINVAL);
	/* A new leaf without sub-leaves answers any ECX; a new sub-leaf only its own. */
	CU_ASSERT_EQUAL(cpuid_set(&fx.vm, 0x4000ff00, 1, 2, 3, 4), 0);
	CU_ASSERT_EQUAL(cpuid_find(fx.vm.cpuid, 0x4000ff00, 77)->edx, 4);
	CU_ASSERT_EQUAL(cpuid_set_subleaf(&fx.vm, 0x4000ff01, 2, 5, 6, 7, 8), 0);
	CU_ASSERT_PTR_NULL(cpuid_find(fx.vm.cpuid, 0x4000ff01, 0));
	CU_ASSERT_EQUAL(cpuid_find(fx.vm.cpuid, 0x4000ff01, 2)->eax, 5);
}

static void test_time_scale_rates(void)
{
	static const uint64_t rates[] = { 1000000ULL,	 999999999ULL,	1000000000ULL,
					  1000000001ULL, 3700000000ULL, 10000000000ULL };

	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct xen_time_scale s = xen_time_scale_for(rates[i]);
		uint64_t ns = xen_time_scale_apply(s, rates[i] * 10);

		/* Ten seconds of ticks, to within a part per million. */
		CU_ASSERT(ns > 10000000000ULL - 10000 && ns < 10000000000ULL + 10000);
	}
}

UNIT_SUITE(xen_cpuid, setup, teardown, UNIT_TEST(test_signature_and_max_leaf),
	   UNIT_TEST(test_version_and_hypercall_leaf), UNIT_TEST(test_time_leaf),
	   UNIT_TEST(test_hvm_leaf_per_vcpu), UNIT_TEST(test_which_leaves_read_ecx),
	   UNIT_TEST(test_set_kind_mismatch), UNIT_TEST(test_time_scale_rates));
