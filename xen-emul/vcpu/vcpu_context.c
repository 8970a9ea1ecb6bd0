// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise for HVM vCPUs: the checks and effects of Xen 4.17's
 * arch_set_info_hvm_guest() (arch/x86/hvm/domain.c), with hvm_cr4_guest_valid_bits() and
 * hvm_efer_valid() (arch/x86/hvm/hvm.c) judged against the guest's CPUID table. Segment
 * selectors are zero, GDTR, IDTR, FS and GS are left alone, as in Xen.
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/errno.h>

#include "vmm/vm.h"
#include "xen-emul/vcpu/vcpu_context.h"

/* Segment attribute bits of the context (the VMX access-rights layout, bits 0-11). */
#define AR_TYPE(ar) ((ar)&0xf)
#define AR_S(ar) (((ar) >> 4) & 1)
#define AR_DPL(ar) (((ar) >> 5) & 3)
#define AR_P(ar) (((ar) >> 7) & 1)
#define AR_AVL(ar) (((ar) >> 8) & 1)
#define AR_L(ar) (((ar) >> 9) & 1)
#define AR_DB(ar) (((ar) >> 10) & 1)
#define AR_G(ar) (((ar) >> 11) & 1)
#define AR_PAD(ar) ((ar) >> 12)
#define SYS_DESC_TSS_BUSY 0xb

#define EFER_SCE (1ULL << 0)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SVME (1ULL << 12)
#define EFER_FFXSE (1ULL << 14)
/* The EFER bits Xen 4.17 knows (EFER_KNOWN_MASK). */
#define EFER_KNOWN (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME | EFER_FFXSE)

/* CR4 bits (Intel SDM vol. 3, 2.5). */
#define CR4_VME (1ULL << 0)
#define CR4_PVI (1ULL << 1)
#define CR4_TSD (1ULL << 2)
#define CR4_DE (1ULL << 3)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_MCE (1ULL << 6)
#define CR4_PGE (1ULL << 7)
#define CR4_PCE (1ULL << 8)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define CR4_UMIP (1ULL << 11)
#define CR4_FSGSBASE (1ULL << 16)
#define CR4_PCIDE (1ULL << 17)
#define CR4_OSXSAVE (1ULL << 18)
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)
#define CR4_PKE (1ULL << 22)
#define CR4_CET (1ULL << 23)

enum seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

