// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise contexts (xen/hvm/hvm_vcpu.h) against Xen 4.17's
 * arch_set_info_hvm_guest(), hvm_cr4_guest_valid_bits() and hvm_efer_valid(), and the
 * VCPUOP_initialise/up/down/is_up answers through the dispatcher on a one-vCPU domain.
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/vcpu/vcpu_context.h"

#define REQ 0x200000ULL
#define CR0_PE 0x1u
#define CR0_ET 0x10u
#define CR0_PG 0x80000000u
#define CR4_PAE 0x20u
#define CR4_OSFXSR 0x200u
#define CR4_VMXE 0x2000u
#define EFER_SCE 0x1u
#define EFER_LME 0x100u
#define EFER_LMA 0x400u
#define EFER_NXE 0x800u

static struct xen_fixture fx;
static struct kvm_cpuid2 *table;

/* A CPU with PAE, PSE, FXSR and long mode, NX and SYSCALL; nothing else. */
static int setup(void)
{
	if (fixture_init(&fx, 1000000))
		return -1;
	if (cpuid_set(&fx.vm, 1, 0, 0, 0, (1u << 6) | (1u << 3) | (1u << 24)) ||
	    cpuid_set(&fx.vm, 0x80000001, 0, 0, 0, (1u << 29) | (1u << 20) | (1u << 11)))
		return -1;
	table = fx.vm.cpuid;
	return 0;
}

static int teardown(void)
{
	fixture_destroy(&fx);
	return 0;
}

static void ctx64(struct vcpu_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_64B;
	c->cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
		.rip = 0xffffffff81000000ULL,
		.rsp = 0x8000,
		.rdi = 3,
		.rflags = 2,
		.cr0 = CR0_PG | CR0_PE,
		.cr3 = 0x1000,
		.cr4 = CR4_PAE,
		.efer = EFER_LME,
	};
}

static void ctx32(struct vcpu_hvm_context *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_32B;
	c->cpu_regs.x86_32 = (struct vcpu_hvm_x86_32){
		.eip = 0x100000,
		.esp = 0x9000,
		.ebx = 0x1234,
		.eflags = 2,
		.cr0 = CR0_PE | CR0_ET,
		.cs_base = 0,
		.cs_limit = ~0u,
		.cs_ar = 0xc9a, /* not yet accessed */
		.ds_limit = ~0u,
		.ds_ar = 0xc92,
		.ss_limit = ~0u,
		.ss_ar = 0xc92,
		.es_ar = 0, /* a null ES is allowed */
		.tr_base = 0x500,
		.tr_limit = 0x67,
		.tr_ar = 0x89, /* available TSS */
	};
}

static long load(const struct vcpu_hvm_context *c, struct kvm_regs *r, struct kvm_sregs *s)
{
	memset(r, 0x5a, sizeof(*r));
	memset(s, 0x5a, sizeof(*s));
	return xen_vcpu_context_load(c, table, r, s);
}

/* A refused context leaves the state alone. */
static void refused(const struct vcpu_hvm_context *c)
{
	struct kvm_regs r, r0;
	struct kvm_sregs s, s0;

	CU_ASSERT_EQUAL(load(c, &r, &s), -XEN_EINVAL);
	memset(&r0, 0x5a, sizeof(r0));
	memset(&s0, 0x5a, sizeof(s0));
	CU_ASSERT_EQUAL(memcmp(&r, &r0, sizeof(r)), 0);
	CU_ASSERT_EQUAL(memcmp(&s, &s0, sizeof(s)), 0);
}

static void test_64bit_context(void)
{
	struct vcpu_hvm_context c;
	struct kvm_regs r;
	struct kvm_sregs s;

	ctx64(&c);
	CU_ASSERT_EQUAL_FATAL(load(&c, &r, &s), 0);
	CU_ASSERT_EQUAL(r.rip, 0xffffffff81000000ULL);
	CU_ASSERT_EQUAL(r.rsp, 0x8000);
	CU_ASSERT_EQUAL(r.rdi, 3);
	CU_ASSERT_EQUAL(r.r8, 0);
	CU_ASSERT_EQUAL(s.efer, EFER_LME | EFER_LMA);
	CU_ASSERT_EQUAL(s.cr3, 0x1000);
	CU_ASSERT(s.cs.l && !s.cs.db && s.cs.type == 0xb && s.cs.s && s.cs.present && s.cs.g);
	CU_ASSERT(s.ss.type == 3 && s.ss.db && s.ds.type == 3 && s.es.type == 3);
	CU_ASSERT(s.tr.type == 0xb && !s.tr.s && s.tr.limit == 0x67 && s.tr.present);
	CU_ASSERT_EQUAL(s.cs.selector, 0);
	/* FS and GS stay as they were. */
	CU_ASSERT_EQUAL(s.fs.base, 0x5a5a5a5a5a5a5a5aULL);
}

