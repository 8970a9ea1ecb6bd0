// SPDX-License-Identifier: GPL-2.0
/*
 * The Xen CPUID leaves at 0x40000000 (xen/arch-x86/cpuid.h), as Xen 4.17 reports them to
 * an HVM guest without Viridian: signature, version, hypercall page, time, HVM features.
 * Only features the emulation really implements are advertised.
 */
#include <xen/arch-x86/cpuid.h>

#include "xen-emul/time/time_scale.h"
#include "xen-emul/xen.h"

#define XEN_LEAF(i) (XEN_CPUID_BASE + (i))

/* Time leaf, sub-leaf 0, EAX: bit 1 says the TSC is safe (invariant), bit 2 RDTSCP. */
#define XEN_TIME_HOST_TSC_SAFE (1u << 1)
#define XEN_TIME_RDTSCP (1u << 2)

static uint32_t host_time_flags(struct vm *vm)
{
	struct kvm_cpuid_entry2 *pm = cpuid_find(vm->cpuid, 0x80000007, 0);
	struct kvm_cpuid_entry2 *ext = cpuid_find(vm->cpuid, 0x80000001, 0);
	uint32_t flags = 0;

	if (pm && (pm->edx & (1u << 8)))
		flags |= XEN_TIME_HOST_TSC_SAFE;
	if (ext && (ext->edx & (1u << 27)))
		flags |= XEN_TIME_RDTSCP;
	return flags;
}

/*
 * What ECX does on Xen (cpuid_hypervisor_leaves()): leaves base+0 to base+2 ignore it; the
 * time leaf has sub-leaves 0 to 2; base+4 and base+5 answer only sub-leaf 0. Xen answers
 * zeroes for any other sub-leaf, as KVM does for a sub-leaf missing from a leaf flagged
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX; so only base+0..2 are set without sub-leaves.
 */
static int set_time_leaf(struct xen_domain *dom)
{
	struct vm *vm = dom->vm;
	struct xen_time_scale s = xen_time_scale_for((uint64_t)vm->tsc_khz * 1000);
	int rc;

	rc = cpuid_set_subleaf(vm, XEN_LEAF(3), 0, host_time_flags(vm), 0 /* tsc_mode default */,
			       vm->tsc_khz, 0 /* incarnation */);
	if (!rc)
		rc = cpuid_set_subleaf(vm, XEN_LEAF(3), 1, 0, 0, s.mul_frac,
				       (uint32_t)(int32_t)s.shift);
	if (!rc)
		rc = cpuid_set_subleaf(vm, XEN_LEAF(3), 2, vm->tsc_khz, 0, 0, 0);
	return rc;
}

/* Leaf 4 carries the vCPU id, which differs per vCPU. */
static void xen_cpuid_fixup(struct vcpu *vcpu, struct kvm_cpuid2 *table, void *opaque)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(table, XEN_LEAF(4), 0);

	if (e)
		e->ebx = vcpu->id;
}

int xen_cpuid_init(struct xen_domain *dom)
{
	struct vm *vm = dom->vm;
	uint32_t version = ((uint32_t)dom->cfg.version_major << 16) | dom->cfg.version_minor;
	int rc;

	rc = cpuid_set(vm, XEN_LEAF(0), XEN_LEAF(XEN_CPUID_MAX_NUM_LEAVES), XEN_CPUID_SIGNATURE_EBX,
		       XEN_CPUID_SIGNATURE_ECX, XEN_CPUID_SIGNATURE_EDX);
	if (!rc)
		rc = cpuid_set(vm, XEN_LEAF(1), version, 0, 0, 0);
	if (!rc)
		rc = cpuid_set(vm, XEN_LEAF(2), XEN_HYPERCALL_PAGES, XEN_HYPERCALL_MSR, 0, 0);
	if (!rc)
		rc = set_time_leaf(dom);
	/*
	 * IOMMU_MAPPINGS as Xen 4.17 sets it for a domain without an IOMMU (no device
	 * passed through): nothing needs remapping for DMA. Real Xen gives a PVH domU
	 * 0x5c (make check-oracle).
	 */
	if (!rc)
		rc = cpuid_set_subleaf(
			vm, XEN_LEAF(4), 0,
			XEN_HVM_CPUID_IOMMU_MAPPINGS | XEN_HVM_CPUID_VCPU_ID_PRESENT |
				XEN_HVM_CPUID_DOMID_PRESENT | XEN_HVM_CPUID_UPCALL_VECTOR,
			0, dom->cfg.domid, 0);
	/* Leaf 5 is PV-only: an HVM guest sees zeroes. */
	if (!rc)
		rc = cpuid_set_subleaf(vm, XEN_LEAF(5), 0, 0, 0, 0, 0);
	vm->cpuid_fixup = xen_cpuid_fixup;
	vm->cpuid_opaque = dom;
	return rc;
}
