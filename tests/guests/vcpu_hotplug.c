// SPDX-License-Identifier: MIT
/*
 * vcpu_hotplug: VCPUOP_initialise, up, down and is_up on a PVH domain with 3 vCPUs,
 * with the answers of Xen 4.17 (common/domain.c common_vcpu_op, arch/x86/domain.c
 * arch_initialise_vcpu, arch/x86/hvm/domain.c arch_set_info_hvm_guest):
 *
 * - A vCPU that was never initialised is down (is_up 0) and VCPUOP_up is -EINVAL.
 * - Contexts arch_set_info_hvm_guest() refuses are -EINVAL and leave the vCPU
 *   uninitialised: unknown mode, padding, non-canonical RIP, 64-bit mode without
 *   CR0.PG / CR4.PAE / EFER.LME, CR4 or EFER bits a domU cannot have (VMXE, LA57, SVME,
 *   unknown), and for 32-bit mode the check_segment() rules, EIP past the CS limit,
 *   SS.DPL != CS.DPL, EFER.LMA without LME or without paging. A bad pointer is -EFAULT.
 * - A vCPU that took itself down stops inside VCPUOP_down and returns from it (0) on the
 *   next VCPUOP_up; one taken down by another vCPU stops running; up and down of a vCPU
 *   already in that state answer 0; initialising it again is -EEXIST.
 * - A 32-bit context (flat protected mode, paging off) starts the vCPU where it says.
 */
#include "kit.h"
#include "hypercall.h"
#include "smp.h"

#define CR0_PE (1u << 0)
#define CR0_ET (1u << 4)
#define CR0_PG (1u << 31)
#define CR4_PAE (1u << 5)
#define CR4_LA57 (1u << 12)
#define CR4_VMXE (1u << 13)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_SVME (1u << 12)
/* Segment attributes in the vcpu_hvm_x86_32 layout (type, S, DPL, P, AVL, L, D/B, G). */
#define AR_CODE32 0xc9b /* execute/read, accessed, present, 32-bit, 4 KiB granular */
#define AR_DATA32 0xc93 /* read/write, accessed, present, 32-bit, 4 KiB granular */
#define AR_TSS_BUSY 0x8b /* busy 32-bit TSS, present */
#define SPINS 20000000ULL

static volatile uint32_t ap32_flag;

/* 32-bit code vCPU 2 starts in: it leaves a mark and halts with interrupts off. */
asm(".pushsection .text\n"
    ".code32\n"
    "ap32_entry:\n"
    "	movl $0x32, ap32_flag\n"
    "1:	hlt\n"
    "	jmp 1b\n"
    ".code64\n"
    ".popsection\n");
extern char ap32_entry[];

static void context32(struct vcpu_hvm_context *ctx, uint32_t eip)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = VCPU_HVM_MODE_32B;
	ctx->cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
		.eip = eip,
		.eflags = 0x2,
		.cr0 = CR0_PE | CR0_ET,
		.cs_limit = ~0u,
		.ds_limit = ~0u,
		.ss_limit = ~0u,
		.es_limit = ~0u,
		.tr_limit = 0x67,
		.cs_ar = AR_CODE32,
		.ds_ar = AR_DATA32,
		.ss_ar = AR_DATA32,
		.es_ar = AR_DATA32,
		.tr_ar = AR_TSS_BUSY,
	};
}

static void expect_refused(const struct vcpu_hvm_context *ctx, const char *what)
{
	long rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, (void *)ctx);

	if (rc != -XEN_EINVAL)
		fail("VCPUOP_initialise with %s: got %ld, expected -EINVAL", what, rc);
}

static void bad_64bit_contexts(void)
{
	struct vcpu_hvm_context c;

	kit_smp_context(1, &c), c.mode = 2, expect_refused(&c, "mode 2");
	kit_smp_context(1, &c), c.pad = 1, expect_refused(&c, "pad set");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.rip = 0x0000800000000000ULL;
	expect_refused(&c, "a non-canonical RIP");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.cr0 &= ~(uint64_t)CR0_PG;
	expect_refused(&c, "64-bit mode without CR0.PG");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.cr4 &= ~(uint64_t)CR4_PAE;
	expect_refused(&c, "64-bit mode without CR4.PAE");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.efer = 0;
	expect_refused(&c, "64-bit mode without EFER.LME");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.cr4 |= CR4_VMXE;
	expect_refused(&c, "CR4.VMXE (no nested virtualisation)");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.cr4 |= CR4_LA57;
	expect_refused(&c, "CR4.LA57 (not a valid HVM CR4 bit in 4.17)");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.efer |= EFER_SVME;
	expect_refused(&c, "EFER.SVME");
	kit_smp_context(1, &c), c.cpu_regs.x86_64.efer |= 1u << 15;
	expect_refused(&c, "an unknown EFER bit");
}