/* A CPUID feature bit of the guest's table: leaf, subleaf, register (0-3 = a-d), bit. */
static bool has(const struct kvm_cpuid2 *t, uint32_t leaf, uint32_t sub, int reg, int bit)
{
	const struct kvm_cpuid_entry2 *e = NULL;
	uint32_t r[4];

	for (uint32_t i = 0; t && i < t->nent; i++) {
		const struct kvm_cpuid_entry2 *c = &t->entries[i];

		if (c->function == leaf &&
		    (!(c->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || c->index == sub)) {
			e = c;
			break;
		}
	}
	if (!e)
		return false;
	r[0] = e->eax;
	r[1] = e->ebx;
	r[2] = e->ecx;
	r[3] = e->edx;
	return r[reg] & (1u << bit);
}

enum { EAX, EBX, ECX, EDX };

/* hvm_cr4_guest_valid_bits(): VMXE needs nested virtualisation, which is never offered. */
static uint64_t cr4_valid_bits(const struct kvm_cpuid2 *t)
{
	uint64_t v = CR4_PCE;

	v |= has(t, 1, 0, EDX, 1) ? CR4_VME | CR4_PVI : 0;
	v |= has(t, 1, 0, EDX, 4) ? CR4_TSD : 0;
	v |= has(t, 1, 0, EDX, 2) ? CR4_DE : 0;
	v |= has(t, 1, 0, EDX, 3) ? CR4_PSE : 0;
	v |= has(t, 1, 0, EDX, 6) ? CR4_PAE : 0;
	v |= has(t, 1, 0, EDX, 7) || has(t, 1, 0, EDX, 14) ? CR4_MCE : 0;
	v |= has(t, 1, 0, EDX, 13) ? CR4_PGE : 0;
	v |= has(t, 1, 0, EDX, 24) ? CR4_OSFXSR : 0;
	v |= has(t, 1, 0, EDX, 25) ? CR4_OSXMMEXCPT : 0;
	v |= has(t, 7, 0, ECX, 2) ? CR4_UMIP : 0;
	v |= has(t, 7, 0, EBX, 0) ? CR4_FSGSBASE : 0;
	v |= has(t, 1, 0, ECX, 17) ? CR4_PCIDE : 0;
	v |= has(t, 1, 0, ECX, 26) ? CR4_OSXSAVE : 0;
	v |= has(t, 7, 0, EBX, 7) ? CR4_SMEP : 0;
	v |= has(t, 7, 0, EBX, 20) ? CR4_SMAP : 0;
	v |= has(t, 7, 0, ECX, 3) ? CR4_PKE : 0;
	v |= has(t, 7, 0, ECX, 7) || has(t, 7, 0, EDX, 20) ? CR4_CET : 0;
	return v;
}

/* hvm_efer_valid(); SVME needs nested virtualisation, never offered. */
static bool efer_valid(const struct kvm_cpuid2 *t, uint64_t efer, uint64_t cr0)
{
	if (efer & ~EFER_KNOWN)
		return false;
	if ((efer & EFER_SCE) && !has(t, 0x80000001, 0, EDX, 11))
		return false;
	if ((efer & (EFER_LME | EFER_LMA)) && !has(t, 0x80000001, 0, EDX, 29))
		return false;
	if ((efer & EFER_LMA) && (!(efer & EFER_LME) || !(cr0 & X86_CR0_PG)))
		return false;
	if ((efer & EFER_NXE) && !has(t, 0x80000001, 0, EDX, 20))
		return false;
	if ((efer & EFER_FFXSE) && !has(t, 0x80000001, 0, EDX, 25))
		return false;
	return !(efer & EFER_SVME);
}

/* check_segment(), on attributes whose accessed/busy bit has been set already. */
static bool segment_ok(uint16_t ar, enum seg seg)
{
	unsigned int type = AR_TYPE(ar);

	if (AR_PAD(ar))
		return false;
	if (!ar) /* a null segment: only DS and ES may be one */
		return seg == SEG_DS || seg == SEG_ES;
	if (seg == SEG_TR) {
		if (AR_S(ar) || type != SYS_DESC_TSS_BUSY)
			return false;
	} else if (!AR_S(ar)) {
		return false;
	}
	if (!AR_P(ar))
		return false;
	switch (seg) {
	case SEG_CS:
		return type & 0x8;
	case SEG_SS:
		return !(type & 0x8) && (type & 0x2);
	case SEG_DS:
	case SEG_ES:
		return !((type & 0x8) && !(type & 0x2));
	default:
		return true;
	}
}

static void set_segment(struct kvm_segment *s, uint32_t base, uint32_t limit, uint16_t ar)
{
	*s = (struct kvm_segment){
		.base = base,
		.limit = limit,
		.type = AR_TYPE(ar),
		.s = AR_S(ar),
		.dpl = AR_DPL(ar),
		.present = AR_P(ar),
		.avl = AR_AVL(ar),
		.l = AR_L(ar),
		.db = AR_DB(ar),
		.g = AR_G(ar),
		.unusable = !AR_P(ar),
	};
}

/* Xen sets the accessed bit (busy bit for TR) of every present segment it is given. */
static uint16_t mark_used(uint16_t ar, enum seg seg)
{
	if (AR_P(ar))
		ar |= seg == SEG_TR ? 2 : 1;
	return ar;
}

static long load_32(const struct vcpu_hvm_x86_32 *r, struct kvm_regs *regs, struct kvm_sregs *s)
{
	uint16_t cs = mark_used(r->cs_ar, SEG_CS), ds = mark_used(r->ds_ar, SEG_DS);
	uint16_t ss = mark_used(r->ss_ar, SEG_SS), es = mark_used(r->es_ar, SEG_ES);
	uint16_t tr = mark_used(r->tr_ar, SEG_TR);
	uint32_t limit = r->cs_limit;

	if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
		return -XEN_EINVAL;
	if (!segment_ok(cs, SEG_CS) || !segment_ok(ds, SEG_DS) || !segment_ok(ss, SEG_SS) ||
	    !segment_ok(es, SEG_ES) || !segment_ok(tr, SEG_TR))
		return -XEN_EINVAL;
	/* The limit arithmetic is 32-bit, as in Xen. */
	if (AR_G(cs))
		limit = (limit << 12) | 0xfff;
	if (r->eip > limit || AR_DPL(ss) != AR_DPL(cs) || (AR_P(ds) && AR_DPL(ds) > AR_DPL(cs)) ||
	    (AR_P(es) && AR_DPL(es) > AR_DPL(cs)))
		return -XEN_EINVAL;
	if ((r->efer & EFER_LMA) && !(r->efer & EFER_LME))
		return -XEN_EINVAL;
	*regs = (struct kvm_regs){ .rax = r->eax,
				   .rcx = r->ecx,
				   .rdx = r->edx,
				   .rbx = r->ebx,
				   .rsp = r->esp,
				   .rbp = r->ebp,
				   .rsi = r->esi,
				   .rdi = r->edi,
				   .rip = r->eip,
				   .rflags = r->eflags };
	s->cr0 = r->cr0;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->efer = r->efer;
	set_segment(&s->cs, r->cs_base, r->cs_limit, cs);
	set_segment(&s->ds, r->ds_base, r->ds_limit, ds);
	set_segment(&s->ss, r->ss_base, r->ss_limit, ss);
	set_segment(&s->es, r->es_base, r->es_limit, es);
	set_segment(&s->tr, r->tr_base, r->tr_limit, tr);
	return 0;
}

static bool is_canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == ((int64_t)va >> 63);
}

