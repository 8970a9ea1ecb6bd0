// SPDX-License-Identifier: MIT
/*
 * hvm_params: HVMOP_set_param / HVMOP_get_param and the harmless HVMOPs, with the
 * answers Xen 4.17 gives a PVH domU (arch/x86/hvm/hvm.c):
 *
 * - hvm_allow_set_param(): the domain may set CALLBACK_IRQ, VM86_TSS(_SIZED),
 *   ACPI_IOPORTS_LOCATION, VM_GENERATION_ID_ADDR, STORE_EVTCHN, CONSOLE_EVTCHN and
 *   X87_FIP_WIDTH; deprecated params are -EINVAL; everything else -EPERM.
 * - hvm_allow_get_param(): the same plus STORE_PFN, CONSOLE_PFN and ALTP2M.
 * - hvm_set_param(): X87_FIP_WIDTH only 0, 4 or 8; VM86_TSS is stored as VM86_TSS_SIZED
 *   with a 128-byte size; a SIZED value larger than a TSS plus both bitmaps is capped;
 *   ACPI_IOPORTS_LOCATION is -ENODEV without an emulated PM timer (PVH has none).
 * - hvmop_{set,get}_param(): index >= HVM_NR_PARAMS is -EINVAL before the domain is
 *   looked up; a domain id that names no domain is -ESRCH; another domain -EPERM (XSM).
 * - do_hvm_op(): flush_tlbs needs a NULL argument; get_time counts nanoseconds;
 *   pagetable_dying is -EINVAL under hardware-assisted paging; get_mem_type says RAM is
 *   ram_rw and a hole mmio_dm; xentrace checks its record; altp2m is -EOPNOTSUPP without
 *   Xen's altp2m option; ops moved to dm_op are -ENOSYS.
 */
#define __XEN_TOOLS__ 1 /* the deprecated param numbers */
#include <stdint.h>
#include <xen/hvm/params.h>

#include "kit.h"
#include "hypercall.h"

#include <xen/arch-x86/cpuid.h>
#include <xen/hvm/hvm_op.h>
#include <xen/trace.h>

#define TSS32_SIZE 104ULL
#define TSS32_MAX (TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1)
#define BAD_POINTER ((void *)0x40000000000ULL)

static long get(domid_t domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

static long set(domid_t domid, uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = domid, .index = index, .value = value };

	return HYPERVISOR_hvm_op(HVMOP_set_param, &p);
}

/* Sets @index to @value, reads it back and restores what was there. */
static void round_trip(uint32_t index, uint64_t value)
{
	uint64_t old, now;

	check_eq(get(DOMID_SELF, index, &old), 0, "get before set");
	check_eq(set(DOMID_SELF, index, value), 0, "set of a settable param");
	check_eq(get(DOMID_SELF, index, &now), 0, "get after set");
	if (now != value)
		fail("param %u: set %#llx, read %#llx", index, (unsigned long long)value,
		     (unsigned long long)now);
	check_eq(set(DOMID_SELF, index, old), 0, "restoring a param");
}

static void settable(void)
{
	uint64_t v;

	round_trip(HVM_PARAM_VM_GENERATION_ID_ADDR, 0x123456789000ULL);
	round_trip(HVM_PARAM_STORE_EVTCHN, 7);
	round_trip(HVM_PARAM_CONSOLE_EVTCHN, 9);
	round_trip(HVM_PARAM_X87_FIP_WIDTH, 4);
	round_trip(HVM_PARAM_CALLBACK_IRQ, 0);
	check_eq(get(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v), 0, "FIP width");
	check(v == 0 || v == 8, "default FIP width %llu is neither 0 nor 8", (unsigned long long)v);
	check_eq(set(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, 2), -XEN_EINVAL, "FIP width 2");
	check_eq(set(DOMID_SELF, HVM_PARAM_ACPI_IOPORTS_LOCATION, 1), -XEN_ENODEV,
		 "ACPI_IOPORTS_LOCATION without a PM timer");
	check_eq(get(DOMID_SELF, HVM_PARAM_ACPI_IOPORTS_LOCATION, &v), 0, "get ACPI ports");
}