static void bad_32bit_contexts(void)
{
	struct vcpu_hvm_context c;
	struct vcpu_hvm_x86_32 *r = &c.cpu_regs.x86_32;
	uint32_t eip = (uint32_t)(uint64_t)ap32_entry;

	context32(&c, eip), r->cs_ar = AR_DATA32, expect_refused(&c, "a data segment as CS");
	context32(&c, eip), r->cs_ar = 0, expect_refused(&c, "a null CS");
	context32(&c, eip), r->ss_ar = 0xc91, expect_refused(&c, "a read-only SS");
	context32(&c, eip), r->tr_ar = 0x9b, expect_refused(&c, "a code segment as TR");
	context32(&c, eip), r->tr_ar = 0x83, expect_refused(&c, "a 16-bit TSS as TR");
	context32(&c, eip), r->ds_ar = 0x1c93, expect_refused(&c, "attribute bits 12-15");
	context32(&c, eip), r->ds_ar = 0xc13, expect_refused(&c, "a non-present DS");
	context32(&c, eip), r->ss_ar = 0xcf3, expect_refused(&c, "SS.DPL 3 with CS.DPL 0");
	context32(&c, eip), r->cs_ar = 0x49b, r->cs_limit = 0xfff, r->eip = 0x1000;
	expect_refused(&c, "EIP past a byte-granular CS limit");
	context32(&c, eip), r->efer = EFER_LMA, expect_refused(&c, "EFER.LMA without LME");
	/*
	 * EFER.LME with paging off is no refusal: Xen 4.17 takes it (EFER is judged without
	 * CR0), though the vCPU then cannot run there (LMA without paging); the unit test
	 * xen_vcpu_context/test_32bit_context covers it, no guest vCPU is spent on it.
	 */
	context32(&c, eip), r->cr4 = CR4_LA57, expect_refused(&c, "CR4.LA57");
	context32(&c, eip), r->pad1 = 1, expect_refused(&c, "pad1 set");
	context32(&c, eip), r->pad2[2] = 1, expect_refused(&c, "pad2 set");
}

static void before_initialise(void)
{
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up of a new vCPU");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL, "up before initialise");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0, "down of a vCPU that is down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, (void *)0x40000000000ULL), -XEN_EFAULT,
		 "initialise with a bad pointer");
	bad_64bit_contexts();
	bad_32bit_contexts();
	/* None of them may have initialised it. */
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL, "up after refusals");
}

static volatile long self_down_rc = 1;
static volatile bool resumed;

static void down_self(unsigned int cpu, void *arg)
{
	self_down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, cpu, NULL);
	resumed = true;
}

static bool wait_for(bool (*cond)(void))
{
	for (uint64_t i = 0; i < SPINS; i++) {
		if (cond())
			return true;
		cpu_relax();
	}
	return false;
}

static bool cpu1_down(void)
{
	return HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) == 0;
}

static bool cpu1_done(void)
{
	return kit_cpu_call_done(1);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * Waits about @cycles TSC cycles. A counting loop on a stack variable is no measure:
 * on kvm_pvm hosts each iteration can cost thousands of cycles.
 */
static void spin(uint64_t cycles)
{
	uint64_t start = rdtsc();

	while (rdtsc() - start < cycles)
		cpu_relax();
}

static void self_down_and_up(void)
{
	kit_cpu_call_async(1, down_self, NULL);
	check(wait_for(cpu1_down), "vCPU 1 never went down");
	spin(50000000);
	check(!resumed, "vCPU 1 ran on after VCPUOP_down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0, "up of a downed vCPU");
	check(wait_for(cpu1_done), "vCPU 1 did not resume after VCPUOP_up");
	check_eq(self_down_rc, 0, "VCPUOP_down returned to the vCPU that took itself down");
	check(resumed, "vCPU 1 did not return from VCPUOP_down");
}

static volatile uint64_t counter;
static volatile bool stop_counting;

static void count(unsigned int cpu, void *arg)
{
	while (!stop_counting)
		counter++;
}

static bool counting(void)
{
	return counter != 0;
}

static void remote_down_and_up(void)
{
	uint64_t c1, c2;

	kit_cpu_call_async(1, count, NULL);
	check(wait_for(counting), "vCPU 1 does not count");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0, "down of another vCPU");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up after down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0, "down again");
	spin(50000000); /* Xen stops it asynchronously (vcpu_sleep_nosync()) */
	c1 = counter;
	spin(200000000);
	c2 = counter;
	check_eq(c2, c1, "vCPU 1's counter while it is down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &(struct vcpu_hvm_context){ 0 }),
		 -XEN_EEXIST, "initialise of a downed, initialised vCPU");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0, "up after a remote down");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0, "up of a running vCPU");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 1, "is_up after up");
	spin(200000000);
	check(counter != c2, "vCPU 1 did not resume counting");
	stop_counting = true;
	check(wait_for(cpu1_done), "vCPU 1 did not finish");
}

static bool ap32_marked(void)
{
	return ap32_flag == 0x32;
}

static void start_32bit(void)
{
	struct vcpu_hvm_context c;

	context32(&c, (uint32_t)(uint64_t)ap32_entry);
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 2, &c), 0, "a 32-bit context");
	check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 2, NULL), 0, "up of the 32-bit vCPU");
	check(wait_for(ap32_marked), "vCPU 2 did not run its 32-bit code");
	printf("vcpu_hotplug: vCPU 2 ran 32-bit code at %#x\n", (uint32_t)(uint64_t)ap32_entry);
}

void test_main(void)
{
	long rc;

	if (kit_smp_count() != 3)
		kit_error("run with --vcpus 3");
	before_initialise();
	rc = kit_smp_start_cpu(1);
	check_eq(rc, 0, "bringing vCPU 1 up after the refusals");
	if (rc)
		return;
	self_down_and_up();
	remote_down_and_up();
	start_32bit();
}