static long load_64(const struct vcpu_hvm_x86_64 *r, struct kvm_regs *regs, struct kvm_sregs *s)
{
	if (!is_canonical(r->rip) || !(r->cr0 & X86_CR0_PG) || !(r->cr4 & CR4_PAE) ||
	    !(r->efer & EFER_LME))
		return -XEN_EINVAL;
	*regs = (struct kvm_regs){ .rax = r->rax,
				   .rcx = r->rcx,
				   .rdx = r->rdx,
				   .rbx = r->rbx,
				   .rsp = r->rsp,
				   .rbp = r->rbp,
				   .rsi = r->rsi,
				   .rdi = r->rdi,
				   .rip = r->rip,
				   .rflags = r->rflags };
	s->cr0 = r->cr0;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	s->efer = r->efer;
	/* Flat 64-bit code, flat data, a busy 64-bit TSS: the attributes Xen uses. */
	set_segment(&s->cs, 0, ~0u, 0xa9b);
	set_segment(&s->ds, 0, ~0u, 0xc93);
	s->ss = s->es = s->ds;
	set_segment(&s->tr, 0, 0x67, 0x8b);
	return 0;
}

long xen_vcpu_context_load(const struct vcpu_hvm_context *ctx, const struct kvm_cpuid2 *cpuid,
			   struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	struct kvm_regs r = *regs;
	struct kvm_sregs s = *sregs;
	long rc;

	if (ctx->pad)
		return -XEN_EINVAL;
	if (ctx->mode == VCPU_HVM_MODE_32B)
		rc = load_32(&ctx->cpu_regs.x86_32, &r, &s);
	else if (ctx->mode == VCPU_HVM_MODE_64B)
		rc = load_64(&ctx->cpu_regs.x86_64, &r, &s);
	else
		rc = -XEN_EINVAL;
	if (rc)
		return rc;
	/*
	 * As arch_set_info_hvm_guest(): LME forces LMA on, and EFER is judged without CR0
	 * (hvm_efer_valid(..., -1)), so LME with paging off is a valid context, as on
	 * hardware, where setting CR0.PG later enters long mode (real Xen 4.17 accepts it;
	 * make check-oracle). KVM holds LMA to what the mode really is: clear with paging off.
	 */
	if (s.efer & EFER_LME)
		s.efer |= EFER_LMA;
	if ((s.cr4 & ~cr4_valid_bits(cpuid)) || !efer_valid(cpuid, s.efer, ~0ULL))
		return -XEN_EINVAL;
	if (!(s.cr0 & X86_CR0_PG))
		s.efer &= ~EFER_LMA;
	*regs = r;
	*sregs = s;
	return 0;
}