static void test_32bit_context(void)
{
	struct vcpu_hvm_context c;
	struct kvm_regs r;
	struct kvm_sregs s;

	ctx32(&c);
	CU_ASSERT_EQUAL_FATAL(load(&c, &r, &s), 0);
	CU_ASSERT_EQUAL(r.rip, 0x100000);
	CU_ASSERT_EQUAL(r.rbx, 0x1234);
	CU_ASSERT_EQUAL(s.cr0, CR0_PE | CR0_ET);
	CU_ASSERT_EQUAL(s.efer, 0);
	CU_ASSERT_EQUAL(s.cs.type, 0xb); /* accessed bit set */
	CU_ASSERT_EQUAL(s.ds.type, 3);
	CU_ASSERT_EQUAL(s.tr.type, 0xb); /* busy bit set */
	CU_ASSERT_EQUAL(s.tr.base, 0x500);
	CU_ASSERT(s.cs.db && s.cs.g && !s.cs.l && s.cs.limit == ~0u);
	CU_ASSERT(s.es.unusable && !s.es.present);
	/* EFER.LME with paging off is accepted, as by Xen 4.17; LMA stays clear until CR0.PG. */
	ctx32(&c), c.cpu_regs.x86_32.efer = EFER_LME;
	CU_ASSERT_EQUAL_FATAL(load(&c, &r, &s), 0);
	CU_ASSERT_EQUAL(s.efer, EFER_LME);
}

static void test_64bit_refusals(void)
{
	struct vcpu_hvm_context c;

	ctx64(&c), c.mode = 2, refused(&c);
	ctx64(&c), c.pad = 1, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.rip = 1ULL << 47, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.cr0 = CR0_PE, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.cr4 = 0, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.efer = 0, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.cr4 |= CR4_VMXE, refused(&c);
	/* Features the CPUID table lacks: OSXSAVE (leaf 1 ECX 26), FFXSR (ext EDX 25). */
	ctx64(&c), c.cpu_regs.x86_64.cr4 |= 1u << 18, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.efer |= 1u << 14, refused(&c);
	ctx64(&c), c.cpu_regs.x86_64.efer |= 1u << 9, refused(&c); /* not a known bit */
	/* The ones it has are fine. */
	ctx64(&c), c.cpu_regs.x86_64.cr4 |= CR4_OSFXSR;
	c.cpu_regs.x86_64.efer |= EFER_NXE | EFER_SCE;
	struct kvm_regs r;
	struct kvm_sregs s;
	CU_ASSERT_EQUAL(load(&c, &r, &s), 0);
}

static void test_32bit_refusals(void)
{
	struct vcpu_hvm_context c;
	struct vcpu_hvm_x86_32 *x = &c.cpu_regs.x86_32;

	ctx32(&c), x->pad1 = 1, refused(&c);
	ctx32(&c), x->pad2[1] = 1, refused(&c);
	ctx32(&c), x->cs_ar = 0, refused(&c);
	ctx32(&c), x->ss_ar = 0, refused(&c);
	ctx32(&c), x->tr_ar = 0, refused(&c);
	ctx32(&c), x->cs_ar = 0xc92, refused(&c);
	ctx32(&c), x->ss_ar = 0xc9a, refused(&c);
	ctx32(&c), x->ss_ar = 0xc90, refused(&c);
	ctx32(&c), x->ds_ar = 0xc98, refused(&c); /* execute-only code as DS */
	ctx32(&c), x->ds_ar = 0xc12, refused(&c); /* not present */
	ctx32(&c), x->ds_ar = 0x2c92, refused(&c);
	ctx32(&c), x->tr_ar = 0x9b, refused(&c);
	ctx32(&c), x->tr_ar = 0x82, refused(&c); /* an LDT as TR */
	ctx32(&c), x->cs_ar = 0x49a, x->cs_limit = 0xffff, x->eip = 0x10000, refused(&c);
	ctx32(&c), x->ss_ar = 0xcb2, refused(&c); /* DPL 1 vs CS DPL 0 */
	ctx32(&c), x->cs_ar = 0xcba, x->ss_ar = 0xcb2, x->ds_ar = 0xcf2, refused(&c);
	ctx32(&c), x->efer = EFER_LMA, refused(&c);
	/* Readable code is a fine DS; EIP exactly at the limit is in. */
	ctx32(&c), x->ds_ar = 0xc9a, x->cs_ar = 0x49a, x->cs_limit = 0xffff, x->eip = 0xffff;
	struct kvm_regs r;
	struct kvm_sregs s;
	CU_ASSERT_EQUAL(load(&c, &r, &s), 0);
}

static long vcpu_op(int cmd, uint64_t id, uint64_t arg)
{
	return fixture_call(&fx, __HYPERVISOR_vcpu_op, (uint64_t)cmd, id, arg);
}

static void test_ops_on_the_boot_vcpu(void)
{
	struct vcpu_hvm_context *c = fixture_ptr(&fx, REQ, sizeof(*c));

	ctx64(c);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_is_up, 0, 0), 1);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_initialise, 0, REQ), -XEN_EEXIST);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_initialise, 0, 0x40000000000ULL), -XEN_EFAULT);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_up, 0, 0), 0);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_is_up, 1, 0), -XEN_ENOENT);
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_initialise, 1, REQ), -XEN_ENOENT);
	CU_ASSERT_FALSE(fx.vm.stopping);
	/* The last vCPU up going down powers the domain off. */
	CU_ASSERT_EQUAL(vcpu_op(VCPUOP_down, 0, 0), 0);
	CU_ASSERT(fx.vm.stopping);
	CU_ASSERT_EQUAL(fx.vm.exit_status, VM_EXIT_POWEROFF);
}

UNIT_SUITE(xen_vcpu_context, setup, teardown, UNIT_TEST(test_64bit_context),
	   UNIT_TEST(test_32bit_context), UNIT_TEST(test_64bit_refusals),
	   UNIT_TEST(test_32bit_refusals), UNIT_TEST(test_ops_on_the_boot_vcpu))
