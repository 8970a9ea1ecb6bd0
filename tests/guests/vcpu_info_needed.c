// SPDX-License-Identifier: MIT
/*
 * vcpu_info_needed: a vCPU past the XEN_LEGACY_MAX_VCPUS (32) slots of shared_info has
 * no vcpu_info until one is registered for it, and Xen 4.17 refuses VCPUOP_initialise of
 * such a vCPU with -EINVAL (common_vcpu_op: "v->vcpu_info == &dummy_vcpu_info"). Once
 * VCPUOP_register_vcpu_info has given it one (allowed while the vCPU is down), the same
 * context is accepted and the vCPU runs. vCPU 31 still has its legacy slot.
 */
#include "kit.h"
#include "hypercall.h"
#include "smp.h"

#define SPINS 20000000ULL

static uint8_t info_page[4096] __attribute__((aligned(4096)));
static volatile uint32_t ran;

/* 64-bit code vCPU 32 starts in: it leaves a mark and halts with interrupts off. */
asm(".pushsection .text\n"
    "ap_mark:\n"
    "	movl $0x20, ran(%rip)\n"
    "1:	hlt\n"
    "	jmp 1b\n"
    ".popsection\n");
extern char ap_mark[];

static void context(struct vcpu_hvm_context *c)
{
	kit_smp_context(1, c); /* the kit's page tables and some stack */
	c->cpu_regs.x86_64.rip = (uint64_t)ap_mark;
}

void test_main(void)
{
	struct vcpu_register_vcpu_info info = { .mfn = (uint64_t)info_page >> 12 };
	struct vcpu_hvm_context c;
	uint64_t i;

	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 32, NULL), 0, "vCPU 32 exists and is down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 33, NULL), -XEN_ENOENT, "vCPU 33");
	context(&c);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 32, &c), -XEN_EINVAL,
		 "initialise of vCPU 32 without a vcpu_info");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 32, NULL), -XEN_EINVAL, "up of vCPU 32");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 32, &info), 0,
		 "register_vcpu_info for vCPU 32 while it is down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 32, &c), 0,
		 "initialise of vCPU 32 with a vcpu_info");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 32, NULL), 0, "up of vCPU 32");
	for (i = 0; i < SPINS && ran != 0x20; i++)
		cpu_relax();
	check(ran == 0x20, "vCPU 32 did not run");
	/* The last legacy slot needs no registration. */
	kit_smp_context(2, &c);
	c.cpu_regs.x86_64.rip = (uint64_t)ap_mark;
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 31, &c), 0, "initialise of vCPU 31");
	printf("vcpu_info_needed: done\n");
}