static void vm86_tss(void)
{
	uint64_t v;

	check_eq(set(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, (0x200ULL << 32) | 0x5000), 0,
		 "set VM86_TSS_SIZED");
	check_eq(get(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, &v), 0, "get VM86_TSS_SIZED");
	check_eq(v, (0x200ULL << 32) | 0x5000, "VM86_TSS_SIZED read back");
	check_eq(get(DOMID_SELF, HVM_PARAM_VM86_TSS, &v), 0, "get VM86_TSS");
	check_eq(v, 0x5000, "VM86_TSS is the low half of the sized param");
	check_eq(set(DOMID_SELF, HVM_PARAM_VM86_TSS, 0x6000), 0, "set VM86_TSS");
	check_eq(get(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, &v), 0, "get VM86_TSS_SIZED");
	check_eq(v, (128ULL << 32) | 0x6000, "VM86_TSS stored with 128 bytes");
	check_eq(set(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, (0x100000ULL << 32) | 0x7000), 0,
		 "set a huge VM86_TSS_SIZED");
	check_eq(get(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, &v), 0, "get VM86_TSS_SIZED");
	check_eq(v, (TSS32_MAX << 32) | 0x7000, "VM86_TSS_SIZED capped");
}

static void read_only(void)
{
	static const uint32_t readable[] = { HVM_PARAM_STORE_PFN, HVM_PARAM_CONSOLE_PFN,
					     HVM_PARAM_ALTP2M };
	uint64_t v;

	for (unsigned int i = 0; i < ARRAY_SIZE(readable); i++) {
		check_eq(get(DOMID_SELF, readable[i], &v), 0, "get of a readable param");
		check_eq(set(DOMID_SELF, readable[i], 1), -XEN_EPERM, "set of a read-only param");
	}
	check_eq(get(DOMID_SELF, HVM_PARAM_ALTP2M, &v), 0, "get ALTP2M");
	check_eq(v, 0, "ALTP2M of a domain created without it");
}

static void refused(void)
{
	static const uint32_t private[] = {
		HVM_PARAM_IOREQ_PFN,
		HVM_PARAM_BUFIOREQ_PFN,
		HVM_PARAM_VIRIDIAN,
		HVM_PARAM_TIMER_MODE,
		HVM_PARAM_HPET_ENABLED,
		HVM_PARAM_IDENT_PT,
		HVM_PARAM_ACPI_S_STATE,
		HVM_PARAM_VPT_ALIGN,
		HVM_PARAM_PAGING_RING_PFN,
		HVM_PARAM_MONITOR_RING_PFN,
		HVM_PARAM_SHARING_RING_PFN,
		HVM_PARAM_TRIPLE_FAULT_REASON,
		HVM_PARAM_IOREQ_SERVER_PFN,
		HVM_PARAM_NR_IOREQ_SERVER_PAGES,
		HVM_PARAM_MCA_CAP,
		3,
		7,
		8,
	};
	static const uint32_t deprecated[] = {
		HVM_PARAM_PAE_ENABLED,	    HVM_PARAM_DM_DOMAIN,
		HVM_PARAM_MEMORY_EVENT_CR0, HVM_PARAM_MEMORY_EVENT_CR3,
		HVM_PARAM_MEMORY_EVENT_CR4, HVM_PARAM_MEMORY_EVENT_INT3,
		HVM_PARAM_NESTEDHVM,	    HVM_PARAM_MEMORY_EVENT_SINGLE_STEP,
		HVM_PARAM_BUFIOREQ_EVTCHN,  HVM_PARAM_MEMORY_EVENT_MSR,
	};
	uint64_t v;

	for (unsigned int i = 0; i < ARRAY_SIZE(private); i++) {
		if (set(DOMID_SELF, private[i], 0) != -XEN_EPERM)
			fail("set of private param %u is not -EPERM", private[i]);
		if (get(DOMID_SELF, private[i], &v) != -XEN_EPERM)
			fail("get of private param %u is not -EPERM", private[i]);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(deprecated); i++) {
		if (set(DOMID_SELF, deprecated[i], 0) != -XEN_EINVAL)
			fail("set of deprecated param %u is not -EINVAL", deprecated[i]);
		if (get(DOMID_SELF, deprecated[i], &v) != -XEN_EINVAL)
			fail("get of deprecated param %u is not -EINVAL", deprecated[i]);
	}
}

