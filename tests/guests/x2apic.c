// SPDX-License-Identifier: MIT
/*
 * x2apic: the local APIC in x2APIC mode, the way later tests receive event-channel
 * upcalls. A self-IPI through the SELF IPI MSR (0x83f) must reach the IDT handler of
 * its vector exactly once after interrupts are enabled, and not before. The x2APIC ID
 * of the boot vCPU matches the vCPU id Xen reports in leaf base+4 when it is present.
 */
#include "kit.h"

#include <xen/arch-x86/cpuid.h>

KIT_TEST_RUNS_WITHOUT_XEN;

#define TEST_VECTOR 0x40

static volatile unsigned int hits;
static volatile uint64_t hit_vector;

static void on_irq(struct kit_regs *regs)
{
	hits++;
	hit_vector = regs->vector;
	kit_apic_eoi();
}

static void check_id(void)
{
	uint32_t a, b, c, d;

	if (!kit_xen.found)
		return;
	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	if (a & XEN_HVM_CPUID_VCPU_ID_PRESENT)
		check_eq(kit_apic_id(), b, "x2APIC id vs vCPU id of leaf base+4");
}

void test_main(void)
{
	if (!kit_x2apic)
		kit_skip("no x2APIC (see the kit's start-up messages)");
	check_id();
	kit_set_irq_handler(TEST_VECTOR, on_irq);

	irq_disable();
	kit_apic_self_ipi(TEST_VECTOR);
	for (volatile int i = 0; i < 100000; i++)
		;
	check_eq(hits, 0, "interrupts delivered while IF=0");

	irq_enable();
	for (volatile int i = 0; i < 1000000 && !hits; i++)
		;
	irq_disable();
	printf("x2apic: self-IPI vector %#x: %u interrupt(s), vector %#lx\n", TEST_VECTOR, hits,
	       hit_vector);
	check_eq(hits, 1, "self-IPIs delivered");
	check_eq(hit_vector, TEST_VECTOR, "vector delivered");
}