static void indices_and_domains(void)
{
	uint64_t v;
	uint32_t a, b, c, d;

	check_eq(get(DOMID_SELF, HVM_NR_PARAMS, &v), -XEN_EINVAL, "index HVM_NR_PARAMS");
	check_eq(set(DOMID_SELF, 0xffffffffu, 0), -XEN_EINVAL, "index 0xffffffff");
	/* The index is checked before the domain. */
	check_eq(get(DOMID_IO, HVM_NR_PARAMS, &v), -XEN_EINVAL, "bad index, bad domain");
	check_eq(get(DOMID_IO, HVM_PARAM_STORE_PFN, &v), -XEN_ESRCH, "DOMID_IO");
	check_eq(set(DOMID_INVALID, HVM_PARAM_STORE_EVTCHN, 1), -XEN_ESRCH, "DOMID_INVALID");
	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	if (a & XEN_HVM_CPUID_DOMID_PRESENT) {
		check_eq(get((domid_t)c, HVM_PARAM_STORE_PFN, &v), 0, "own domain id");
		if (c != 0)
			check_eq(get(0, HVM_PARAM_STORE_PFN, &v), -XEN_EPERM, "domain 0");
	}
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_param, BAD_POINTER), -XEN_EFAULT, "bad pointer");
	check_eq(HYPERVISOR_hvm_op(HVMOP_set_param, BAD_POINTER), -XEN_EFAULT, "bad pointer");
}

static void other_ops(void)
{
	struct xen_hvm_get_time t1 = { 0 }, t2 = { 0 };
	struct xen_hvm_get_mem_type mt = { .domid = DOMID_SELF };
	struct xen_hvm_pagetable_dying pd = { .domid = DOMID_SELF };
	struct xen_hvm_xentrace tr = { 0 };

	check_eq(HYPERVISOR_hvm_op(HVMOP_flush_tlbs, NULL), 0, "flush_tlbs");
	check_eq(HYPERVISOR_hvm_op(HVMOP_flush_tlbs, &t1), -XEN_EINVAL, "flush_tlbs with an arg");
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t1), 0, "get_time");
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t2), 0, "get_time");
	check(t1.now && t2.now >= t1.now, "get_time went from %llu to %llu",
	      (unsigned long long)t1.now, (unsigned long long)t2.now);
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, BAD_POINTER), -XEN_EFAULT, "get_time bad");
	mt.pfn = (uint64_t)_image_start >> 12;
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), 0, "get_mem_type of RAM");
	check_eq(mt.mem_type, HVMMEM_ram_rw, "mem type of the kernel image");
	/* No map entry holds 0xf0000000, under xenkvm or Xen (a PVH domU has RAM at 0xa0000). */
	mt.pfn = 0xf0000;
	check(kit_memmap_type(0xf0000000ULL, 4096) == KIT_MEM_HOLE, "0xf0000000 is no hole");
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), 0, "get_mem_type of a hole");
	check_eq(mt.mem_type, HVMMEM_mmio_dm, "mem type of a hole");
	mt.domid = DOMID_IO;
	check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), -XEN_ESRCH, "mem type of DOMID_IO");
	check_eq(HYPERVISOR_hvm_op(HVMOP_pagetable_dying, &pd), -XEN_EINVAL, "pagetable_dying");
	pd.domid = DOMID_IO;
	check_eq(HYPERVISOR_hvm_op(HVMOP_pagetable_dying, &pd), -XEN_ESRCH, "pagetable_dying");
	tr.event = 1;
	check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), 0, "xentrace");
	tr.event = 1u << TRC_SUBCLS_SHIFT;
	check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), -XEN_EINVAL, "xentrace class bits");
	tr.event = 1, tr.extra_bytes = sizeof(tr.extra) + 1;
	check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), -XEN_EINVAL, "xentrace size");
	check_eq(HYPERVISOR_hvm_op(HVMOP_guest_request_vm_event, NULL), 0, "vm_event");
	check_eq(HYPERVISOR_hvm_op(HVMOP_guest_request_vm_event, &tr), -XEN_EINVAL, "vm_event");
	check_eq(HYPERVISOR_hvm_op(HVMOP_altp2m, &tr), -XEN_EOPNOTSUPP, "altp2m");
	/* 2-4: set_pci_intx_level, set_isa_irq_level, set_pci_link_route (now dm_op). */
	for (unsigned long op = 2; op <= 4; op++)
		check_eq(HYPERVISOR_hvm_op(op, &tr), -XEN_ENOSYS, "an op moved to dm_op");
	check_eq(HYPERVISOR_hvm_op(HVMOP_set_mem_access, &tr), -XEN_ENOSYS, "mem_access");
	check_eq(HYPERVISOR_hvm_op(1000, NULL), -XEN_ENOSYS, "unknown op");
}

void test_main(void)
{
	settable();
	vm86_tss();
	read_only();
	refused();
	indices_and_domains();
	other_ops();
	printf("hvm_params: done\n");
}
